"""Renewals and expansion as part of member success: the pipeline, success plans, expansion readiness, retention."""
