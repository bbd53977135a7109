"""Starting Django from the CLI: settings from the environment, the database checked and migrated."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from membersuccess.errors import SetupError


def configure(*, data_dir: Path | None = None) -> None:
    """Point Django at our settings (and the data directory) and start it; errors become SetupError."""
    if data_dir is not None:
        os.environ["MSM_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "membersuccess.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SetupError(f"Configuration error: {exc}") from exc
    _ensure_data_dir()


def _ensure_data_dir() -> None:
    from django.conf import settings

    try:
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"Cannot create the data directory {settings.DATA_DIR}: {exc.strerror}") from exc


def check_database() -> None:
    """Connect once, so a wrong DATABASE_URL or a stopped server is one clear line, not a traceback."""
    from django.db import connection
    from django.db.utils import Error as DatabaseError

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = _describe_database()
        raise SetupError(f"Cannot connect to the database {where}: {first_line}") from exc


def _describe_database() -> str:
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"file {params['NAME']}"
    user = f"{params.get('USER')}@" if params.get("USER") else ""
    return (
        f"{connection.vendor}://{user}{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{params['NAME']}"
    )


def migrate(*, verbosity: int = 0) -> None:
    """Create or upgrade the schema; safe to run every time."""
    from django.core.management import call_command

    check_database()
    call_command("migrate", interactive=False, verbosity=verbosity)


def require_migrated() -> None:
    """Refuse to serve or import into a database `msm init` has not prepared."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    check_database()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SetupError("The database is not initialized or is out of date: run `msm init` first.")


def ensure_secret_key() -> None:
    """Write a random secret key into the data directory once, unless MSM_SECRET_KEY is set."""
    from django.conf import settings

    if os.environ.get("MSM_SECRET_KEY"):
        return
    key_file = Path(settings.DATA_DIR) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
        settings.SECRET_KEY = key_file.read_text().strip()
