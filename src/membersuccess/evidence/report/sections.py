"""The report as sections of plain text, figures, tables and charts: one idea per section.

The HTML and the PDF both render these sections, so the two always say the same thing in the same words."""

from __future__ import annotations

from dataclasses import dataclass, field

from membersuccess.evidence.report.build import ExecutiveReport
from membersuccess.evidence.report.charts import Bar, Chart, Point, bar_chart, scatter_chart
from membersuccess.evidence.report.renewals import AT_RISK, STATUS_LABELS, STATUS_ORDER
from membersuccess.evidence.report.success import DEMANDING_TICKETS, HAPPY_NPS, NamedMember

BASELINE_LABELS = {"usage_only": "Usage only (portal logins)", "nps_only": "NPS only (happiness)"}


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lead: str  # the one idea, in a sentence
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)


TITLES = {
    "glance": "At a glance",
    "retention": "Member and dues retention",
    "by_status": "Renewal rate by success status",
    "value_at_risk": "Value at risk",
    "expansion": "Expansion from successful members",
    "root_causes": "Churn root causes: the milestones lapsed members missed",
    "quadrant": "Success versus happiness",
    "usage": "Active usage against success",
    "evidence": "How well the Success Vector predicts renewal",
    "lifetime": "Member lifetime value and what retention is worth",
}


def report_sections(report: ExecutiveReport) -> list[Section]:
    """Every section of the report, in reading order."""
    return [
        _glance(report), _retention(report), _by_status(report), _value_at_risk(report), _expansion(report),
        _root_causes(report), _quadrant(report), _usage(report), _evidence(report), _lifetime(report),
    ]


def _glance(r: ExecutiveReport) -> Section:
    counts = r.status_counts
    figures = [("Members scored", f"{r.members_scored:,}")]
    figures += [(STATUS_LABELS[s], f"{counts.get(s, 0):,}") for s in STATUS_ORDER]
    figures += [
        ("Member retention, last 12 months", pct(r.retention.member_rate)),
        ("Net dues retention, last 12 months", pct(r.retention.net_dues_rate)),
        ("Dues at risk, next 12 months", money(r.value_at_risk.at_risk)),
    ]
    if r.backtest is not None:
        figures.append(("Success Vector AUC (backtest)", num(r.backtest.auc)))
    return Section(
        "glance", TITLES["glance"],
        f"Where members stand on {r.as_of}: whether they are on the path to what they joined for, and what that "
        "means for renewals and dues.",
        figures=figures,
        definitions=[
            "Success Vector: a 0-100 score of each member's progress toward their Desired Outcome (milestones "
            "reached and engagement of many kinds), computed from interactions up to the as-of date with "
            f"signals v{r.signal_version}.",
            "Statuses: on track; drifting (the score fell fast over 30 days); off track (next milestone overdue, "
            "or the score below the low band); too early (joined recently, nothing due yet).",
        ],
    )


def _retention(r: ExecutiveReport) -> Section:
    ret = r.retention
    bars = [Bar(q.label, q.rate or 0.0, f"{pct(q.rate)} of {q.decided:,}") for q in ret.by_quarter]
    return Section(
        "retention", TITLES["retention"],
        f"Of the {ret.decided:,} memberships that came up for renewal between {ret.since} and {ret.until}, "
        f"{ret.renewed:,} renewed.",
        figures=[
            ("Member retention", pct(ret.member_rate)),
            ("Gross dues retention", pct(ret.gross_dues_rate)),
            ("Net dues retention", pct(ret.net_dues_rate)),
            ("Dues up for renewal", money(ret.dues_up)),
            ("Dues kept (net)", money(ret.dues_kept_net)),
        ],
        charts=[bar_chart("Member retention by quarter the term ended", bars, maximum=1.0)] if bars else [],
        definitions=[
            "Member retention: terms that ended in the 12 months up to the as-of date and were renewed, divided by "
            "all such terms whose renewal was decided (renewed, lapsed or cancelled).",
            "Gross dues retention: dues renewed, each capped at what it was before, divided by dues up for renewal. "
            "Net dues retention counts what renewing members pay now, upgrades and downgrades included.",
        ],
    )


