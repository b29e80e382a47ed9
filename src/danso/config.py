"""Settings, declared once. Read only by the composition root (danso.bootstrap)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DATABASE_URL_ENV = "DANSO_DATABASE_URL"


def default_database_url() -> str:
    """A SQLite file in the user's data directory (e.g. ~/.local/share/danso/danso.db)."""
    return f"sqlite:///{Path(user_data_dir('danso', appauthor=False)) / 'danso.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str

    @classmethod
    def load(cls, database_url: str | None = None) -> Settings:
        """``--db URL`` wins over ``DANSO_DATABASE_URL``, which wins over the default SQLite file."""
        return cls(database_url or os.environ.get(DATABASE_URL_ENV) or default_database_url())
