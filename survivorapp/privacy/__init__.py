"""Privacy: consent per area, the access log, export, account deletion and retention.

How a feature plugs in (import at module level in the feature's views.py or services.py):

    from survivorapp.privacy import areas, consent
    from survivorapp.privacy.registry import eraser, exporter
    from survivorapp.privacy.services import log_access, may_open, open_or_404

Consent area keys (survivorapp/privacy/areas.py): areas.BOOKED_APPOINTMENTS
("booked_appointments", shared by default), areas.GOALS ("goals", shared by default: goals sent
for approval), areas.BUDGET_SUMMARY ("budget_summary", private), areas.OWN_APPOINTMENTS
("own_appointments", private), areas.CIRCLE_ATTENDANCE ("circle_attendance", private).
Access-only key: areas.PROFILE ("profile").

Staff-side views:   open_or_404(current_user, survivor, areas.GOALS, what=goal.public_id)
                    (404 unless staff support the person AND the area is shared; logs access)
Staff-side lists:   select(Goal).where(consent.allows_clause(Goal.owner_id, areas.GOALS))
One survivor:       consent.allows(survivor.id, areas.BUDGET_SUMMARY) -> bool
Export:             @exporter("goals") def export(user) -> list[dict]  ({_l("Label"): value})
Deletion:           @eraser("goals") def erase(user) -> None  (delete rows, never commit)

Wired so far (examples to copy): goals (access.reviewable_by filters every staff query;
access.open_for_staff_or_404 logs), budget (the "share my monthly totals" switch IS the
budget_summary area: preferences.shares_summary / set_sharing; access.open_shared_summary_or_404),
circles (reportable_attendance_query for reports; eraser promotes waiting lists), admin
(people/admin_services.record_view logs an admin's look at an account as area "profile"),
appointments
(visible_appointments applies booked_appointments / own_appointments in SQL: the booker keeps
their own bookings, a survivor-added appointment needs the area AND its share tick; every staff
look at one appointment or request is logged), accounts (the team's People pages log "profile"
through people/team.record_look; accounts/privacy.py exports passkeys, codes and the PIN
without secrets; the enrolment page has the consent step, POST /enrol/sharing). Each
feature's exporters live in its privacy.py.

Enrolment: inside the enrolment <form>, `{% include "privacy/_consent_form.html" %}` with
`**consent.consent_form_context()` in the template context (it holds `consent_form`, a
privacy/forms.py ConsentForm); on POST,
`choices, errors, unknown = consent.parse_consent_form(request.form)`, re-render with
`consent.consent_form_context(form=request.form)` and 422 on errors, else
`consent.set_choices(new_user, choices, actor=new_user)` before the commit.

Account deletion (POST /privacy/delete, services.delete_account): every registered eraser runs,
then consent rows, the access log about the person, sessions and the user row go (tables with a
foreign key to user.id MUST use ON DELETE CASCADE or SET NULL, or register an eraser). Audit
events are kept with actor/subject unlinked and details emptied. What stays is a ClosedAccount
marker (closed_at, roles, case_worker_id; no name, no link to the person). Staff lists: the
person simply leaves caseload_query(); the staff home shows "Account closed · <date>" from
services.closed_accounts_query(staff_id) (a home panel here). A list that must show a gap where
a person was (reports, circle rosters) shows "Account closed" and counts, never a name.

Retention: `flask --app wsgi privacy purge` deletes ClosedAccount markers and audit events with
neither actor nor subject older than services.retention_days(): org_setting("RETENTION_DAYS"),
which admins set in Admin → Settings (30 to 3650 days) and which defaults to
SURVIVORAPP_RETENTION_DAYS.
"""
