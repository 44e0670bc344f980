"""The registers: communes, cadres and assignments loaded with their problems,
the rules across them, lookups and search, the national registers and the
units over time, editing the assignments, the reorganisation of 1/7/2025,
importing a decision's annex.
"""
