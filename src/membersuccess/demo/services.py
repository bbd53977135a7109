"""`msm demo`: install the demo configuration, generate the association, load it through the import path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from membersuccess.demo.blueprint import DEMO_PASSWORD, DEMO_USERNAME
from membersuccess.demo.catalog import install_demo_catalog
from membersuccess.demo.generator import IMPORT_ORDER, default_as_of, generate_demo_files
from membersuccess.ingest.services import ImportResult, run_import
from membersuccess.plays.library import install_default_library

Progress = Callable[[int], None]

IMPORT_DIRECTORY = "demo-import"
# Rough seconds per unit of work, measured on a 2-core machine: they only share out the
# progress bar between generating and importing, so that it moves evenly.
_SECONDS_PER_MEMBER_GENERATED = 0.0003
_SECONDS_PER_ROW_IMPORTED = {"members": 0.00023, "memberships": 0.00011, "outcomes": 0.00042,
                             "interactions": 0.00006, "tickets": 0.00012, "surveys": 0.0001}


@dataclass(frozen=True)
class DemoSummary:
    """What `msm demo` loaded, and how to sign in."""

    members: int
    terms: int
    outcomes: int
    interactions: int
    tickets: int
    surveys: int
    staff: int
    rejected: int
    import_dir: Path
    as_of: date
    imports: dict[str, ImportResult] = field(default_factory=dict)
    username: str = DEMO_USERNAME
    password: str = DEMO_PASSWORD

    def counts(self) -> dict[str, int]:
        """The loaded counts as staff read them, for a table."""
        return {
            "members": self.members,
            "membership terms": self.terms,
            "desired outcomes": self.outcomes,
            "interactions": self.interactions,
            "support tickets": self.tickets,
            "survey responses": self.surveys,
            "staff": self.staff,
            "rows rejected": self.rejected,
        }


class _SharedProgress:
    """One progress scale (0..members) shared by generation and the six imports."""

    def __init__(self, *, members: int, report: Progress | None) -> None:
        self.members = members
        self.report = report
        self.total = members * _SECONDS_PER_MEMBER_GENERATED
        self.done = 0.0

    def plan_imports(self, rows: dict[str, int]) -> None:
        self.total += sum(rows[kind] * _SECONDS_PER_ROW_IMPORTED[kind] for kind in rows)

    def stage(self, weight: float) -> Progress:
        base = self.done

        def update(units: int) -> None:
            self.done = base + units * weight
            if self.report is not None and self.total > 0:
                self.report(min(self.members, int(self.members * self.done / self.total)))

        return update


def build_demo(
    *,
    members: int,
    seed: int,
    data_dir: Path,
    as_of: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Build the demo association and load it exactly as an organization would load its own data."""
    as_of = as_of or default_as_of()
    catalog = install_demo_catalog()
    install_default_library()  # the plays that ship with the product, linked to the demo's outcomes
    shared = _SharedProgress(members=members, report=progress)
    # Until the files exist the import share is unknown; plan with ~100 interactions a member.
    shared.plan_imports({"members": members, "memberships": 2 * members, "outcomes": members,
                         "interactions": 100 * members, "tickets": members, "surveys": members})
    files = generate_demo_files(members=members, seed=seed, out_dir=data_dir / IMPORT_DIRECTORY, as_of=as_of,
                                progress=shared.stage(_SECONDS_PER_MEMBER_GENERATED))
    shared.total = members * _SECONDS_PER_MEMBER_GENERATED
    shared.plan_imports(files.rows)
    results: dict[str, ImportResult] = {}
    for kind in IMPORT_ORDER:
        results[kind] = run_import(kind=kind, path=files.paths[kind],
                                   progress=shared.stage(_SECONDS_PER_ROW_IMPORTED[kind]))
    if progress is not None:
        progress(members)
    return DemoSummary(
        members=results["members"].rows_kept,
        terms=results["memberships"].rows_kept,
        outcomes=results["outcomes"].rows_kept,
        interactions=results["interactions"].rows_kept,
        tickets=results["tickets"].rows_kept,
        surveys=results["surveys"].rows_kept,
        staff=catalog.staff,
        rejected=sum(r.rows_rejected for r in results.values()),
        import_dir=files.directory,
        as_of=as_of,
        imports=results,
    )
