"""What follows a visit: difficulties and proposals followed to resolution,
the yearly programme of planned visits, the six-month and yearly review.
"""
