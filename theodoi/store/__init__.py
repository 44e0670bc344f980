"""Files: atomic writes and the writers' lock, the transaction (all of a change's
files or none), day files, YAML and CSV with their line numbers, text as
offices write it, spreadsheets, the cache, git.
"""