def _by_status(r: ExecutiveReport) -> Section:
    rows = r.renewal_by_status
    lead = ("Renewal rate by status a year earlier: "
            + ", ".join(f"{row.label.lower()} {pct(row.rate)}" for row in rows) + "."
            if rows else "No renewal decisions since a year ago to compare statuses.")
    return Section(
        "by_status", TITLES["by_status"], lead,
        tables=[Table(["Status on " + str(r.year_ago), "Members whose term came up", "Renewed", "Renewal rate"],
                      [[row.label, f"{row.members:,}", f"{row.renewed:,}", pct(row.rate)] for row in rows])],
        charts=[bar_chart("Renewal rate by success status a year earlier",
                          [Bar(row.label, row.rate or 0.0, pct(row.rate), row.status in AT_RISK) for row in rows],
                          maximum=1.0)] if rows else [],
        definitions=[
            f"Each member's status is their Success Vector computed as of {r.year_ago} from what was known then; "
            f"the outcome is their first renewal decision between {r.year_ago} and {r.as_of}.",
        ],
    )


def _value_at_risk(r: ExecutiveReport) -> Section:
    risk = r.value_at_risk
    return Section(
        "value_at_risk", TITLES["value_at_risk"],
        f"{money(risk.at_risk)} in dues comes up for renewal in the next 12 months from {risk.members_at_risk:,} "
        "members who are off track or drifting today.",
        figures=[
            ("Dues up for renewal, next 12 months", money(risk.up_for_renewal)),
            ("Of which held by off-track or drifting members", money(risk.at_risk)),
            ("Expected dues lost at last year's lapse rates", money(risk.expected_loss)),
        ],
        tables=[Table(["Status today", "Members renewing", "Dues up for renewal", "Lapse rate last year",
                       "Expected dues lost"],
                      [[v.label, f"{v.members:,}", money(v.dues), pct(v.expected_lapse_rate),
                        money(v.expected_loss)] for v in risk.by_status])],
        charts=[bar_chart("Dues up for renewal in the next 12 months, by status today",
                          [Bar(v.label, v.dues, money(v.dues), v.status in AT_RISK) for v in risk.by_status])]
        if risk.by_status else [],
        definitions=[
            f"Value at risk: the dues of active terms ending between {r.as_of} and a year later, held by members "
            "whose status is off track or drifting. Expected dues lost applies to each status the share of "
            "members of that status who lapsed in the past year.",
        ],
    )


def _expansion(r: ExecutiveReport) -> Section:
    rows = r.renewal_by_status
    total = sum(row.dues_added for row in rows)
    on_track = sum(row.dues_added for row in rows if row.status == "on_track")
    return Section(
        "expansion", TITLES["expansion"],
        f"{pct(on_track / total if total else None)} of the dues added by upgrades came from members who were "
        "on track a year earlier.",
        figures=[("Dues added by upgrades", money(total)), ("From members on track", money(on_track))],
        tables=[Table(["Status on " + str(r.year_ago), "Members whose term came up", "Upgraded", "Upgrade rate",
                       "Dues added"],
                      [[row.label, f"{row.members:,}", f"{row.upgraded:,}",
                        pct(row.upgraded / row.members if row.members else None), money(row.dues_added)]
                       for row in rows])],
        charts=[bar_chart("Upgrade rate by success status a year earlier",
                          [Bar(row.label, row.upgraded / row.members if row.members else 0.0,
                               pct(row.upgraded / row.members if row.members else None)) for row in rows])]
        if rows else [],
        definitions=[
            "Expansion: renewals to a higher membership tier; dues added is what the new term costs above the one "
            "before it. Offers to off-track members are held back until a success plan is in motion.",
        ],
    )


def _root_causes(r: ExecutiveReport) -> Section:
    rows = r.missed_milestones
    lead = (f"The milestone lapsed members missed most often: {rows[0].milestone} ({rows[0].journey}), missed by "
            f"{pct(rows[0].lapsed_rate)} of lapsed members it was due for, against {pct(rows[0].renewed_rate)} "
            "of those who renewed." if rows else "No lapsed member had missed a milestone that was due.")
    return Section(
        "root_causes", TITLES["root_causes"], lead,
        tables=[Table(["Milestone", "Journey", "Lapsed members who missed it", "Missed by lapsed",
                       "Missed by renewed"],
                      [[m.milestone, m.journey, f"{m.lapsed_missed:,} of {m.lapsed_due:,}", pct(m.lapsed_rate),
                        pct(m.renewed_rate)] for m in rows])],
        charts=[bar_chart("Lapsed members who had missed each milestone",
                          [Bar(m.milestone, m.lapsed_missed, f"{m.lapsed_missed:,}", True) for m in rows])]
        if rows else [],
        definitions=[
            f"Churn is a symptom; the root cause is a missed milestone. For members whose term came up between "
            f"{r.year_ago} and {r.as_of}, the milestones of their journey that were due by {r.year_ago} and not "
            "reached by then, counted separately for those who lapsed and those who renewed.",
        ],
    )


