"""SKR's selection of gender-equality key figures in Kolada, grouped by the six national
gender-equality policy goals (jämställdhetspolitiska delmål). The selection is a data file
(``policy_goals.json``) naming the source of every entry; this module only reads it."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).with_name("policy_goals.json")


@dataclass(frozen=True)
class GoalKpi:
    code: str
    title_sv: str
    title_en: str
    source: str

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv


@dataclass(frozen=True)
class Goal:
    key: str
    number: int
    title_sv: str
    title_en: str
    kpis: tuple[GoalKpi, ...]

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "sv").startswith("en") else self.title_sv


@cache
def goals() -> tuple[Goal, ...]:
    """The six goals, in the order of the policy, each with its key figures."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    kpis: dict[str, list[GoalKpi]] = {}
    for entry in data["key_figures"]:
        kpis.setdefault(entry["goal"], []).append(
            GoalKpi(entry["id"], entry["title_sv"], entry["title_en"], entry["source"])
        )
    return tuple(
        Goal(
            key=goal["key"],
            number=number,
            title_sv=goal["title_sv"],
            title_en=goal["title_en"],
            kpis=tuple(kpis.get(goal["key"], ())),
        )
        for number, goal in enumerate(data["goals"], start=1)
    )


def codes() -> set[str]:
    return {kpi.code for goal in goals() for kpi in goal.kpis}
