"""People as the team sees them: who supports whom (caseload.py) and the names staff use."""
