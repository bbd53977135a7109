"""The error answers every operation may give, documented so the schema tells the whole truth.

Django Ninja answers a body it cannot parse with 400 and a request that does not fit the schema
with 422 before an operation runs; these schemas describe those answers as it sends them."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class Problem(Schema):
    detail: str


class InvalidField(Schema):
    type: str = Field(..., description="What kind of problem, e.g. `missing`, `int_parsing`.")
    loc: list[str | int] = Field(..., description="Where: e.g. `[\"body\", \"payload\", \"items\", 0, \"name\"]`.")
    msg: str = Field(..., description="The problem in words.")


class InvalidRequest(Schema):
    detail: list[InvalidField] = Field(..., description="Every part of the request that does not fit the schema.")


# Added to every operation's responses: a body that is not JSON (400) or does not fit the schema (422).
BODY_PROBLEMS: dict[int, type[Schema]] = {400: Problem, 422: InvalidRequest}
# For operations that take only query parameters: a parameter of the wrong type (422).
QUERY_PROBLEMS: dict[int, type[Schema]] = {422: InvalidRequest}
