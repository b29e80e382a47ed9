"""The one composition root: settings → engine → context, for the CLI, the web app and the tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from danso.config import Settings
from danso.services.figures_cache import FiguresCache
from danso.storage.engine import make_engine


@dataclass
class Context:
    settings: Settings
    engine: Engine
    figures: FiguresCache = field(default_factory=FiguresCache)  # figures kept for the pages (figures_cache)

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings) -> Context:
    return Context(settings, make_engine(settings.database_url))
