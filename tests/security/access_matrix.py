"""Who may do what: one row per page (URL name) and one per API operation (method and path).

tests/security/test_access_matrix.py walks the URL configuration and the served OpenAPI schema and
checks every route against these rows, for every role and token scope. A route without a row fails
that test: when you add a page or an endpoint, add its row here, saying which of `Who` may use each
method. `None` means the route does not offer the method; an empty set means nobody may use it.

Rules the rows follow (docs/security.md):
- every page needs a signed-in user; API operations need a scoped token or a signed-in role;
- executives read: every POST, PUT, PATCH and DELETE is refused to them, unless the row says
  (in `executive_may_write`) why the request writes nothing;
- staff see only the members and tasks they work on: rows about one member or task give
  `stranger_kwargs`, the same request about something the staff user does not work on, which
  staff must be refused (a 404, the same answer as for something that does not exist).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from membersuccess.ingest.mappings import column_mapping_save
from membersuccess.ingest.models import ImportRun
from membersuccess.members.models import Member
from membersuccess.plays.models import Task
from membersuccess.potential.models import FitModel
from membersuccess.potential.services import criterion_create
from membersuccess.scoring.services import signal_set_active
from tests.factories import make_journey, make_milestone
from tests.plays.helpers import make_play
from tests.security.world import Who, World

Kwargs = Callable[[World], Mapping[str, object]]

NOBODY: frozenset[Who] = frozenset()
EVERYONE = frozenset(Who)
ADMIN = frozenset({Who.ADMIN})
SIGNED_IN = frozenset({Who.ADMIN, Who.SUCCESS_MANAGER, Who.STAFF, Who.EXECUTIVE})
SEE_ALL_MEMBERS = frozenset({Who.ADMIN, Who.SUCCESS_MANAGER, Who.EXECUTIVE})
MAY_CHANGE_MEMBERS = frozenset({Who.ADMIN, Who.SUCCESS_MANAGER, Who.STAFF})


@dataclass(frozen=True)
class Access:
    """Which of `Who` may use each method of one route."""

    get: frozenset[Who] | None = None
    post: frozenset[Who] | None = None
    put: frozenset[Who] | None = None
    patch: frozenset[Who] | None = None
    delete: frozenset[Who] | None = None
    # The URL (or path) parameters, made from the world; may create the objects they name.
    kwargs: Kwargs | None = None
    # The same request about a member or task the staff user does not work on: staff are refused.
    stranger_kwargs: Kwargs | None = None
    # Why a POST that executives may make changes no data (e.g. a check that only reads).
    executive_may_write: str = ""

    def methods(self) -> dict[str, frozenset[Who]]:
        """The methods the route offers and who may use each."""
        offered = {"GET": self.get, "POST": self.post, "PUT": self.put, "PATCH": self.patch, "DELETE": self.delete}
        return {method: who for method, who in offered.items() if who is not None}


def _member(world: World) -> Mapping[str, object]:
    return {"pk": world.member.pk}


def _stranger(world: World) -> Mapping[str, object]:
    return {"pk": world.stranger.pk}


def _signal_version(world: World) -> Mapping[str, object]:
    return {"version": signal_set_active().version}


def _import_run(world: World) -> Mapping[str, object]:
    rejects = Path(settings.DATA_DIR) / "matrix-rejects.csv"
    rejects.write_text("external_id,name,_line,_column,_reason\nM-9,,2,name,required\n")
    run = ImportRun.objects.create(
        kind="members", file_name="members.csv", status=ImportRun.Status.COMPLETED, rejects_path=str(rejects)
    )
    return {"pk": run.pk}


def _mapping(world: World) -> Mapping[str, object]:
    labels = {"external_id": "Constituent ID", "name": "Name", "joined_on": "Joined"}
    mapping = column_mapping_save(kind="members", name="Matrix mapping", labels=labels)
    return {"pk": mapping.pk}


def _fit_criterion(world: World) -> Mapping[str, object]:
    return {"pk": criterion_create(kind="outcome_served").pk}


def _member_play(world: World) -> Mapping[str, object]:
    return {"pk": world.member.pk, "play_pk": make_play(name="Matrix play").pk}


def _stranger_play(world: World) -> Mapping[str, object]:
    return {"pk": world.stranger.pk, "play_pk": make_play(name="Matrix play for a stranger").pk}


def _play(world: World) -> Mapping[str, object]:
    return {"pk": make_play(name="Matrix play").pk}


def _task(world: World) -> Mapping[str, object]:
    task = Task.objects.filter(member=world.member).first()
    assert task is not None
    return {"pk": task.pk}


def _stranger_task(world: World) -> Mapping[str, object]:
    return {"pk": Task.objects.create(title="Nobody's task", member=world.stranger).pk}


def _journey(world: World) -> Mapping[str, object]:
    return {"pk": make_journey(name="Matrix journey").pk}


def _milestone(world: World) -> Mapping[str, object]:
    return {"pk": make_milestone(journey=make_journey(name="Matrix journey"), order=1).pk}


def _on_a_journey(member: Member) -> Mapping[str, object]:
    journey = make_journey(name=f"Journey of {member.name}")
    member.journey = journey
    member.save(update_fields=["journey"])
    return {"pk": member.pk, "milestone_pk": make_milestone(journey=journey, order=1).pk}


def _member_milestone(world: World) -> Mapping[str, object]:
    return _on_a_journey(world.member)


def _stranger_milestone(world: World) -> Mapping[str, object]:
    return _on_a_journey(world.stranger)


def _fit_model(world: World) -> Mapping[str, object]:
    FitModel.objects.create(as_of=world.member.joined_on, members_used=40, members_reached=20, cv_auc=0.7,
                            folds=5, intercept=0.0, weights={}, poor_below=0.4, strong_from=0.6)
    return {}


# Pages and other URL routes, by URL name (namespace:name).
ROUTES: dict[str, Access] = {
    # Signing in and out, and the load balancer's health check (no data).
    "login": Access(get=EVERYONE, post=EVERYONE, executive_may_write="signing in changes no data"),
    "logout": Access(get=NOBODY, post=SIGNED_IN, executive_may_write="signing out changes no data"),
    "healthz": Access(get=EVERYONE),
    # Reading members: everyone on staff, each within the members they may see.
    "home": Access(get=SIGNED_IN),
    "members": Access(get=SIGNED_IN),
    "member": Access(get=SIGNED_IN, kwargs=_member, stranger_kwargs=_stranger),
    "dashboard": Access(get=SIGNED_IN),
    # Signals and weights: everyone reads them, admins change them.
    "signals": Access(get=SIGNED_IN),
    "signals_edit": Access(get=ADMIN, post=ADMIN),
    "signals_import": Access(post=ADMIN),
    "signals_version": Access(get=SIGNED_IN, kwargs=_signal_version),
    "signals_export": Access(get=SIGNED_IN, kwargs=_signal_version),
    "signals_restore": Access(post=ADMIN, kwargs=_signal_version),
    # Imports change the system of record: the admin role only.
    "imports": Access(get=ADMIN, post=ADMIN),
    "import_history": Access(get=ADMIN),
    "import_run": Access(get=ADMIN, kwargs=_import_run),
    "import_rejects": Access(get=ADMIN, kwargs=_import_run),
    "import_mappings": Access(get=ADMIN),
    "import_mapping_new": Access(get=ADMIN, post=ADMIN),
    "import_mapping_edit": Access(get=ADMIN, post=ADMIN, kwargs=_mapping),
    "import_mapping_delete": Access(post=ADMIN, kwargs=_mapping),
    # Renewals: everyone on staff reads the pipeline (each within the members they may see).
    "renewals": Access(get=SIGNED_IN),
    "renewals_csv": Access(get=SIGNED_IN),
    "renewals_expansion": Access(get=SIGNED_IN),
    "renewals_retention": Access(get=SIGNED_IN),
    # Recording renewals and lapses: anyone on staff but executives, for the members they may see.
    "member_renewal_record": Access(
        get=SIGNED_IN, post=MAY_CHANGE_MEMBERS, kwargs=_member, stranger_kwargs=_stranger
    ),
    # Journeys: everyone reads them; admins edit journeys and milestones; admins and managers move a
    # member to another journey; anyone but executives records a desired outcome or confirms a milestone
    # with evidence, for the members they may see.
    "journeys": Access(get=SIGNED_IN),
    "journey": Access(get=SIGNED_IN, kwargs=_journey),
    "journey_new": Access(get=ADMIN, post=ADMIN),
    "journey_edit": Access(get=ADMIN, post=ADMIN, kwargs=_journey),
    "milestone_new": Access(get=ADMIN, post=ADMIN, kwargs=_journey),
    "milestone_edit": Access(get=ADMIN, post=ADMIN, kwargs=_milestone),
    "milestone_move": Access(post=ADMIN, kwargs=_milestone),
    "milestone_remove": Access(get=ADMIN, post=ADMIN, kwargs=_milestone),
    "member_journey": Access(
        get=ADMIN | {Who.SUCCESS_MANAGER}, post=ADMIN | {Who.SUCCESS_MANAGER}, kwargs=_member, stranger_kwargs=_stranger
    ),
    "member_desired_outcome": Access(
        get=MAY_CHANGE_MEMBERS, post=MAY_CHANGE_MEMBERS, kwargs=_member, stranger_kwargs=_stranger
    ),
    "member_milestone_confirm": Access(
        get=MAY_CHANGE_MEMBERS, post=MAY_CHANGE_MEMBERS, kwargs=_member_milestone, stranger_kwargs=_stranger_milestone
    ),
    # The executive report names members across the membership: the roles that see every member, read-only.
    "report": Access(get=SEE_ALL_MEMBERS),
    "report_pdf": Access(get=SEE_ALL_MEMBERS),
    # A member's data on request: the admin role downloads everything about a member, or erases it
    # (a POST without the typed confirmation and a reason erases nothing and shows what is missing).
    "member_data_export": Access(get=ADMIN, kwargs=_member, stranger_kwargs=_stranger),
    "member_erase": Access(get=ADMIN, post=ADMIN, kwargs=_member, stranger_kwargs=_stranger),
    # Plays, tasks, saves and outreach: everyone reads; executives create nothing; staff act on the
    # members and tasks they work on; admins and managers edit the plays library.
    "plays": Access(get=SIGNED_IN),
    "play": Access(get=SIGNED_IN, kwargs=_play),
    "play_new": Access(get=ADMIN | {Who.SUCCESS_MANAGER}, post=ADMIN | {Who.SUCCESS_MANAGER}),
    "play_edit": Access(get=ADMIN | {Who.SUCCESS_MANAGER}, post=ADMIN | {Who.SUCCESS_MANAGER}, kwargs=_play),
    "tasks": Access(get=SIGNED_IN),
    "tasks_team": Access(get=SIGNED_IN),
    "task": Access(get=SIGNED_IN, post=MAY_CHANGE_MEMBERS, kwargs=_task, stranger_kwargs=_stranger_task),
    "saves": Access(get=SIGNED_IN),
    "member_task_new": Access(
        get=MAY_CHANGE_MEMBERS, post=MAY_CHANGE_MEMBERS, kwargs=_member, stranger_kwargs=_stranger
    ),
    "member_play_start": Access(post=MAY_CHANGE_MEMBERS, kwargs=_member_play, stranger_kwargs=_stranger_play),
    "member_save_new": Access(
        get=MAY_CHANGE_MEMBERS, post=MAY_CHANGE_MEMBERS, kwargs=_member, stranger_kwargs=_stranger
    ),
    "member_outreach": Access(get=SIGNED_IN, post=MAY_CHANGE_MEMBERS, kwargs=_member, stranger_kwargs=_stranger),
    # Success Potential: applicants are not members yet; the roles that see every member see them,
    # admins and managers add them, only admins change the fit criteria or train the model.
    "potential_applicants": Access(get=SEE_ALL_MEMBERS),
    "potential_applicant_new": Access(get=ADMIN | {Who.SUCCESS_MANAGER}, post=ADMIN | {Who.SUCCESS_MANAGER}),
    "potential_criteria": Access(get=SEE_ALL_MEMBERS),
    "potential_criterion_add": Access(post=ADMIN),
    "potential_criterion_toggle": Access(post=ADMIN, kwargs=_fit_criterion),
    "potential_train": Access(post=ADMIN),
    "potential_report": Access(get=SEE_ALL_MEMBERS),
    # The API's own pages: the schema and its browsable docs are for signed-in staff; the root is empty.
    "api-1:openapi-json": Access(get=SIGNED_IN),
    "api-1:openapi-view": Access(get=SIGNED_IN),
    "api-1:api-root": Access(get=NOBODY),
    # The Django admin: configuration, users and the audit log, for the admin role only.
    "admin:index": Access(get=ADMIN),
    "admin:login": Access(get=EVERYONE),
    "admin:logout": Access(get=NOBODY, post=ADMIN),
}
# Every other route in the admin's namespace is refused to everyone but the admin role
# (test_the_admin_site_refuses_everyone_but_the_admin_role).
ADMIN_SITE = Access(get=ADMIN)

# API operations, by (method, path as in the OpenAPI schema).
OPERATIONS: dict[tuple[str, str], Access] = {
    ("POST", "/api/v1/interactions/batch"): Access(post=frozenset({Who.ADMIN, Who.INGEST_TOKEN})),
    ("POST", "/api/v1/potential/applicants"): Access(
        post=frozenset({Who.ADMIN, Who.SUCCESS_MANAGER, Who.INGEST_TOKEN})
    ),
    ("GET", "/api/v1/potential/applicants"): Access(get=SEE_ALL_MEMBERS | {Who.READ_TOKEN}),
    ("GET", "/api/v1/potential/model"): Access(get=SEE_ALL_MEMBERS | {Who.READ_TOKEN}, kwargs=_fit_model),
    ("GET", "/api/v1/renewals/pipeline"): Access(get=SIGNED_IN | {Who.READ_TOKEN}),
    ("GET", "/api/v1/renewals/expansion"): Access(get=SIGNED_IN | {Who.READ_TOKEN}),
    ("POST", "/api/v1/outreach/check"): Access(
        post=SIGNED_IN | {Who.READ_TOKEN},
        executive_may_write="checking a draft reads the member and stores nothing",
    ),
}
