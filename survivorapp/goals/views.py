"""Views for goals: parse input, call services, pick a template.

Survivors own their goals (every route under /goals except /goals/review). Staff review shared
goals under /goals/review: they can read and decide, and there is deliberately no route by
which staff could change a survivor's words. See access.py for who reviews which goal.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..accounts.models import Role
from ..extensions import htmx
from ..home.panels import home_panel
from ..localtime import today_for
from ..navigation import nav_item
from ..people import caseload
from ..security import once
from ..security.access import roles_required
from ..security.errors import render_error
from . import forms, pathways, services
from . import privacy as _privacy  # noqa: F401  (registers the goals' exporters)
from .access import (
    get_goal_or_404,
    get_pathway_or_404,
    get_reviewable_goal_or_404,
    get_step_or_404,
    shared_goals_of,
)
from .labels import EVENT_LABELS, OWN_EVENT_LABELS, STAFF_STATE_LABELS, STATE_LABELS
from .models import Goal
from .review import QUEUE_PAGE, approval_queue, caseload_summary

bp = Blueprint("goals", __name__, url_prefix="/goals")

survivor_only = roles_required(Role.SURVIVOR)
staff_only = roles_required(Role.STAFF)


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def _goal_context(goal: Goal, **extra) -> dict:
    return {
        "goal": goal,
        "events": services.history(goal),
        "decision": services.latest_staff_comment(goal),
        "areas": forms.AREAS,
        "state_labels": STATE_LABELS,
        "event_labels": EVENT_LABELS,
        "own_event_labels": OWN_EVENT_LABELS,
        # Empty forms unless one came back with a problem: never what this request posted.
        "step_form": extra.pop("step_form", None) or forms.StepForm(formdata=None),
        "note_form": extra.pop("note_form", None) or forms.NoteForm(formdata=None),
        "problem": None,
        "shares_goals": services.shares_goals(goal.owner),
        **extra,
    }


def _show_goal(goal: Goal, status: int = 200, **extra):
    """The goal card as a fragment for htmx, or the whole page."""
    context = _goal_context(goal, **extra)
    template = "goals/_goal.html" if htmx else "goals/goal.html"
    return render_template(template, **context), status


def _after_goal_change(goal: Goal, message=None):
    if htmx:
        return _show_goal(goal, status=200, message=message)
    if message:
        flash(str(message), "success")
    return _see_other("goals.show", public_id=goal.public_id)


def _not_now(goal: Goal):
    """The card with a short explanation, 409 (the answer rolls the request back)."""
    problem = _("That cannot be done with this goal right now.")
    return _show_goal(goal, status=409, problem=problem)


# --- survivor pages ------------------------------------------------------------------------


def _list_context() -> dict:
    return {
        "goals": services.active_goals(current_user),
        "achieved": services.achieved_goals(current_user),
        "archived": services.archived_goals(current_user),
        "areas": forms.AREAS,
        "state_labels": STATE_LABELS,
    }


@bp.get("/")
@survivor_only
def index():
    return render_template("goals/index.html", **_list_context())


def _form_page(form: forms.GoalForm, goal: Goal | None = None):
    status = 422 if form.errors else 200
    return render_template("goals/form.html", form=form, goal=goal), status


@bp.route("/new", methods=["GET", "POST"])
@survivor_only
def new():
    form = forms.GoalForm(today=today_for(current_user), area=request.args.get("area", ""))
    if not form.validate_on_submit():
        return _form_page(form)
    if not once.claim(request.form.get("once")):  # a double tap: the first one is saved
        return _see_other("goals.index")
    goal = services.create_goal(current_user, **form.goal)
    flash(_("Your goal is saved. Only you can see it for now."), "success")
    return _see_other("goals.show", public_id=goal.public_id)


@bp.get("/<public_id>")
@survivor_only
def show(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    return _show_goal(goal)


@bp.route("/<public_id>/edit", methods=["GET", "POST"])
@survivor_only
def edit(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    form = forms.GoalForm(
        obj=goal if request.method == "GET" else None,
        today=today_for(current_user),
        kept_month=goal.target_month,
    )
    if not form.validate_on_submit():
        return _form_page(form, goal)
    services.update_goal(goal, current_user, **form.goal)
    flash(_("Your changes are saved."), "success")
    return _see_other("goals.show", public_id=goal.public_id)


@bp.post("/<public_id>/steps")
@survivor_only
def add_step(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    form = forms.StepForm()
    if not form.validate():
        return _show_goal(goal, status=422, step_form=form)
    if once.claim(request.form.get("once")):
        services.add_step(goal, form.text.data)
    return _after_goal_change(goal)


@bp.post("/<public_id>/steps/<step_id>/toggle")
@survivor_only
def toggle_step(public_id: str, step_id: str):
    goal = get_goal_or_404(public_id, current_user)
    step = get_step_or_404(goal, step_id)
    services.toggle_step(step)
    return _after_goal_change(goal)


@bp.post("/<public_id>/steps/<step_id>/remove")
@survivor_only
def remove_step(public_id: str, step_id: str):
    goal = get_goal_or_404(public_id, current_user)
    step = get_step_or_404(goal, step_id)
    services.remove_step(goal, step)
    return _after_goal_change(goal)


@bp.post("/<public_id>/move")
@survivor_only
def move(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    form = forms.MoveForm()
    if not form.validate():
        return render_error(400)
    services.move_goal(current_user, goal, form.direction.data)
    if htmx:
        return render_template("goals/_goal_list.html", **_list_context())
    return _see_other("goals.index")


# Changes of state. Each is a POST from the goal card; a state that does not allow it
# answers 409 with the card and a short explanation.
STATE_CHANGES = {
    "submit": (services.submit, _l("Sent. We will let you know when there is a reply.")),
    "achieve": (services.achieve, _l("You did it. This goal is kept with your achievements.")),
    "reopen": (services.reopen, None),
    "archive": (services.archive, _l("Put away. You can bring it back at any time.")),
    "restore": (services.restore, None),
}


@bp.post("/<public_id>/<any(submit, achieve, reopen, archive, restore):action>")
@survivor_only
def change_state(public_id: str, action: str):
    goal = get_goal_or_404(public_id, current_user)
    change, message = STATE_CHANGES[action]
    try:
        change(goal, current_user)
    except services.NotAllowed:
        return _not_now(goal)
    return _after_goal_change(goal, message)


@bp.post("/<public_id>/disagree")
@survivor_only
def disagree(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    form = forms.NoteForm()
    if not form.validate():
        return _show_goal(goal, status=422, note_form=form)
    try:
        services.disagree(goal, current_user, form.comment.data)
    except services.NotAllowed:
        return _not_now(goal)
    return _after_goal_change(goal, _("Your view is recorded and shared."))


@bp.post("/<public_id>/read")
@survivor_only
def mark_read(public_id: str):
    goal = get_goal_or_404(public_id, current_user)
    services.mark_read(goal)
    return _after_goal_change(goal)


@bp.get("/pathways")
@survivor_only
def pathway_list():
    return render_template("goals/pathways.html", pathways=pathways.PATHWAYS, areas=forms.AREAS)


@bp.post("/pathways/<key>")
@survivor_only
def adopt(key: str):
    pathway = get_pathway_or_404(key)
    if not once.claim(request.form.get("once")):
        return _see_other("goals.index")
    goal = services.adopt_pathway(current_user, pathway)
    flash(_("This plan is now your own private goal. Change anything you like."), "success")
    return _see_other("goals.show", public_id=goal.public_id)


# --- staff pages ---------------------------------------------------------------------------


HOME_QUEUE = 5


def _queue(user, *, limit: int, after: str | None = None) -> dict:
    queue, cursor = approval_queue(user, after=after, limit=limit)
    return {"queue": queue, "cursor": cursor, "areas": forms.AREAS}


@bp.get("/review")
@staff_only
def review_list():
    after = request.args.get("after") or None
    queue = _queue(current_user, limit=QUEUE_PAGE, after=after)
    cursor = queue["cursor"]
    return render_template(
        "goals/review_list.html",
        **queue,
        more_url=url_for("goals.review_list", after=cursor) if cursor else None,
        caseload=caseload_summary(current_user),
    )


@bp.get("/review/people/<public_id>")
@staff_only
def review_person(public_id: str):
    owner, goals = shared_goals_of(current_user, public_id)
    return render_template(
        "goals/review_person.html",
        owner=owner,
        goals=goals,
        areas=forms.AREAS,
        state_labels=STAFF_STATE_LABELS,
    )


def _review_page(goal: Goal, status: int = 200, **extra):
    context = {
        "goal": goal,
        "events": services.history(goal),
        "areas": forms.AREAS,
        "state_labels": STAFF_STATE_LABELS,
        "event_labels": EVENT_LABELS,
        "own_event_labels": OWN_EVENT_LABELS,
        "form": extra.pop("form", None) or forms.DecisionForm(formdata=None),
        "problem": None,
        **extra,
    }
    return render_template("goals/review.html", **context), status


@bp.get("/review/<public_id>")
@staff_only
def review(public_id: str):
    return _review_page(get_reviewable_goal_or_404(public_id, current_user, log=True))


@bp.post("/review/<public_id>/decide")
@staff_only
def decide(public_id: str):
    goal = get_reviewable_goal_or_404(public_id, current_user)
    form = forms.DecisionForm()
    if not form.validate():
        return _review_page(goal, 422, form=form)
    try:
        services.decide(goal, current_user, approve=form.approve, comment=form.comment.data)
    except services.NotAllowed:
        problem = _("This goal is not waiting for a decision any more.")
        return _review_page(goal, 409, problem=problem, form=form)
    flash(_("Your reply is sent."), "success")
    return _see_other("goals.review_list")


# --- home panels and navigation ------------------------------------------------------------


@home_panel("survivor", order=20)
def survivor_panel(user) -> str:
    return render_template(
        "goals/_home_panel.html",
        goals=services.active_goals(user)[:3],
        unread=services.unread_decisions(user),
        state_labels=STATE_LABELS,
    )


@home_panel("staff", order=20)
def staff_panel(user) -> str:
    # The home shows the oldest few and how many people; the review page lists them all.
    queue = _queue(user, limit=HOME_QUEUE)
    return render_template(
        "goals/_staff_panel.html",
        **queue,
        more_url=url_for("goals.review_list") if queue["cursor"] else None,
        people=caseload.caseload_size(user.id),
    )


nav_item("goals.index", _l("Goals"), roles=(Role.SURVIVOR,), order=10)
nav_item("goals.review_list", _l("Review"), roles=(Role.STAFF,), order=10)
