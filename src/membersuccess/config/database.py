"""Turn DATABASE_URL (or nothing) into a Django DATABASES entry, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")

# WAL lets the web app read while an import or a scoring run writes; IMMEDIATE transactions
# take the write lock up front so two writers queue instead of failing half-way.
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=30000;"
        "PRAGMA cache_size=-65536;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def database_from_env(url: str | None, *, data_dir: Path) -> dict[str, Any]:
    """The default database: DATABASE_URL when set, else a SQLite file in the data directory."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "msm.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        shown = scheme or "(none)"
        raise ImproperlyConfigured(
            f"DATABASE_URL has an unsupported scheme {shown!r}: use postgres://USER@HOST:PORT/NAME "
            "or sqlite:///PATH"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except Exception as exc:  # dj-database-url raises plain ValueErrors for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from exc
    if scheme == "sqlite":
        if not config.get("NAME") or config["NAME"] == ":memory:":
            raise ImproperlyConfigured("DATABASE_URL sqlite:// needs a file path, e.g. sqlite:////srv/msm/msm.sqlite3")
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    else:
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL names no database: add /NAME at the end")
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].setdefault("connect_timeout", 10)
        config["CONN_HEALTH_CHECKS"] = True
    return config
