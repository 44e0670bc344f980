"""The audit trail in the data folder's git history: who changed which record,
the findings, acknowledgements, and what the summary says of the trail.
"""
