"""Small built-in word lists that make the demo look like a real association (no downloads, no Faker)."""

from __future__ import annotations

import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    "Ada", "Adebayo", "Aisha", "Alejandro", "Amara", "Ana", "Andrea", "Anika", "Arjun", "Astrid", "Beatriz",
    "Bo", "Camille", "Carlos", "Chen", "Chloé", "Daniel", "Deepa", "Diego", "Dmitri", "Elena", "Eli",
    "Emeka", "Emma", "Fatima", "Felix", "Freya", "Gabriel", "Hana", "Hassan", "Ines", "Ivan", "Jamal",
    "James", "Jin", "Joao", "José", "Julia", "Kai", "Kateryna", "Kenji", "Khadija", "Lars", "Leila",
    "Liam", "Lucía", "Maya", "Mei", "Miguel", "Mohammed", "Naomi", "Nikhil", "Noah", "Nora", "Olivia",
    "Omar", "Pablo", "Priya", "Rafael", "Ravi", "Rebecca", "Ruth", "Sakura", "Samuel", "Sara", "Sean",
    "Sofia", "Tariq", "Thandiwe", "Theo", "Uma", "Valentina", "Viktor", "Wei", "Yara", "Yusuf", "Zainab",
    "Zoë",
)

LAST_NAMES: tuple[str, ...] = (
    "Abara", "Adeyemi", "Ahmed", "Andersen", "Bauer", "Becker", "Bianchi", "Brown", "Castillo", "Chen",
    "Cohen", "Costa", "Dang", "Das", "Dubois", "Eriksson", "Fernández", "Fischer", "Garcia", "Gupta",
    "Haddad", "Hansen", "Hernández", "Ibrahim", "Ito", "Jansen", "Johnson", "Kaur", "Kim", "Kowalczyk",
    "Kumar", "Larsen", "Lee", "Lopez", "Martin", "Mbeki", "Mensah", "Müller", "Nakamura", "Nguyen",
    "Novak", "Nowak", "O'Brien", "Okafor", "Okonkwo", "Olsen", "Park", "Patel", "Petrov", "Popescu",
    "Quinn", "Ramos", "Reyes", "Rossi", "Sánchez", "Santos", "Schmidt", "Sato", "Shah", "Silva", "Singh",
    "Smith", "Sokolov", "Suzuki", "Tanaka", "Taylor", "Torres", "Tran", "Wang", "Williams", "Wójcik",
    "Yamamoto", "Yilmaz", "Zhang",
)

ORGANIZATION_STEMS: tuple[str, ...] = (
    "Northwind", "Bluefield", "Cedar Ridge", "Harbor", "Summit", "Lakeside", "Ironwood", "Meridian",
    "Silver Oak", "Redstone", "Brightwater", "Granite", "Evergreen", "Pioneer", "Crescent", "Westbrook",
    "Keystone", "Riverbend", "Highland", "Stonebridge",
)
ORGANIZATION_TRADES: tuple[str, ...] = (
    "Consulting", "Analytics", "Engineering", "Health Partners", "Advisory", "Systems", "Design Group",
    "Labs", "Services", "Associates",
)
ORGANIZATION_FORMS: tuple[str, ...] = ("LLC", "Inc.", "Ltd", "GmbH", "& Co.", "Group")
CONTACT_ROLES: tuple[str, ...] = (
    "Membership lead", "HR director", "Managing partner", "Head of learning", "Operations manager",
)

EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com", "example.org", "example.net", "mail.example", "inbox.example", "campus.example",
)

# (city, ISO country code, weight)
CITIES: tuple[tuple[str, str, float], ...] = (
    ("Chicago", "US", 8), ("New York", "US", 10), ("Austin", "US", 5), ("Atlanta", "US", 5),
    ("Denver", "US", 4), ("Seattle", "US", 5), ("Boston", "US", 5), ("Minneapolis", "US", 3),
    ("Philadelphia", "US", 4), ("San Diego", "US", 3), ("Toronto", "CA", 5), ("Vancouver", "CA", 3),
    ("London", "GB", 4), ("Manchester", "GB", 2), ("Dublin", "IE", 2), ("Berlin", "DE", 2),
    ("Amsterdam", "NL", 2), ("Lagos", "NG", 2), ("Nairobi", "KE", 1), ("Bengaluru", "IN", 2),
    ("Singapore", "SG", 1), ("Sydney", "AU", 2), ("São Paulo", "BR", 1), ("Mexico City", "MX", 2),
)

# Acquisition channel and how well that channel's members tend to fit what we deliver
# (a shift of the latent success propensity): bad-fit acquisition shows up by channel.
CHANNELS: tuple[tuple[str, float, float], ...] = (
    ("referral", 0.35, 14), ("conference", 0.15, 12), ("chapter", 0.2, 10), ("web", 0.0, 24),
    ("employer", 0.05, 12), ("student-chapter", 0.1, 8), ("paid-social", -0.45, 12), ("partner-discount", -0.3, 8),
)

EXPERIENCE_FORMATS: tuple[str, ...] = ("events", "courses", "community", "mentoring", "self_serve")
EXPERIENCE_CHANNELS: tuple[str, ...] = ("online", "in_person", "online;in_person")
CADENCES: tuple[str, ...] = ("weekly", "monthly", "quarterly")
LANGUAGES: tuple[tuple[str, float], ...] = (("en", 0.86), ("es", 0.06), ("fr", 0.05), ("de", 0.03))
ACCESSIBILITY: tuple[tuple[str, float], ...] = (
    ("", 0.9), ("captions on recordings", 0.04), ("screen-reader friendly materials", 0.03),
    ("step-free venues", 0.03),
)

TICKET_CATEGORIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("login", 0.22, ("Cannot sign in to the portal", "Password reset link expired", "Locked out after SSO change")),
    ("billing", 0.2, ("Charged twice for renewal", "Need an invoice for my employer", "Update card on file")),
    ("ce-credits", 0.16, ("CE credits missing from transcript", "Certificate for completed course",
                          "Credits not reported to the board")),
    ("events", 0.15, ("Change my conference registration", "Webinar link not received", "Refund for cancelled event")),
    ("certification", 0.1, ("Reschedule my certification exam", "Exam eligibility question",
                            "Credential not showing in directory")),
    ("website", 0.1, ("Download link broken", "Job board application failed", "Directory listing will not save")),
    ("membership", 0.07, ("Transfer membership to a colleague", "Change my membership tier",
                          "Update employer details")),
)

NPS_COMMENTS: dict[str, tuple[str, ...]] = {
    "promoter": ("The conference was worth every minute.", "Great courses and friendly staff.",
                 "I recommend the association to every new colleague.", "The community forum is my go-to place."),
    "passive": ("Good value, but the portal is clunky.", "Useful webinars; I wish there were more local events.",
                "Fine overall.", "Content is solid, emails are too frequent."),
    "detractor": ("I don't see what I get for my dues.", "Hard to find anything on the website.",
                  "Support took weeks to answer.", "Events are too expensive for early-career members."),
}

LAPSE_REASONS: tuple[str, ...] = (
    "", "", "cost", "did not see the value", "changed profession", "employer stopped paying", "retired",
    "joined for one event", "moved abroad",
)


def ascii_slug(name: str) -> str:
    """Lowercase ASCII for an email address: 'Zoë O'Brien' -> 'zoe.obrien'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return ".".join(part for part in plain.lower().replace("'", "").split() if part)