def _named_rows(members: list[NamedMember]) -> list[list[str]]:
    return [[m.name, f"{m.score:.0f}", "no answer" if m.nps is None else str(m.nps), str(m.tickets)]
            for m in members]


def _quadrant(r: ExecutiveReport) -> Section:
    q = r.quadrant
    headers = ["Member", "Success Vector", "Latest NPS", "Tickets (12 months)"]
    return Section(
        "quadrant", TITLES["quadrant"],
        f"Happiness is not success: {q.quiet_unsuccessful_total:,} members are quiet but unsuccessful, and "
        f"{q.demanding_successful_total:,} are demanding but successful.",
        figures=[
            ("Successful and happy", f"{q.counts['successful_happy']:,}"),
            ("Successful but unhappy", f"{q.counts['successful_unhappy']:,}"),
            ("Happy but not successful", f"{q.counts['unsuccessful_happy']:,}"),
            ("Neither", f"{q.counts['unsuccessful_unhappy']:,}"),
        ],
        charts=[scatter_chart(
            "NPS against the Success Vector", [Point(score, nps) for score, nps in q.points],
            x_range=(0, 100), y_range=(0, 10), x_label="Success Vector", y_label="NPS",
            x_line=q.success_line, y_line=HAPPY_NPS - 0.5,
            corner_labels=("happy, not successful", "happy and successful", "neither", "successful, not happy"),
        )] if q.points else [],
        tables=[
            Table(headers, _named_rows(q.quiet_unsuccessful),
                  f"Quiet but unsuccessful ({q.quiet_unsuccessful_total:,}; lowest scores first)"),
            Table(headers, _named_rows(q.demanding_successful),
                  f"Demanding but successful ({q.demanding_successful_total:,}; highest scores first)"),
        ],
        definitions=[
            f"Successful: on track with a score of at least {q.success_line:g}. Happy: latest NPS answer in the "
            f"last 12 months of {HAPPY_NPS} or more. The chart shows members who answered.",
            f"Quiet but unsuccessful: off track, below {q.success_line:g}, no support ticket in 12 months and no "
            "unhappy NPS answer: they never complain, and they are the ones to optimize around.",
            f"Demanding but successful: successful, with an NPS below {HAPPY_NPS} or {DEMANDING_TICKETS}+ tickets "
            "in 12 months: not happy, yet getting what they came for.",
        ],
    )


def _usage(r: ExecutiveReport) -> Section:
    bands = r.usage
    heavy = next((b for b in reversed(bands[1:]) if b.members), None)
    lead = ("Active usage is not success: " + (
        f"{pct(heavy.on_track_rate)} of the heaviest portal users ({heavy.label}) are on track, and "
        f"{pct(heavy.renewal_rate)} of those in that band a year ago renewed." if heavy else
        "no member used the portal."))
    return Section(
        "usage", TITLES["usage"], lead,
        tables=[Table(["Portal use (days, last 90)", "Members", "On track", "Mean Success Vector",
                       "Renewal rate (band a year ago)"],
                      [[b.label, f"{b.members:,}", pct(b.on_track_rate), num(b.mean_score, 1),
                        pct(b.renewal_rate)] for b in bands])],
        charts=[bar_chart("Share on track, by portal use",
                          [Bar(b.label, b.on_track_rate or 0.0, pct(b.on_track_rate)) for b in bands],
                          maximum=1.0)] if bands else [],
        definitions=[
            "Portal use: distinct days with a portal login in the 90 days up to the date. It is one properly "
            "weighted input of the Success Vector, not the measure of success. The renewal rate is that of the "
            "members in the band a year earlier whose term came up since.",
        ],
    )


