"""The words of the Appropriate Experience: how a member wants to reach their required outcome.

Plays tag their resources with the same channels and formats, so a member who wants self-serve
online learning is offered that first. Imports may carry other words; the onboarding form offers these."""

from __future__ import annotations

CHANNELS: dict[str, str] = {
    "online": "Online",
    "in_person": "In person",
    "email": "Email",
    "phone": "Phone",
}
FORMATS: dict[str, str] = {
    "events": "Events",
    "courses": "Courses",
    "community": "Community",
    "mentoring": "Mentoring",
    "self_serve": "Self-serve",
}
CADENCES: dict[str, str] = {
    "weekly": "Weekly",
    "monthly": "Monthly",
    "quarterly": "Quarterly",
}
MAX_HOURS_PER_MONTH = 744  # every hour of a 31-day month
