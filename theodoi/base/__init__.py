"""Values and messages: the check registry and problems, the domain's records,
periods and dates, text folding, gettext, the context a command runs in, the
office's letterhead.  Pure: no files, no clock; everything else builds on it.
"""
