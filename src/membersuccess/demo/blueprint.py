"""The demo association's configuration as plain data: segments, outcomes, offerings, journeys, staff.

Both the catalog installer (which writes it to the database) and the generator (which
simulates members against it, without a database) read this one description, so the
milestone rules the product evaluates are exactly the rules the simulation was driven by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Aggregation = Literal["count", "sum", "distinct_days"]
Window = Literal["join", "term_start"]


@dataclass(frozen=True)
class SegmentSpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class OfferingSpec:
    code: str
    name: str
    kind: str  # an Offering.Kind value
    price: int
    serves: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """An achievement rule: aggregate the member's interactions of `kinds` since the anchor."""

    kinds: tuple[str, ...]
    aggregation: Aggregation
    threshold: float
    window: Window = "join"

    def as_json(self) -> dict[str, object]:
        """The rule in the stored JSON shape of SuccessMilestone.rule."""
        threshold: float | int = int(self.threshold) if float(self.threshold).is_integer() else self.threshold
        return {"kinds": list(self.kinds), "aggregation": self.aggregation, "threshold": threshold,
                "window": self.window}


@dataclass(frozen=True)
class MilestoneSpec:
    name: str
    due_offset_days: int
    grace_days: int
    rule: Rule | None  # None: staff confirm it by hand
    description: str = ""

    @property
    def manual(self) -> bool:
        return self.rule is None

    @property
    def due_from(self) -> Window:
        # A milestone counted from the start of each term is also due relative to that start.
        return "join" if self.rule is None else self.rule.window


@dataclass(frozen=True)
class JourneySpec:
    name: str
    required_outcome: str
    segment: str | None
    milestones: tuple[MilestoneSpec, ...]
    description: str = ""


@dataclass(frozen=True)
class TeamSpec:
    code: str
    name: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    role: str  # a Role value
    team: str
    title: str


DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-member-success"

SEGMENTS: tuple[SegmentSpec, ...] = (
    SegmentSpec("students", "Students", "Enrolled in a degree or training program."),
    SegmentSpec("early-career", "Early career", "Up to five years in the profession."),
    SegmentSpec("mid-career", "Mid career", "Established practitioners."),
    SegmentSpec("senior", "Senior and fellows", "Leaders, fellows and long-standing practitioners."),
    SegmentSpec("organizational", "Organizational members", "Firms and suppliers that join as organizations."),
)

OUTCOMES: tuple[OutcomeSpec, ...] = (
    OutcomeSpec("earn-certification", "Earn certification", "Pass the certification exam and hold the credential."),
    OutcomeSpec("stay-current-ce", "Stay current on CE credits", "Earn the CE credits a license needs."),
    OutcomeSpec("grow-network", "Grow my network", "Meet peers, join committees, become known in the field."),
    OutcomeSpec("find-a-job", "Find a job", "Land a first or a better position through the association."),
    OutcomeSpec("business-leads", "Business leads", "Win clients and partners among the members."),
    OutcomeSpec("advocacy", "Representation and advocacy", "Have the profession's voice heard by policy makers."),
)

TIERS_BY_LADDER: dict[str, tuple[str, ...]] = {
    # Upgrades and downgrades move one step along the member's ladder.
    "individual": ("dues-student", "dues-early-career", "dues-professional", "dues-fellow"),
    "organization": ("dues-organization", "dues-organization-premier"),
}

