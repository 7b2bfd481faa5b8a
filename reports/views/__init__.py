"""Report views, split by audience: reporting.py (agencies), review.py (reviewers), dashboard.py (overview)."""
