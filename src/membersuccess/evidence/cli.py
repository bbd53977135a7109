"""`msm forecast retention`, `msm signals discover|learn` and `msm backtest`; membersuccess.cli only wires them in.

Every error the data can cause ends with one line naming what is wrong, and exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from membersuccess.evidence.errors import EvidenceError

forecast_app = typer.Typer(help="Retention projections and member lifetime value.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the SQLite database lives (default: $MSM_DATA_DIR or ./msm-data)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Evidence errors end the command with their one-line message and exit code 2."""
    try:
        yield
    except EvidenceError as error:
        err.print("[red]error:[/red] " + _escape(str(error)), highlight=False)
        raise typer.Exit(2) from error


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EvidenceError(f"{option} {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-06-30") from None


def _start(data_dir: Path | None) -> None:
    from membersuccess.cli import _start as start

    start(data_dir)


@forecast_app.command("retention")
def forecast_retention(
    cohort: Annotated[
        Path | None, typer.Option("--cohort", help="A file with columns period,active (members still active).")
    ] = None,
    horizon: Annotated[int, typer.Option(help="How many renewal periods to project.")] = 10,
    dues: Annotated[
        float | None,
        typer.Option(help="Dues per period for lifetime value (default: each group's average term, or 1 for a file)."),
    ] = None,
    discount_rate: Annotated[float, typer.Option("--discount-rate", help="Discount rate per period.")] = 0.10,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Count renewals known by YYYY-MM-DD (default: the data's end).")
    ] = None,
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Fit the shifted-beta-geometric retention model; project retention and member lifetime value."""
    from membersuccess.evidence.forecast import forecast_from_database, forecast_from_file, forecasts_json

    with _clear_errors():
        notes: list[str] = []
        day = _parse_date(as_of, "--as-of")
        if cohort is not None:
            forecasts = [forecast_from_file(cohort, horizon=horizon, dues=dues, discount_rate=discount_rate)]
        else:
            _start(data_dir)
            from django.utils import timezone

            from membersuccess.evidence.selectors import data_end

            day = day or data_end(today=timezone.localdate())
            forecasts, notes = forecast_from_database(
                as_of=day, horizon=horizon, dues=dues, discount_rate=discount_rate
            )
    if as_json:
        print(forecasts_json(forecasts, as_of=day if cohort is None else None))
        return
    for forecast in forecasts:
        _print_forecast(forecast)
    for note in notes:
        err.print(f"note: {_escape(note)}", highlight=False)


def _print_forecast(forecast: object) -> None:
    from membersuccess.evidence.forecast import RetentionForecast

    assert isinstance(forecast, RetentionForecast)
    title = (
        f"{forecast.name}: alpha {forecast.alpha:.3f}, beta {forecast.beta:.3f} "
        f"({forecast.members:,} members in {forecast.cohorts} cohort{'s' if forecast.cohorts != 1 else ''})"
    )
    table = Table("period", "projected active", "renewal rate", "observed", title=title)
    for point in forecast.retention:
        table.add_row(
            str(point.period),
            f"{point.survival:.1%}",
            "" if point.renewal_rate is None else f"{point.renewal_rate:.1%}",
            "" if point.observed is None else f"{point.observed:.1%}",
        )
    out.print(table)
    out.print(
        f"Lifetime value of a member joining now: {forecast.lifetime_value:,.2f} "
        f"(dues {forecast.dues:,.2f} a period, discount rate {forecast.discount_rate:.0%}); "
        f"still to come from a member who has renewed once: {forecast.residual_lifetime_value[1]:,.2f}"
        if len(forecast.residual_lifetime_value) > 1
        else f"Lifetime value of a member joining now: {forecast.lifetime_value:,.2f}",
        highlight=False,
    )



signals_app = typer.Typer(help="Which inputs predict renewal, and learned weights.", no_args_is_help=True)


@signals_app.command("discover")
def signals_discover(
    file: Annotated[Path, typer.Argument(help="A member-level table: CSV, XLSX, Parquet or JSON lines.")],
    outcome: Annotated[str, typer.Option("--outcome", help="The 0/1 column to predict, e.g. renewed.")],
    id_column: Annotated[str | None, typer.Option("--id", help="A column that identifies members (left out).")] = None,
    as_json: AsJson = False,
) -> None:
    """Cross-validated AUC of all inputs together, and each input's importance, direction and suggested weight."""
    from membersuccess.evidence.discover import discover, read_member_table

    with _clear_errors(), err.status("Cross-validating"):
        discovery = discover(read_member_table(file), outcome=outcome, id_column=id_column)
    if as_json:
        print(discovery.to_json())
        return
    out.print(
        f"{discovery.rows:,} members, {discovery.positive_rate:.0%} with {outcome} = 1; "
        f"cross-validated AUC of all inputs together: [bold]{discovery.auc:.3f}[/bold]",
        highlight=False,
    )
    table = Table("input", "kind", "importance", "±", "direction", "weight", "missing")
    for item in discovery.inputs:
        table.add_row(
            _escape(item.name), "number" if item.kind == "numeric" else "text",
            f"{item.importance:.3f}", f"{item.importance_sd:.3f}",
            item.direction, f"{item.weight:g}", f"{item.missing_share:.0%}",
        )
    out.print(table)
    out.print("importance: held-out AUC lost when the input is shuffled; weights share 10 points", highlight=False)
    for reason in discovery.ignored:
        err.print(f"left out: {_escape(reason)}", highlight=False)


@signals_app.command("learn")
def signals_learn(
    train_as_of: Annotated[
        str, typer.Option("--train-as-of", help="Fit the weights on renewals after this date, YYYY-MM-DD.")
    ],
    test_as_of: Annotated[
        str, typer.Option("--test-as-of", help="Test them on renewals after this later date, YYYY-MM-DD.")
    ],
    horizon: Annotated[int, typer.Option(help="Days after each date in which renewals are measured.")] = 365,
    adopt: Annotated[
        bool, typer.Option("--adopt", help="Save the learned weights as a new signals version, with the evidence.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --adopt: adopt even if they do not beat the current weights.")
    ] = False,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Fit signal weights on an earlier period, compare them with the current ones on a later one, and adopt them."""
    from membersuccess.evidence.learn import adopt_learned_weights, learn_weights

    with _clear_errors():
        train_day = _parse_date(train_as_of, "--train-as-of")
        test_day = _parse_date(test_as_of, "--test-as-of")
        assert train_day is not None and test_day is not None
        if force and not adopt:
            raise EvidenceError("--force only makes sense with --adopt")
        _start(data_dir)
        with err.status(f"Learning weights as of {train_day} and testing them as of {test_day}"):
            learned = learn_weights(train_as_of=train_day, test_as_of=test_day, horizon_days=horizon, engine=engine)
    refusal, adopted_version = "", None
    if adopt:
        try:
            adopted_version = adopt_learned_weights(learned, force=force).version
        except EvidenceError as error:
            refusal = str(error)
    if as_json:
        print(json.dumps({**learned.to_dict(), "adopted_version": adopted_version}, indent=2))
    else:
        _print_learned(learned)
        if adopted_version is not None:
            out.print(f"Adopted as signals version {adopted_version}, now active; the evidence is kept beside it. "
                      "The next scoring run uses it.", highlight=False)
    if refusal:
        err.print("[red]error:[/red] " + _escape(refusal), highlight=False)
        raise typer.Exit(2)


def _print_learned(learned: object) -> None:
    from membersuccess.evidence.learn import LearnedWeights

    assert isinstance(learned, LearnedWeights)
    train, test = learned.train, learned.test
    out.print(
        f"Trained on {train.members:,} members whose term ended in the {train.horizon_days} days after "
        f"{train.as_of} ({train.renewal_rate:.0%} renewed); tested on {test.members:,} after {test.as_of} "
        f"({test.renewal_rate:.0%} renewed).",
        highlight=False,
    )
    weights = Table("input", "direction", f"weight now (v{learned.signal_set_version})", "learned")
    for item in learned.inputs:
        weights.add_row(_escape(item.label), item.direction, f"{item.current:g}", f"{item.learned:g}")
    out.print(weights)
    holdout = Table("weights", "AUC", "Brier", "lift, riskiest 10%", title=f"On the renewals after {test.as_of}")
    for row in learned.holdout:
        holdout.add_row(row.weights, _num(row.auc), _num(row.brier), _num(row.lift_top_decile))
    out.print(holdout)
    verdict = "beat" if learned.beats_current else "do not beat"
    out.print(f"The learned weights {verdict} the current ones on the later period (AUC).", highlight=False)


def backtest_command(
    as_of: Annotated[str, typer.Option("--as-of", help="Score as of this past date, YYYY-MM-DD.")],
    horizon: Annotated[int, typer.Option(help="Days after the as-of date in which renewals are measured.")] = 365,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    as_json: AsJson = False,
    data_dir: DataDir = None,
) -> None:
    """Score every member as of a past date from what was known then; measure it against the renewals that followed."""
    from membersuccess.evidence.backtest import backtest

    with _clear_errors():
        day = _parse_date(as_of, "--as-of")
        assert day is not None
        _start(data_dir)
        with err.status(f"Scoring as of {day} and measuring the {horizon} days after"):
            result = backtest(as_of=day, horizon_days=horizon, engine=engine)
    if as_json:
        print(result.to_json())
        return
    out.print(
        f"Backtest as of {result.as_of}: {result.members:,} members whose term ended in the next "
        f"{result.horizon_days} days; {result.renewal_rate:.0%} renewed"
        + (f" ({result.pending:,} more too recent to know)" if result.pending else ""),
        highlight=False,
    )
    table = Table("score", "AUC", "Brier", "lift, riskiest 10%")
    table.add_row(f"Success Vector (signals v{result.signal_set_version})", _num(result.auc), _num(result.brier),
                  _num(result.lift_top_decile))
    for baseline in result.baselines:
        table.add_row(baseline.name.replace("_", " "), _num(baseline.auc), _num(baseline.brier),
                      _num(baseline.lift_top_decile))
    out.print(table)
    calibration = Table("predicted", "members", "mean predicted", "observed", title="Calibration")
    for row in result.calibration:
        calibration.add_row(row.bin, f"{row.n:,}", f"{row.predicted:.1%}", f"{row.observed:.1%}")
    out.print(calibration)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
