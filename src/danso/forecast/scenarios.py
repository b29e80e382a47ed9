"""Scenarios: low / medium / high fertility, mortality improvement, migration on or off; user scenarios saved
by name as JSON files in the user's data directory (``~/.local/share/danso/scenarios`` on Linux)."""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_data_dir

from danso.forecast.inputs import InputsError, vn_number

SCENARIO_DIR_ENV = "DANSO_SCENARIO_DIR"
PHASE_IN_YEARS = 10.0  # the low/high TFR offset grows linearly to its full size over this many years (UN WPP)


@dataclass(frozen=True)
class Scenario:
    """How the inputs change over the horizon.

    Attributes:
        tfr_offset: children per woman added to the TFR path, phased in over ``PHASE_IN_YEARS``.
        tfr_target: if set, the TFR moves linearly from the base TFR to this value by ``tfr_target_year``
            and stays there (replaces any TFR path of the inputs).
        mortality_decline: annual proportional decline of every death rate; None keeps the inputs' own.
        migration: False sets net migration to zero.
    """

    name: str
    label: str
    tfr_offset: float = 0.0
    tfr_target: float | None = None
    tfr_target_year: int | None = None
    mortality_decline: float | None = None
    migration: bool = True

    def describe(self) -> str:
        parts = [self.label]
        if self.tfr_target is not None:
            parts.append(f"TFR tới {vn_number(self.tfr_target, 2)} vào năm {self.tfr_target_year}")
        if self.tfr_offset:
            parts.append(f"TFR {'+' if self.tfr_offset > 0 else ''}{vn_number(self.tfr_offset, 2)} con/phụ nữ so với phương án trung bình "
                         f"(tăng dần trong {PHASE_IN_YEARS:.0f} năm đầu)")
        if self.mortality_decline is not None:
            parts.append(f"tỷ suất chết giảm {vn_number(100 * self.mortality_decline)}%/năm")
        parts.append("có di cư" if self.migration else "không di cư")
        return "; ".join(parts)


BUILTIN = {
    s.name: s for s in (
        Scenario("medium", "Phương án trung bình"),
        Scenario("low", "Phương án thấp", tfr_offset=-0.5),
        Scenario("high", "Phương án cao", tfr_offset=0.5),
        Scenario("constant", "Mức sinh, mức chết không đổi", mortality_decline=0.0),
        Scenario("no-migration", "Phương án trung bình, không di cư", migration=False),
    )
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def scenario_dir() -> Path:
    return Path(os.environ.get(SCENARIO_DIR_ENV) or Path(user_data_dir("danso", appauthor=False)) / "scenarios")


def save_scenario(scenario: Scenario, directory: Path | None = None) -> Path:
    """Save a user scenario under its name (lower-case letters, digits, - and _); built-in names are kept."""
    if not _NAME.match(scenario.name) or scenario.name in BUILTIN:
        raise InputsError([f"scenario: tên “{scenario.name}” không dùng được (chữ thường không dấu, số, - và _; "
                           f"không trùng {', '.join(BUILTIN)})."])
    directory = directory or scenario_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{scenario.name}.json"
    path.write_text(json.dumps(asdict(scenario), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def load_scenario(name: str, directory: Path | None = None) -> Scenario:
    """A built-in scenario or one saved by name."""
    if name in BUILTIN:
        return BUILTIN[name]
    path = (directory or scenario_dir()) / f"{name}.json"
    if not _NAME.match(name) or not path.exists():
        raise InputsError([f"scenario: không có phương án “{name}”; có sẵn: {', '.join(BUILTIN)}, "
                           "hoặc lưu phương án mới bằng --save-scenario."])
    return Scenario(**json.loads(path.read_text(encoding="utf-8")))


def saved_scenarios(directory: Path | None = None) -> list[str]:
    d = directory or scenario_dir()
    return sorted(p.stem for p in d.glob("*.json")) if d.exists() else []
