"""The plan as data: tasks read from content/_data/plans/, checked against the articles, their status, the
results report.
"""