OFFERINGS: tuple[OfferingSpec, ...] = (
    OfferingSpec("dues-student", "Student membership", "dues_tier", 75, ("find-a-job", "grow-network")),
    OfferingSpec("dues-early-career", "Early-career membership", "dues_tier", 165,
                 ("earn-certification", "find-a-job", "grow-network")),
    OfferingSpec("dues-professional", "Professional membership", "dues_tier", 295,
                 ("stay-current-ce", "earn-certification", "grow-network")),
    OfferingSpec("dues-fellow", "Fellow membership", "dues_tier", 425, ("advocacy", "grow-network", "stay-current-ce")),
    OfferingSpec("dues-organization", "Organizational membership", "dues_tier", 1200, ("business-leads", "advocacy")),
    OfferingSpec("dues-organization-premier", "Premier organizational membership", "dues_tier", 3500,
                 ("business-leads", "advocacy")),
    OfferingSpec("course-exam-prep", "Certification exam prep", "course", 350, ("earn-certification",)),
    OfferingSpec("course-ethics", "Professional ethics (CE)", "course", 90, ("stay-current-ce",)),
    OfferingSpec("course-practice-update", "Annual practice update (CE)", "course", 120, ("stay-current-ce",)),
    OfferingSpec("course-leadership", "Leadership essentials", "course", 240, ("grow-network",)),
    OfferingSpec("course-career-launch", "Career launch workshop", "course", 60, ("find-a-job",)),
    OfferingSpec("course-policy", "Policy and advocacy 101", "course", 80, ("advocacy",)),
    OfferingSpec("cert-practitioner", "Certified Practitioner", "certification", 450, ("earn-certification",)),
    OfferingSpec("event-annual-conference", "Annual conference", "event", 695, ("grow-network", "business-leads")),
    OfferingSpec("event-chapter-meetup", "Chapter meetups", "event", 0, ("grow-network",)),
    OfferingSpec("event-webinar", "Webinar series", "event", 0, ("stay-current-ce",)),
    OfferingSpec("event-career-fair", "Career fair", "event", 0, ("find-a-job",)),
    OfferingSpec("event-policy-summit", "Policy summit", "event", 195, ("advocacy",)),
    OfferingSpec("pub-journal", "The Practitioner Journal", "publication", 0, ("stay-current-ce",)),
    OfferingSpec("pub-salary-survey", "Salary survey", "publication", 49, ("find-a-job",)),
    OfferingSpec("pub-buyers-guide", "Buyers' guide and directory", "publication", 0, ("business-leads",)),
    OfferingSpec("pub-policy-brief", "Policy briefings", "publication", 0, ("advocacy",)),
)


def _m(name: str, due: int, grace: int, rule: Rule | None, description: str = "") -> MilestoneSpec:
    return MilestoneSpec(name, due, grace, rule, description)


def _count(kind: str, threshold: int, window: Window = "join") -> Rule:
    return Rule((kind,), "count", threshold, window)


JOURNEYS: tuple[JourneySpec, ...] = (
    JourneySpec("Path to certification", "earn-certification", None, (
        _m("First exam-prep course completed", 90, 30, _count("course_completed", 1)),
        _m("Three prep courses completed", 210, 45, _count("course_completed", 3)),
        _m("Certification exam booked", 270, 45, _count("cert_exam_booked", 1)),
        _m("Certification earned", 365, 90, _count("cert_earned", 1)),
        _m("Credential kept current: 6 CE credits this term", 330, 30,
           Rule(("course_completed",), "sum", 6, "term_start")),
    )),
    JourneySpec("Stay current on CE credits", "stay-current-ce", None, (
        _m("First CE course completed", 60, 30, _count("course_completed", 1)),
        _m("10 CE credits earned", 180, 30, Rule(("course_completed",), "sum", 10)),
        _m("20 CE credits earned this term", 330, 30, Rule(("course_completed",), "sum", 20, "term_start")),
        _m("A conference or chapter session attended", 365, 60, _count("event_attended", 1)),
    )),
    JourneySpec("Grow my network", "grow-network", None, (
        _m("First event attended", 90, 30, _count("event_attended", 1)),
        _m("Introduced in the community", 120, 30, _count("post", 2)),
        _m("Three events attended this term", 330, 30, _count("event_attended", 3, "term_start")),
        _m("Serving on a committee", 365, 60, _count("committee_meeting", 2)),
        _m("A colleague referred", 540, 90, _count("referral", 1)),
    )),
    JourneySpec("Find a job", "find-a-job", None, (
        _m("Résumé uploaded", 30, 14, _count("resume_uploaded", 1)),
        _m("Job board used on 5 days", 120, 30, Rule(("job_board_visit",), "distinct_days", 5)),
        _m("Three applications sent", 180, 45, _count("job_applied", 3)),
        _m("Career fair or networking event attended", 240, 45, _count("event_attended", 1)),
        _m("Placement confirmed", 365, 90, None, "Confirmed by the career services team."),
    )),
    JourneySpec("First job after graduation", "find-a-job", "students", (
        _m("Résumé uploaded", 60, 30, _count("resume_uploaded", 1)),
        _m("Job board used on 4 days", 180, 30, Rule(("job_board_visit",), "distinct_days", 4)),
        _m("Two career events attended", 300, 60, _count("event_attended", 2)),
        _m("Two applications sent", 365, 60, _count("job_applied", 2)),
        _m("Internship or first job confirmed", 450, 90, None, "Confirmed by the career services team."),
    )),
    JourneySpec("Win business through the association", "business-leads", None, (
        _m("Directory listing completed", 45, 30, _count("listing_completed", 1)),
        _m("First lead received", 150, 45, _count("lead_received", 1)),
        _m("Exhibited or sponsored at an event", 300, 60, _count("booth_booked", 1)),
        _m("Six leads received this term", 350, 30, _count("lead_received", 6, "term_start")),
    )),
    JourneySpec("Represent the profession", "advocacy", None, (
        _m("First advocacy action taken", 90, 30, _count("advocacy_action", 1)),
        _m("Serving on a policy committee", 180, 45, _count("committee_meeting", 2)),
        _m("Three advocacy actions taken", 300, 60, _count("advocacy_action", 3)),
        _m("Two events attended this term", 330, 30, _count("event_attended", 2, "term_start")),
        _m("Spoke for the profession", 540, 90, None, "A hearing, a public comment or a media interview."),
    )),
    JourneySpec("Shape the industry agenda", "advocacy", "organizational", (
        _m("First advocacy action taken", 120, 30, _count("advocacy_action", 1)),
        _m("A seat on a committee", 240, 45, _count("committee_meeting", 3)),
        _m("Two events attended", 365, 60, _count("event_attended", 2)),
        _m("Four advocacy actions this term", 350, 30, _count("advocacy_action", 4, "term_start")),
    )),
)

TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec("membership", "Membership"),
    TeamSpec("events", "Events"),
    TeamSpec("education", "Education"),
    TeamSpec("support", "Member support"),
    TeamSpec("publications", "Publications"),
    TeamSpec("chapters", "Chapters"),
    TeamSpec("member-success", "Member success"),
)

STAFF: tuple[StaffSpec, ...] = (
    StaffSpec(DEMO_USERNAME, "Dana", "Demo", "success_manager", "member-success", "Member Success Manager"),
    StaffSpec("mona.reyes", "Mona", "Reyes", "success_manager", "member-success", "Member Success Manager"),
    StaffSpec("kwame.mensah", "Kwame", "Mensah", "success_manager", "member-success", "Member Success Manager"),
    StaffSpec("ingrid.holm", "Ingrid", "Holm", "success_manager", "member-success", "Member Success Manager"),
    StaffSpec("li.wei", "Li", "Wei", "success_manager", "member-success", "Senior Member Success Manager"),
    StaffSpec("ops.admin", "Priya", "Natarajan", "admin", "membership", "Membership data and operations"),
    StaffSpec("ceo", "Margaret", "Osei", "executive", "membership", "Chief Executive Officer"),
    StaffSpec("board.chair", "Tomás", "Alvarez", "executive", "membership", "Chair of the Board"),
    StaffSpec("sam.keller", "Sam", "Keller", "staff", "membership", "Membership coordinator"),
    StaffSpec("rosa.ferreira", "Rosa", "Ferreira", "staff", "events", "Events manager"),
    StaffSpec("jonah.berg", "Jonah", "Berg", "staff", "events", "Exhibits and sponsorship"),
    StaffSpec("aiko.tanaka", "Aiko", "Tanaka", "staff", "education", "Director of education"),
    StaffSpec("omar.haddad", "Omar", "Haddad", "staff", "education", "Certification program manager"),
    StaffSpec("grace.obi", "Grace", "Obi", "staff", "support", "Member support lead"),
    StaffSpec("luis.moreno", "Luis", "Moreno", "staff", "support", "Member support specialist"),
    StaffSpec("nina.kowalski", "Nina", "Kowalski", "staff", "support", "Member support specialist"),
    StaffSpec("ben.carter", "Ben", "Carter", "staff", "publications", "Editor"),
    StaffSpec("fatima.zahra", "Fatima", "Zahra", "staff", "chapters", "Chapter relations manager"),
    StaffSpec("eli.novak", "Eli", "Novak", "staff", "chapters", "Volunteer coordinator"),
)

SUCCESS_MANAGERS: tuple[str, ...] = tuple(s.username for s in STAFF if s.role == "success_manager")


def journey_for(*, required_outcome: str, segment: str) -> JourneySpec:
    """The journey a member follows: the segment's own variant if there is one, else the default."""
    default: JourneySpec | None = None
    for journey in JOURNEYS:
        if journey.required_outcome != required_outcome:
            continue
        if journey.segment == segment:
            return journey
        if journey.segment is None:
            default = journey
    if default is None:
        raise LookupError(f"no journey for the required outcome {required_outcome!r}")
    return default
