"""Forms of the Imports pages: the upload, and a saved column mapping with one field per column."""

from __future__ import annotations

from typing import Any

from django import forms

from membersuccess.ingest.kinds import KINDS
from membersuccess.ingest.mappings import MAX_LABEL_LENGTH, MAX_NAME_LENGTH, columns_of, mapping_problems
from membersuccess.ingest.models import ColumnMapping
from membersuccess.ingest.uploads import accepted_extensions, extension_problem

KIND_CHOICES = [(kind, kind.capitalize()) for kind in KINDS]
LABEL_PREFIX = "label_"


class MappingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ColumnMapping) -> str:
        return f"{obj.name} ({obj.kind})"


class UploadForm(forms.Form):
    """A file of one KIND, optionally read through a saved mapping."""

    kind = forms.ChoiceField(label="Kind of file", choices=KIND_CHOICES)
    file = forms.FileField(
        label="File",
        help_text=f"CSV, Excel (.xlsx), Parquet or JSON lines, with a header row ({', '.join(accepted_extensions())}).",
        error_messages={
            "required": "Choose a file to import.",
            "empty": "The file is empty; choose a file with a header row and at least one row.",
            "invalid": "No file came with the form; choose a file and send it again.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(accepted_extensions())}),
    )
    mapping = MappingChoiceField(
        label="Saved column mapping",
        queryset=ColumnMapping.objects.order_by("kind", "name"),
        required=False,
        empty_label="None: match columns by their names",
        help_text="For exports whose column labels differ from ours.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = extension_problem(upload.name or "")
        if problem is not None:
            raise forms.ValidationError(problem)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = data.get("mapping")
        kind = data.get("kind")
        if mapping is not None and kind and mapping.kind != kind:
            self.add_error(
                "mapping", f"The mapping “{mapping.name}” is for {mapping.kind} files; choose a {kind} mapping or none."
            )
        return data


class MappingKindForm(forms.Form):
    """The first step of a new mapping: which kind of file it is for."""

    kind = forms.ChoiceField(label="Kind of file", choices=KIND_CHOICES)


class ColumnMappingForm(forms.Form):
    """A name, and for each of our columns the label the organization's export uses for it."""

    name = forms.CharField(
        label="Name",
        max_length=MAX_NAME_LENGTH,
        help_text="E.g. the system the export comes from: “Raiser's Edge members”.",
        error_messages={"required": "Give the mapping a name, e.g. the system the export comes from."},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for column in columns_of(kind):
            also = ", ".join([column.name, *column.aliases])
            self.fields[LABEL_PREFIX + column.name] = forms.CharField(
                label=column.name,
                required=False,
                max_length=MAX_LABEL_LENGTH,
                help_text=("Required. " if column.required else "") + f"Without a label, found as: {also}.",
            )

    @classmethod
    def initial_for(cls, mapping: ColumnMapping) -> dict[str, str]:
        initial = {"name": mapping.name}
        for label, column in mapping.mapping.items():
            initial[LABEL_PREFIX + column] = label
        return initial

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(LABEL_PREFIX)]

    def labels(self) -> dict[str, str]:
        """{our column: their label} as entered (blank for columns left to their names)."""
        return {
            name.removeprefix(LABEL_PREFIX): (self.cleaned_data.get(name) or "").strip()
            for name in self.fields
            if name.startswith(LABEL_PREFIX)
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pairs = [(label, column) for column, label in self.labels().items() if label]
        for problem in mapping_problems(kind=self.kind, pairs=pairs):
            field = LABEL_PREFIX + problem.column if problem.column else None
            if field is not None and field in self.errors:
                continue
            self.add_error(field, problem.message)
        return data
