"""A simulated chunk as Arrow tables with exactly the columns of docs/import-formats.md.

Strings are built column-wise with Arrow compute (dictionary lookups and joins), never row
by row in Python, so a million members cost seconds, not minutes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from membersuccess.demo.blueprint import OUTCOMES, SEGMENTS, SUCCESS_MANAGERS
from membersuccess.demo.simulate import MEMBER_STATUSES, TERM_STATUSES, Chunk
from membersuccess.demo.support import SEVERITIES, SUBJECTS_PER_CATEGORY, nps_comment_texts
from membersuccess.demo.words import (
    ACCESSIBILITY,
    CADENCES,
    CHANNELS,
    CITIES,
    CONTACT_ROLES,
    EMAIL_DOMAINS,
    EXPERIENCE_CHANNELS,
    EXPERIENCE_FORMATS,
    FIRST_NAMES,
    LANGUAGES,
    LAPSE_REASONS,
    LAST_NAMES,
    ORGANIZATION_FORMS,
    ORGANIZATION_STEMS,
    ORGANIZATION_TRADES,
    TICKET_CATEGORIES,
    ascii_slug,
)
from membersuccess.demo.world import KINDS, TIER_PRICE, TIERS, World

IntArray = npt.NDArray[np.int64]

# Every combination of preferred formats, by bitmask, as the `a;b` list the import reads.
_FORMAT_LISTS = tuple(
    ";".join(f for bit, f in enumerate(EXPERIENCE_FORMATS) if mask >> bit & 1)
    for mask in range(1 << len(EXPERIENCE_FORMATS))
)
_SUBJECTS = tuple(subject for _, _, subjects in TICKET_CATEGORIES for subject in subjects[:SUBJECTS_PER_CATEGORY])


@dataclass
class RowCounters:
    """Running numbers that keep external ids unique across chunks."""

    interactions: int = 0
    tickets: int = 0
    surveys: int = 0


@dataclass(frozen=True)
class ChunkTables:
    members: pa.Table
    memberships: pa.Table
    outcomes: pa.Table
    interactions: pa.Table
    tickets: pa.Table
    surveys: pa.Table
    renewals: pa.Table


def _lookup(values: Sequence[str], index: IntArray) -> pa.Array:
    """values[index] as an Arrow string array; index -1 gives null."""
    mask = index < 0
    indices = pa.array(np.where(mask, 0, index).astype(np.int32), mask=mask if mask.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string())).dictionary_decode()


def _numbered(prefix: str, numbers: IntArray, width: int) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0"), "")


def _join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _dates(days: IntArray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"))


def _timestamps(seconds: IntArray) -> pa.Array:
    """ISO 8601 UTC text, e.g. 2024-03-31T14:05:00Z; -1 gives an empty cell."""
    mask = seconds < 0
    stamps = pa.array(np.where(mask, 0, seconds), pa.timestamp("s", tz="UTC"), mask=mask if mask.any() else None)
    return pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ")


def member_ids(numbers: IntArray) -> pa.Array:
    """The members' external ids: M0000001, M0000002..."""
    return _numbered("M", numbers, 7)


def chunk_tables(*, chunk: Chunk, world: World, counters: RowCounters) -> ChunkTables:
    """All import files' rows for one chunk; advances the counters."""
    ids = member_ids(chunk.members.number)
    return ChunkTables(
        members=_members(chunk, ids),
        memberships=_memberships(chunk, ids),
        outcomes=_outcomes(chunk, ids, world),
        interactions=_interactions(chunk, ids, world, counters),
        tickets=_tickets(chunk, ids, counters),
        surveys=_surveys(chunk, ids, counters),
        renewals=_renewals(chunk, ids),
    )


def _members(chunk: Chunk, ids: pa.Array) -> pa.Table:
    m = chunk.members
    org = m.organization
    given, family = _lookup(FIRST_NAMES, m.given_name), _lookup(LAST_NAMES, m.family_name)
    person = _join(given, family, sep=" ")
    company = _join(*(_lookup(words, m.organization_name[:, i]) for i, words in
                      enumerate((ORGANIZATION_STEMS, ORGANIZATION_TRADES, ORGANIZATION_FORMS))), sep=" ")
    slug_given = _lookup([ascii_slug(n) for n in FIRST_NAMES], m.given_name)
    slug_family = _lookup([ascii_slug(n) for n in LAST_NAMES], m.family_name)
    domain = _lookup(EMAIL_DOMAINS, m.email_domain)
    person_email = _join(slug_given, ".", slug_family, "@", domain)
    company_email = _join("membership@", _lookup([ascii_slug(s).replace(".", "") for s in ORGANIZATION_STEMS],
                                                 m.organization_name[:, 0]), ".example")
    org_mask = pa.array(org)
    empty = pa.array([""] * len(org))
    return pa.table({
        "external_id": ids,
        "name": pc.if_else(org_mask, company, person),
        "joined_on": _dates(m.joined),
        "kind": _lookup(("individual", "organization"), org.astype(np.int64)),
        "email": pc.if_else(org_mask, company_email, person_email),
        "segment": _lookup([s.code for s in SEGMENTS], m.segment),
        "status": _lookup(MEMBER_STATUSES, chunk.status),
        "city": _lookup([c for c, _, _ in CITIES], m.city),
        "country": _lookup([c for _, c, _ in CITIES], m.city),
        "acquisition_channel": _lookup([c for c, _, _ in CHANNELS], m.channel),
        "success_manager": _lookup(SUCCESS_MANAGERS, m.manager),
        # Individuals are their own primary contact; organizations name theirs.
        "contact_name": pc.if_else(org_mask, person, empty),
        "contact_email": pc.if_else(org_mask, person_email, empty),
        "contact_role": pc.if_else(org_mask, _lookup(CONTACT_ROLES, m.contact_role), empty),
    })


