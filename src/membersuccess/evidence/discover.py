"""`msm signals discover`: which inputs in a member-level table predict an outcome, and how much.

The combined model is a logistic regression (scikit-learn) over every input column: numeric columns
are imputed with their median (plus a "was missing" indicator) and standardized; text columns are
one-hot encoded with missing as its own category. Its skill is the AUC cross-validated over
stratified folds. An input's importance is how much the held-out AUC drops when that column alone
is shuffled (permutation importance, averaged over folds and repeats), so a text column with many
categories is judged as one input. Direction comes from the column's own relation to the outcome
(rank correlation for numbers; a text column is "mixed"). Suggested weights share 10 points in
proportion to importance; inputs whose importance cannot be told from zero get weight 0."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from membersuccess.evidence.errors import EvidenceError, EvidenceFileError

FOLDS = 5
REPEATS = 5
WEIGHT_POINTS = 10.0
SEED = 20070101
# Text columns with more distinct values than this share of rows look like names, notes or ids.
MAX_DISTINCT_SHARE = 0.5
MIN_ROWS_PER_CLASS = 5
TRUE_WORDS = {"1", "1.0", "true", "yes"}
FALSE_WORDS = {"0", "0.0", "false", "no"}


@dataclass(frozen=True)
class DiscoveredInput:
    """One candidate input: how much it adds to the combined model, which way it points, a suggested weight."""

    name: str
    kind: str  # "numeric" or "categorical"
    importance: float  # held-out AUC lost when the column is shuffled
    importance_sd: float
    # "helps" (higher goes with outcome 1), "hurts", "mixed" (a text column), "none" (no distinguishable effect)
    direction: str
    weight: float  # suggested weight; the weights share 10 points
    missing_share: float
    note: str = ""


@dataclass(frozen=True)
class Discovery:
    """What the table says: the combined model's cross-validated AUC and each input's part in it."""

    outcome: str
    rows: int
    positive_rate: float
    auc: float
    auc_folds: list[float]
    inputs: list[DiscoveredInput]
    ignored: list[str] = field(default_factory=list)  # columns left out, with why

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


@dataclass(frozen=True)
class MemberTable:
    """A member-level table as columns of raw cells, with the file line of each row."""

    path: Path
    columns: dict[str, list[Any]]
    lines: list[int]
    line_label: str = "line"


def read_member_table(path: Path) -> MemberTable:
    """Read a CSV, XLSX, Parquet or JSON-lines table with a header row."""
    from membersuccess.ingest.errors import ImportFileError
    from membersuccess.ingest.readers import open_rows

    try:
        opened = open_rows(path, looks_like_header=lambda labels: sum(bool(x) for x in labels) >= 2)
    except ImportFileError as error:
        raise EvidenceFileError(path, error.reason) from error
    header = [name for name in opened.header if name]
    columns: dict[str, list[Any]] = {name: [] for name in header}
    lines: list[int] = []
    for batch in opened.batches:
        for raw in batch:
            if raw.problem:
                raise EvidenceFileError(path, f"{raw.problem}", line=raw.line)
            lines.append(raw.line)
            for name in header:
                columns[name].append(raw.cells.get(name))
    if not lines:
        raise EvidenceFileError(path, "has a header but no rows")
    return MemberTable(path=path, columns=columns, lines=lines, line_label=opened.line_label)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or (
        isinstance(value, float) and math.isnan(value)
    )


def _outcome(table: MemberTable, name: str) -> np.ndarray:
    if name not in table.columns:
        found = ", ".join(table.columns)
        raise EvidenceFileError(table.path, f"there is no outcome column {name!r} (columns: {found})")
    values = []
    for value, line in zip(table.columns[name], table.lines, strict=True):
        text = "" if value is None else str(value).strip().lower()
        if text in TRUE_WORDS:
            values.append(1)
        elif text in FALSE_WORDS:
            values.append(0)
        else:
            shown = "empty" if text == "" else f"{value!r} is not 0 or 1"
            raise EvidenceFileError(
                table.path, f"{shown}: the outcome must be 0 or 1 on every row", line=line, column=name
            )
    y = np.array(values, dtype=int)
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        raise EvidenceError(
            f"{table.path}: the outcome {name!r} is {y[0]} on every row: "
            "nothing can predict an outcome that never varies"
        )
    if min(positives, len(y) - positives) < MIN_ROWS_PER_CLASS:
        raise EvidenceError(
            f"{table.path}: the outcome {name!r} has only {min(positives, len(y) - positives)} rows of one kind: "
            f"at least {MIN_ROWS_PER_CLASS} of each (0 and 1) are needed to cross-validate"
        )
    return y


def _as_number(value: Any) -> float | None:
    if _blank(value):
        return math.nan
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "")) if str(value).strip() else math.nan
    except ValueError:
        return None


def _prepared_columns(
    table: MemberTable, *, outcome: str, id_column: str | None
) -> tuple[list[str], list[str], list[np.ndarray], list[str]]:
    """(names, kinds, arrays, ignored) for the candidate inputs."""
    if id_column is not None and id_column not in table.columns:
        found = ", ".join(table.columns)
        raise EvidenceFileError(table.path, f"there is no id column {id_column!r} (columns: {found})")
    names: list[str] = []
    kinds: list[str] = []
    arrays: list[np.ndarray] = []
    ignored: list[str] = []
    rows = len(table.lines)
    for name, cells in table.columns.items():
        if name in (outcome, id_column):
            continue
        present = [c for c in cells if not _blank(c)]
        if not present:
            ignored.append(f"{name}: empty on every row")
            continue
        numbers = [_as_number(c) for c in cells]
        if all(n is not None for n in numbers):
            array = np.array(numbers, dtype=float)
            if np.nanstd(array) == 0:
                ignored.append(f"{name}: the same value on every row")
                continue
            names.append(name)
            kinds.append("numeric")
            arrays.append(array)
            continue
        text = np.array(["" if _blank(c) else str(c).strip() for c in cells], dtype=object)
        distinct = len(set(text[text != ""]))
        if distinct <= 1:
            ignored.append(f"{name}: the same value on every row")
            continue
        if distinct > max(20, MAX_DISTINCT_SHARE * rows):
            ignored.append(f"{name}: {distinct} different values looks like a name, note or identifier")
            continue
        names.append(name)
        kinds.append("categorical")
        arrays.append(text)
    if not names:
        raise EvidenceError(f"{table.path}: no column besides the outcome and the id can be used as an input")
    return names, kinds, arrays, ignored


def _pipeline(kinds: Sequence[str]) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [i for i, k in enumerate(kinds) if k == "numeric"]
    categorical = [i for i, k in enumerate(kinds) if k == "categorical"]
    parts = []
    if numeric:
        parts.append((
            "numeric",
            make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
            numeric,
        ))
    if categorical:
        parts.append(("categorical", OneHotEncoder(handle_unknown="ignore"), categorical))
    return Pipeline([
        ("inputs", ColumnTransformer(parts)),
        ("model", LogisticRegression(max_iter=2000, C=1.0)),
    ])


def _matrix(arrays: Sequence[np.ndarray]) -> np.ndarray:
    matrix = np.empty((len(arrays[0]), len(arrays)), dtype=object)
    for j, array in enumerate(arrays):
        matrix[:, j] = array
    return matrix


def _direction(kind: str, array: np.ndarray, y: np.ndarray) -> str:
    if kind != "numeric":
        return "mixed"
    known = ~np.isnan(array)
    if known.sum() < 3 or np.std(array[known]) == 0:
        return "mixed"
    rho = stats.spearmanr(array[known], y[known]).statistic
    if not np.isfinite(rho) or rho == 0:
        return "mixed"
    return "helps" if rho > 0 else "hurts"


def discover(table: MemberTable, *, outcome: str, id_column: str | None = None) -> Discovery:
    """Cross-validated AUC of the combined model, and each input's importance, direction and weight."""
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    y = _outcome(table, outcome)
    names, kinds, arrays, ignored = _prepared_columns(table, outcome=outcome, id_column=id_column)
    x = _matrix(arrays)
    # Numeric columns go to the model as floats; the object matrix keeps text columns as they are.
    folds = min(FOLDS, int(min(y.sum(), len(y) - y.sum())))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    rng = np.random.default_rng(SEED)
    fold_aucs: list[float] = []
    drops: list[list[float]] = [[] for _ in names]
    for train, test in splitter.split(x, y):
        model = _pipeline(kinds).fit(x[train], y[train])
        held_out = x[test]
        base = float(roc_auc_score(y[test], model.predict_proba(held_out)[:, 1]))
        fold_aucs.append(base)
        for j in range(len(names)):
            for _ in range(REPEATS):
                shuffled = held_out.copy()
                shuffled[:, j] = rng.permutation(shuffled[:, j])
                drops[j].append(base - float(roc_auc_score(y[test], model.predict_proba(shuffled)[:, 1])))
    importances = [float(np.mean(d)) for d in drops]
    spreads = [float(np.std(d, ddof=1)) if len(d) > 1 else 0.0 for d in drops]
    # Distinguishable from zero: the mean drop is at least two standard errors above zero.
    real = [
        imp > 0 and imp >= 2 * sd / math.sqrt(len(d))
        for imp, sd, d in zip(importances, spreads, drops, strict=True)
    ]
    total = sum(imp for imp, keep in zip(importances, real, strict=True) if keep)
    inputs = []
    for j, name in enumerate(names):
        weight = round(WEIGHT_POINTS * importances[j] / total, 2) if real[j] and total > 0 else 0.0
        missing = float(np.mean([_blank(v) for v in table.columns[name]]))
        inputs.append(DiscoveredInput(
            name=name, kind=kinds[j], importance=round(importances[j], 6), importance_sd=round(spreads[j], 6),
            direction=_direction(kinds[j], arrays[j], y) if real[j] else "none",
            weight=weight, missing_share=round(missing, 6),
            note="" if real[j] else "no effect distinguishable from chance",
        ))
    inputs.sort(key=lambda i: -i.importance)
    return Discovery(
        outcome=outcome, rows=len(y), positive_rate=round(float(y.mean()), 6),
        auc=round(float(np.mean(fold_aucs)), 6), auc_folds=[round(a, 6) for a in fold_aucs],
        inputs=inputs, ignored=ignored,
    )
