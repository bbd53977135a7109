"""The plays library that ships with the product: resources and plays any association can start from.

`install_default_library()` is idempotent: it adds what is missing and leaves what staff have edited."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from membersuccess.accounts.models import Team
from membersuccess.members.models import RequiredOutcome
from membersuccess.plays.models import Play, PlayStep, Resource

# Teams the default plays give work to; created when missing, names kept when they exist.
DEFAULT_TEAMS = {
    "membership": "Membership",
    "events": "Events",
    "education": "Education",
    "support": "Member support",
    "publications": "Publications",
    "chapters": "Chapters",
    "member-success": "Member success",
}


@dataclass(frozen=True)
class ResourceSpec:
    code: str
    name: str
    kind: str
    url: str
    channels: tuple[str, ...]
    formats: tuple[str, ...]
    serves: tuple[str, ...] = ()  # required outcome codes; unknown codes are skipped
    description: str = ""


@dataclass(frozen=True)
class PlaySpec:
    code: str
    name: str
    description: str
    trigger: str
    trigger_value: str
    message_template: str
    steps: tuple[tuple[str, str, int], ...]  # (team code, title, due in days)
    resources: tuple[str, ...] = field(default_factory=tuple)


# Links point at example.org until the organization replaces them with its own pages (edit the resource).
RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec("self-paced-review-course", "Self-paced review course", Resource.Kind.COURSE,
                 "https://www.example.org/learn/review-course", ("online",), ("courses", "self_serve"),
                 ("earn-certification", "stay-current-ce"),
                 "Short online modules a member takes at their own pace, with CE credits."),
    ResourceSpec("live-online-workshop", "Live online workshop", Resource.Kind.EVENT,
                 "https://www.example.org/events/online-workshops", ("online",), ("events", "courses"),
                 ("earn-certification", "stay-current-ce", "find-a-job"),
                 "A two-hour live workshop with an instructor and a small group."),
    ResourceSpec("chapter-dinner", "Chapter networking dinner", Resource.Kind.EVENT,
                 "https://www.example.org/chapters/dinners", ("in_person",), ("events", "community"),
                 ("grow-network", "business-leads"),
                 "An evening with peers of the local chapter."),
    ResourceSpec("mentor-match", "Mentor match", Resource.Kind.MENTOR,
                 "https://www.example.org/mentoring", ("online", "in_person"), ("mentoring",),
                 ("find-a-job", "earn-certification", "grow-network"),
                 "A mentor who walked the same path, an hour a month."),
    ResourceSpec("peer-community-group", "Peer community group", Resource.Kind.COMMUNITY_GROUP,
                 "https://www.example.org/community/groups", ("online",), ("community",),
                 ("grow-network", "business-leads", "advocacy"),
                 "An online group of members working toward the same outcome."),
    ResourceSpec("milestone-guide", "Milestone guide", Resource.Kind.GUIDE,
                 "https://www.example.org/guides/next-milestone", ("online",), ("self_serve",),
                 ("earn-certification", "stay-current-ce", "find-a-job", "grow-network", "business-leads", "advocacy"),
                 "A step-by-step guide to each milestone of the journey."),
    ResourceSpec("advocacy-briefing", "Advocacy briefing", Resource.Kind.EVENT,
                 "https://www.example.org/advocacy/briefings", ("online", "in_person"), ("events", "community"),
                 ("advocacy",), "A briefing on the policy work and how members take part."),
)

PLAYS: tuple[PlaySpec, ...] = (
    PlaySpec(
        "off-track-self-paced", "Back on the path at their own pace",
        "For an off-track member who learns on their own: a course toward the next milestone and a dated plan.",
        Play.Trigger.STATUS, "off_track",
        "Hello {{ member_name }}, your next milestone is {{ next_milestone }}. The {{ resource_name }} gets you "
        "there at your own pace: {{ resource_url }}",
        (("education", "Enrol the member in a course toward their next milestone", 3),
         ("member-success", "Agree a dated plan to reach the next milestone", 7)),
        ("self-paced-review-course", "milestone-guide"),
    ),
    PlaySpec(
        "off-track-peer-dinner", "Back on the path with peers",
        "For an off-track member who values meeting people: a seat at a chapter event near them.",
        Play.Trigger.STATUS, "off_track",
        "Hello {{ member_name }}, peers who reached {{ next_milestone }} meet at the {{ resource_name }}: "
        "{{ resource_url }}",
        (("events", "Reserve a seat for the member at the next chapter event", 5),
         ("chapters", "Introduce the member to a peer who reached the same milestone", 10)),
        ("chapter-dinner", "live-online-workshop"),
    ),
    PlaySpec(
        "overdue-milestone-mentor", "A mentor for an overdue milestone",
        "The next milestone is overdue: a mentor who reached it helps the member plan the way there.",
        Play.Trigger.OVERDUE_MILESTONE, "",
        "Hello {{ member_name }}, {{ next_milestone }} is within reach. A mentor can help you plan it: "
        "{{ resource_url }}",
        (("member-success", "Match the member with a mentor for their next milestone", 7),),
        ("mentor-match", "milestone-guide"),
    ),
    PlaySpec(
        "drifting-community", "A group for a drifting member",
        "The Success Vector is falling: a group of members on the same path keeps momentum.",
        Play.Trigger.FLAG, "drifting",
        "Hello {{ member_name }}, members working toward {{ next_milestone }} share what works in the "
        "{{ resource_name }}: {{ resource_url }}",
        (("chapters", "Invite the member to a community group on their path", 5),),
        ("peer-community-group", "live-online-workshop"),
    ),
    PlaySpec(
        "quiet-guide", "A guide for a quiet member",
        "No interactions for a while: a short guide to the next milestone, no meeting needed.",
        Play.Trigger.FLAG, "quiet",
        "Hello {{ member_name }}, here is a short guide to {{ next_milestone }}: {{ resource_url }}",
        (("publications", "Send the milestone guide matching the member's next milestone", 3),),
        ("milestone-guide",),
    ),
    PlaySpec(
        "renewal-value-review", "Value review before renewal",
        "Renewal is near: show the member their progress and the next milestone before any offer.",
        Play.Trigger.RENEWAL_WINDOW, "60",
        "Hello {{ member_name }}, before your renewal, here is where you stand and your next milestone, "
        "{{ next_milestone }}: {{ resource_url }}",
        (("membership", "Prepare the member's progress review and next milestone for renewal", 14),),
        ("milestone-guide",),
    ),
    PlaySpec(
        "renewal-at-risk-plan", "A success plan before a risky renewal",
        "The renewal is at risk: a success plan in motion comes before any renewal offer.",
        Play.Trigger.FLAG, "renewal_at_risk",
        "Hello {{ member_name }}, let's get you to {{ next_milestone }} before your renewal. Start here: "
        "{{ resource_url }}",
        (("member-success", "Put a success plan toward the next milestone in motion", 5),
         ("membership", "Hold renewal offers until the success plan has started", 5)),
        ("mentor-match", "self-paced-review-course"),
    ),
    PlaySpec(
        "welcome-first-milestone", "Welcome to the first milestone",
        "A new member: the first milestone and how to reach it the way they prefer.",
        Play.Trigger.NEW_MEMBER, "30",
        "Welcome, {{ member_name }}! Your first milestone is {{ next_milestone }}. Start with the "
        "{{ resource_name }}: {{ resource_url }}",
        (("membership", "Send the welcome with the member's first milestone and a resource", 3),
         ("chapters", "Introduce the member to their local chapter", 14)),
        ("milestone-guide", "peer-community-group", "chapter-dinner"),
    ),
    PlaySpec(
        "saved-back-on-track", "Saved: back on the path",
        "A saved member is still at risk until they reach their next milestone: follow the plan through.",
        Play.Trigger.SAVED_MEMBER, "",
        "Hello {{ member_name }}, your plan leads to {{ next_milestone }}. The next step is here: {{ resource_url }}",
        (("member-success", "Follow the save plan: confirm the next step toward the milestone", 7),
         ("support", "Resolve the member's open tickets", 5)),
        ("mentor-match", "self-paced-review-course"),
    ),
    PlaySpec(
        "learn-desired-outcome", "Learn the desired outcome",
        "We don't know what the member is trying to achieve: learn it, using what their interactions already say.",
        Play.Trigger.OUTCOME_UNKNOWN, "",
        "Hello {{ member_name }}, members like you use the {{ resource_name }} to pick their goal with us: "
        "{{ resource_url }}",
        (("member-success", "Learn the member's desired outcome (required outcome and appropriate experience)", 10),),
        ("milestone-guide",),
    ),
)


@dataclass
class InstalledLibrary:
    resources_added: int = 0
    plays_added: int = 0
    teams_added: int = 0


@transaction.atomic
def install_default_library() -> InstalledLibrary:
    """Add the default resources, plays and their teams that are missing; never change what exists."""
    installed = InstalledLibrary()
    teams: dict[str, Team] = {}
    for code, name in DEFAULT_TEAMS.items():
        teams[code], created = Team.objects.get_or_create(code=code, defaults={"name": name})
        installed.teams_added += int(created)
    outcomes = {o.code: o for o in RequiredOutcome.objects.all()}
    resources: dict[str, Resource] = {}
    for r in RESOURCES:
        resource, created = Resource.objects.get_or_create(code=r.code, defaults={
            "name": r.name, "kind": r.kind, "url": r.url, "channels": list(r.channels),
            "formats": list(r.formats), "description": r.description,
        })
        if created:
            installed.resources_added += 1
            resource.serves.set([outcomes[c] for c in r.serves if c in outcomes])
        elif not resource.serves.exists():
            # Outcomes defined after the library was installed (e.g. the demo catalog) are linked once.
            resource.serves.set([outcomes[c] for c in r.serves if c in outcomes])
        resources[r.code] = resource
    for p in PLAYS:
        if Play.objects.filter(code=p.code).exists():
            continue
        play = Play.objects.create(
            code=p.code, name=p.name, description=p.description, trigger=p.trigger, trigger_value=p.trigger_value,
            message_template=p.message_template, ships_with_product=True,
        )
        play.resources.set([resources[c] for c in p.resources])
        PlayStep.objects.bulk_create(
            PlayStep(play=play, order=n, title=title, team=teams[team], due_in_days=days)
            for n, (team, title, days) in enumerate(p.steps, start=1)
        )
        installed.plays_added += 1
    return installed