def _memberships(chunk: Chunk, ids: pa.Array) -> pa.Table:
    t = chunk.terms
    order = np.lexsort((t.index, t.member))
    member, index, tier = t.member[order], t.index[order], t.tier[order]
    lapsed = t.status[order] == TERM_STATUSES.index("lapsed")
    owner = pc.take(ids, pa.array(member))
    return pa.table({
        "external_id": _join(owner, "-T", pc.cast(pa.array(index + 1), pa.string())),
        "member_id": owner,
        "start_on": _dates(t.start[order]),
        "end_on": _dates(t.end[order]),
        "offering": _lookup(TIERS, tier),
        "dues": pa.array(TIER_PRICE[tier]).cast(pa.decimal128(10, 2)),
        "status": _lookup(TERM_STATUSES, t.status[order]),
        "cancellation_reason": _lookup(LAPSE_REASONS, np.where(lapsed, t.reason[order], 0)),
    })


def _outcomes(chunk: Chunk, ids: pa.Array, world: World) -> pa.Table:
    m = chunk.members
    recorded = np.minimum(m.joined + m.outcome_recorded_after, world.as_of_day - 1)
    format_mask = (m.formats * (1 << np.arange(len(EXPERIENCE_FORMATS)))).sum(axis=1).astype(np.int64)
    return pa.table({
        "external_id": _join(ids, "-DO1"),
        "member_id": ids,
        "required_outcome": _lookup([o.code for o in OUTCOMES], m.outcome),
        "recorded_on": _dates(recorded),
        "channels": _lookup(EXPERIENCE_CHANNELS, m.experience_channel),
        "formats": _lookup(_FORMAT_LISTS, format_mask),
        "cadence": _lookup(CADENCES, m.cadence),
        "language": _lookup([code for code, _ in LANGUAGES], m.language),
        "accessibility": _lookup([text for text, _ in ACCESSIBILITY], m.accessibility),
        "time_budget_hours_per_month": pa.array(m.time_budget),
        "source": _lookup(("inferred", "stated"), m.stated.astype(np.int64)),
        "target_date": _dates(m.joined + 365 + 180 * (m.outcome % 2)),
    })


def _interactions(chunk: Chunk, ids: pa.Array, world: World, counters: RowCounters) -> pa.Table:
    rows = chunk.interactions
    numbers = np.arange(counters.interactions + 1, counters.interactions + len(rows) + 1, dtype=np.int64)
    counters.interactions += len(rows)
    source = _lookup([k.source for k in KINDS], rows.kind)
    missing = np.isnan(rows.value)
    return pa.table({
        "external_id": _join(source, "-", pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), 9, "0")),
        "source": source,
        "member_id": pc.take(ids, pa.array(rows.member)),
        "kind": _lookup([k.kind for k in KINDS], rows.kind),
        "occurred_at": pa.array(rows.second, pa.timestamp("s", tz="UTC")),
        "value": pa.array(np.where(missing, 0.0, rows.value), mask=missing if missing.any() else None),
        "attributes": _lookup(world.attribute_texts, rows.attribute),
    })


def _tickets(chunk: Chunk, ids: pa.Array, counters: RowCounters) -> pa.Table:
    t = chunk.tickets
    order = np.lexsort((t.opened, t.member))
    numbers = np.arange(counters.tickets + 1, counters.tickets + len(order) + 1, dtype=np.int64)
    counters.tickets += len(order)
    return pa.table({
        "external_id": _numbered("T", numbers, 8),
        "member_id": pc.take(ids, pa.array(t.member[order])),
        "opened_at": _timestamps(t.opened[order]),
        "resolved_at": _timestamps(t.resolved[order]),
        "category": _lookup([c for c, _, _ in TICKET_CATEGORIES], t.category[order]),
        "severity": _lookup([s for s, _, _ in SEVERITIES], t.severity[order]),
        "subject": _lookup(_SUBJECTS, t.subject[order]),
    })


def _surveys(chunk: Chunk, ids: pa.Array, counters: RowCounters) -> pa.Table:
    s = chunk.surveys
    order = np.lexsort((s.responded, s.member))
    numbers = np.arange(counters.surveys + 1, counters.surveys + len(order) + 1, dtype=np.int64)
    counters.surveys += len(order)
    return pa.table({
        "external_id": _numbered("S", numbers, 8),
        "member_id": pc.take(ids, pa.array(s.member[order])),
        "responded_at": _timestamps(s.responded[order]),
        "score": pa.array(s.score[order]),
        "kind": _lookup(("csat", "nps"), s.nps[order].astype(np.int64)),
        "comment": pc.fill_null(_lookup(nps_comment_texts(), s.comment[order]), ""),
    })


def _renewals(chunk: Chunk, ids: pa.Array) -> pa.Table:
    """Not an import file: the evidence of each sampled renewal, for tests and for curious people."""
    e = chunk.evidence
    return pa.table({
        "member_id": pc.take(ids, pa.array(e.member)),
        "term": pa.array(e.term + 1),
        "attainment": pa.array(e.attainment),
        "activity_volume": pa.array(e.volume),
        "nps_mean": pa.array(e.nps_mean, mask=np.isnan(e.nps_mean)),
        "renewed": pa.array(e.renewed),
    })

