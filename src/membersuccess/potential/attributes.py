"""Applicant attributes: a JSON object whose names the organization has declared, each value
checked against its declared kind."""

from __future__ import annotations

from dataclasses import dataclass

from membersuccess.potential.models import DeclaredAttribute

AttributeValue = str | float | bool
MAX_TEXT = 200
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class AttributeError_(ValueError):
    """An attribute that is not declared or whose value does not fit its kind."""


@dataclass(frozen=True)
class AttributeRules:
    """The declared attributes, read once and used for many rows."""

    declared: dict[str, DeclaredAttribute]

    def clean(self, raw: object) -> dict[str, AttributeValue]:
        """The attributes as stored, or AttributeError_ naming the attribute and what is wrong."""
        if raw is None or raw == "":
            return {}
        if not isinstance(raw, dict):
            raise AttributeError_('must be a JSON object such as {"years_experience": 3}')
        cleaned: dict[str, AttributeValue] = {}
        for name, value in raw.items():
            attribute = self.declared.get(str(name))
            if attribute is None:
                raise AttributeError_(f"attribute {name!r} is not declared ({self._known()})")
            if value is None or value == "":
                continue
            cleaned[attribute.name] = _value(attribute, value)
        return cleaned

    def _known(self) -> str:
        if not self.declared:
            return "no attributes are declared yet; an admin declares them on the fit criteria page"
        return "declared: " + ", ".join(sorted(self.declared))


def attribute_rules() -> AttributeRules:
    return AttributeRules({a.name: a for a in DeclaredAttribute.objects.all()})


def _value(attribute: DeclaredAttribute, value: object) -> AttributeValue:
    label = f"attribute {attribute.name!r}"
    kind = attribute.kind
    if kind == DeclaredAttribute.Kind.NUMBER:
        if isinstance(value, bool):
            raise AttributeError_(f"{label} must be a number, not {value!r}")
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise AttributeError_(f"{label} must be a number, not {value!r}") from None
    if kind == DeclaredAttribute.Kind.YES_NO:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _YES | _NO:
            return word in _YES
        raise AttributeError_(f"{label} must be yes or no, not {value!r}")
    if isinstance(value, dict | list):
        raise AttributeError_(f"{label} must be a single value, not {type(value).__name__}")
    text = str(value).strip()
    if kind == DeclaredAttribute.Kind.CHOICE:
        allowed = [str(c) for c in attribute.choices]
        if text not in allowed:
            raise AttributeError_(f"{label} is {text!r}; use one of {', '.join(allowed)}")
        return text
    if len(text) > MAX_TEXT:
        raise AttributeError_(f"{label} is {len(text)} characters long; at most {MAX_TEXT} are allowed")
    return text
