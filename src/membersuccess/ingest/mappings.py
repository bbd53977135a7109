"""Saved column mappings: an organization maps its own export's column labels once and reuses them.

A mapping pairs *their* label with *our* column (`{"Constituent Code": "external_id"}`). Columns
it leaves out are still found by their own name or a known alias, so a mapping only needs the
labels that differ; every required column must have a label, though, so that a mapping says in
one place where each essential value of the export comes from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from membersuccess.ingest.errors import ImportFileError
from membersuccess.ingest.kinds import KINDS
from membersuccess.ingest.models import ColumnMapping, ImportRun
from membersuccess.ingest.services import ImportResult, Progress, run_import
from membersuccess.ingest.spec import Column, normalize

MAX_LABEL_LENGTH = 200
MAX_NAME_LENGTH = 100
EXAMPLE = '{"Member ID": "external_id"}'


class MappingError(Exception):
    """A saved mapping cannot be used for this import (no such name, or made for another kind)."""


@dataclass(frozen=True)
class MappingProblem:
    """One reason a mapping is invalid; `column` is our column it concerns, when there is one."""

    message: str
    column: str | None = None


def columns_of(kind: str) -> tuple[Column, ...]:
    """Our columns of a KIND, in the documented order."""
    return KINDS[kind].columns


def labels_to_pairs(labels: dict[str, str]) -> list[tuple[str, str]]:
    """(their label, our column) pairs from {our column: their label}, blank labels left out."""
    return [(label.strip(), column) for column, label in labels.items() if label and label.strip()]


def mapping_problems(*, kind: str, pairs: Iterable[tuple[Any, Any]]) -> list[MappingProblem]:
    """Everything wrong with (their label, our column) pairs for files of KIND, in words an admin can act on."""
    spec = KINDS.get(kind)
    if spec is None:
        return [MappingProblem(f"{kind!r} is not a kind of import file; use one of {', '.join(KINDS)}.")]
    pairs = list(pairs)
    if not all(isinstance(label, str) and isinstance(column, str) for label, column in pairs):
        return [MappingProblem(f"The mapping must pair each label with one column name, e.g. {EXAMPLE}.")]
    known = {c.name for c in spec.columns}
    problems: list[MappingProblem] = []
    label_of: dict[str, str] = {}  # our column -> their label
    column_of: dict[str, tuple[str, str]] = {}  # normalized label -> (label, our column)
    for label, column in pairs:
        if column not in known:
            problems.append(MappingProblem(
                f"{column!r} (for the label {label!r}) is not a column of {kind} files; "
                f"the columns are {', '.join(c.name for c in spec.columns)}."
            ))
            continue
        if not label.strip():
            problems.append(MappingProblem(f"The label for {column} is empty.", column))
            continue
        if len(label) > MAX_LABEL_LENGTH:
            problems.append(
                MappingProblem(f"The label for {column} is longer than {MAX_LABEL_LENGTH} characters.", column)
            )
            continue
        earlier = column_of.get(normalize(label))
        if earlier is not None:
            same = "" if earlier[0] == label else f" (as {earlier[0]!r}; case, spaces, - and _ do not count)"
            problems.append(MappingProblem(
                f"The label {label!r} is already given for {earlier[1]}{same}; one label can feed only one column.",
                column,
            ))
            continue
        if column in label_of:
            problems.append(MappingProblem(
                f"{column} already has the label {label_of[column]!r}; give each column one label.", column
            ))
            continue
        column_of[normalize(label)] = (label, column)
        label_of[column] = label
    for required in spec.required:
        if required.name not in label_of and not any(p.column == required.name for p in problems):
            problems.append(MappingProblem(
                f"{required.name} is required: give the label your export uses for it "
                f"({required.name} itself if the file already says so).",
                required.name,
            ))
    return problems


def check_mapping(*, kind: str, name: str, mapping: Any) -> None:
    """Raise a ValidationError (by field: name, kind, mapping) when the mapping cannot be saved."""
    errors: dict[str, list[str]] = {}
    if not name or not name.strip():
        errors["name"] = ["Give the mapping a name, e.g. the system the export comes from."]
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = [f"The name is longer than {MAX_NAME_LENGTH} characters."]
    if isinstance(mapping, dict):
        problems = mapping_problems(kind=kind, pairs=mapping.items())
    else:
        problems = [MappingProblem(f"The mapping must be an object of their labels and our columns, e.g. {EXAMPLE}.")]
    if kind not in KINDS:
        errors["kind"] = [p.message for p in problems]
    elif problems:
        errors["mapping"] = [p.message for p in problems]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def column_mapping_save(
    *,
    kind: str,
    name: str,
    labels: dict[str, str],
    by: User | None = None,
    existing: ColumnMapping | None = None,
) -> ColumnMapping:
    """Create a mapping from {our column: their label}, or change `existing`; ValidationError says what to fix."""
    target = existing if existing is not None else ColumnMapping(kind=kind, created_by=by)
    pairs = labels_to_pairs(labels)
    problems = mapping_problems(kind=target.kind, pairs=pairs)
    if problems:
        raise ValidationError({"mapping": [p.message for p in problems]})
    target.name = name.strip()
    target.mapping = dict(pairs)
    if ColumnMapping.objects.filter(kind=target.kind, name=target.name).exclude(pk=target.pk).exists():
        raise ValidationError({"name": [f"A {target.kind} mapping named {target.name!r} already exists; "
                                        "choose another name or edit that one."]})
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError as exc:  # a mapping of the same name saved in the meantime
        raise ValidationError({"name": ["A mapping with this name already exists for this kind of file."]}) from exc
    return target


def saved_mapping(*, kind: str, name: str) -> ColumnMapping:
    """The saved mapping of that name for KIND; MappingError says which names exist."""
    if kind not in KINDS:
        raise MappingError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    found = ColumnMapping.objects.filter(kind=kind, name=name).first()
    if found is not None:
        return found
    names = list(ColumnMapping.objects.filter(kind=kind).values_list("name", flat=True)[:20])
    listing = f"saved {kind} mappings: {', '.join(names)}" if names else f"no {kind} mapping is saved yet"
    elsewhere = list(ColumnMapping.objects.filter(name=name).values_list("kind", flat=True)[:6])
    hint = f"; {name!r} is a mapping for {', '.join(elsewhere)} files" if elsewhere else ""
    raise MappingError(f"no {kind} mapping named {name!r} ({listing}){hint}")


def import_with_mapping(
    *,
    kind: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    original_name: str = "",
    rejects_path: Path | None = None,
    started_by: User | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a file through `run_import` with a saved mapping, and record which mapping and file it was."""
    if mapping is not None and mapping.kind != kind:
        raise MappingError(f"the mapping {mapping.name!r} is for {mapping.kind} files, not {kind}")
    try:
        result = run_import(
            kind=kind,
            path=path,
            rejects_path=rejects_path,
            started_by=started_by,
            progress=progress,
            saved_mapping=dict(mapping.mapping) if mapping is not None else None,
        )
    except ImportFileError as exc:
        if exc.run_id is not None:
            _describe_run(exc.run_id, original_name=original_name, mapping=mapping, notes=[])
        raise
    if result.run_id is not None:
        _describe_run(result.run_id, original_name=original_name, mapping=mapping, notes=result.notes)
    return result


def _describe_run(run_id: int, *, original_name: str, mapping: ColumnMapping | None, notes: list[str]) -> None:
    ImportRun.objects.filter(pk=run_id).update(
        original_name=original_name[:255],
        mapping_name=mapping.name if mapping is not None else "",
        notes=list(notes),
    )