def _evidence(r: ExecutiveReport) -> Section:
    bt = r.backtest
    if bt is None:
        return Section("evidence", TITLES["evidence"], r.backtest_note or "The backtest has not been run.")
    baselines = {b.name: b for b in bt.baselines}
    lead = f"Scored as of {bt.as_of} from what was known then, the Success Vector's AUC for renewal was {num(bt.auc)}"
    lead += "; " + "; ".join(f"{BASELINE_LABELS.get(b.name, b.name).split(' (')[0].lower()}: {num(b.auc)}"
                             for b in bt.baselines) + "." if bt.baselines else "."
    rows = [["Success Vector", num(bt.auc), num(bt.brier), num(bt.lift_top_decile, 2)]]
    rows += [[BASELINE_LABELS.get(b.name, b.name), num(b.auc), num(b.brier), num(b.lift_top_decile, 2)]
             for b in baselines.values()]
    calibration = Table(["Predicted renewal", "Members", "Mean predicted", "Observed renewal"],
                        [[c.bin, f"{c.n:,}", pct(c.predicted), pct(c.observed)] for c in bt.calibration],
                        "Calibration: predicted against observed renewal")
    return Section(
        "evidence", TITLES["evidence"], lead,
        figures=[("Members measured", f"{bt.members:,}"), ("Horizon", f"{bt.horizon_days} days"),
                 ("Renewal rate", pct(bt.renewal_rate)), ("AUC", num(bt.auc)), ("Brier score", num(bt.brier)),
                 ("Lift in the riskiest decile", num(bt.lift_top_decile, 2))],
        tables=[Table(["Score", "AUC", "Brier score", "Lift, riskiest 10%"], rows,
                      "The vector against simpler scores, on the same members"), calibration],
        charts=[
            bar_chart("AUC: the vector against usage-only and NPS-only",
                      [Bar("Success Vector", bt.auc or 0.0, num(bt.auc), True)]
                      + [Bar(BASELINE_LABELS.get(b.name, b.name).split(" (")[0], b.auc or 0.0, num(b.auc))
                         for b in bt.baselines], maximum=1.0),
            scatter_chart("Calibration", [Point(c.predicted, c.observed, True) for c in bt.calibration],
                          x_range=(0, 1), y_range=(0, 1), x_label="Predicted renewal probability",
                          y_label="Observed", diagonal=True, height=260),
        ],
        definitions=[
            f"Backtest: every member scored as of {bt.as_of} using only interactions up to that day, measured "
            f"against whether they renewed in the following {bt.horizon_days} days.",
            "AUC: the chance that a member who renewed scored higher than one who lapsed (0.5 is a coin toss, "
            "1 is perfect). Brier score: mean squared error of the predicted renewal probability (lower is better). "
            "Lift: the lapse rate among the riskiest 10% divided by the overall lapse rate.",
        ],
    )


def _lifetime(r: ExecutiveReport) -> Section:
    forecasts = r.lifetime
    if not forecasts:
        note = " ".join(r.lifetime_notes) or "Not enough membership history to fit the retention model."
        return Section("lifetime", TITLES["lifetime"], note)
    everyone = forecasts[0]
    worth = r.one_point_worth
    return Section(
        "lifetime", TITLES["lifetime"],
        f"A member joining today is worth {money(everyone.lifetime_value)} in discounted dues; one point more "
        f"retention is worth {money(worth)}.",
        figures=[("Lifetime value of a new member", money(everyone.lifetime_value)),
                 ("Members up for renewal, next 12 months", f"{r.members_up_for_renewal:,}"),
                 ("One point of retention is worth", money(worth))],
        tables=[Table(["Group", "Members", "Dues a term", "Lifetime value", "alpha", "beta"],
                      [[f.name, f"{f.members:,}", money(f.dues), money(f.lifetime_value), num(f.alpha, 2),
                        num(f.beta, 2)] for f in forecasts])],
        charts=[bar_chart("Lifetime value by segment",
                          [Bar(f.name, f.lifetime_value, money(f.lifetime_value)) for f in forecasts])],
        definitions=[
            "Lifetime value: expected discounted dues from a member joining now (first payment included), from "
            "the shifted-beta-geometric retention model fitted to join-year cohorts, discounted at "
            f"{pct(everyone.discount_rate)} a year.",
            "One point of retention: 1% of the members up for renewal in the next 12 months, each kept for a "
            "renewal's dues plus the discounted dues still expected after it.",
            *r.lifetime_notes,
        ],
    )
