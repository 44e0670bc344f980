"""Coverage, overdue and the weekly summary, and the sort and cut of a report's
rows: pure computations over registers and visits (today is a parameter).
"""
