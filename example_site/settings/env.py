"""Reading configuration from the environment (twelve-factor style)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent


def database_from_env(default_sqlite: Path) -> dict:
    """``DATABASE_URL`` if set, else a SQLite file; SQLite gets WAL and a busy timeout."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{default_sqlite}"
    db = dj_database_url.parse(url, conn_max_age=60 if url.startswith("postgres") else 0)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an import writes; IMMEDIATE avoids deadlocks on upgrade to a write lock.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return db


def list_from_env(name: str, default: str) -> list[str]:
    """A comma-separated environment variable as a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
