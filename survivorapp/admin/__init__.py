"""The admin workspace: people, caseloads, organisation settings and the admin audit trail.

Admin only edits the organisation's settings; the model and the `org_setting` accessor every
feature reads are core (survivorapp/settings.py).
"""
