"""Visits: the record (one visit as written), the columns (many visits as
counted), corrections, the rules over one day file and over the history,
importing a hand-kept log.
"""
