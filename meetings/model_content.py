"""SKR's benchmarking model, as shipped in ``fixtures/meeting_model.json`` (Swedish and English).

A cluster's meetings are created from it; later versions of the file change new clusters
only, never meetings already planned.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

MODEL_FILE = Path(settings.BASE_DIR) / "fixtures" / "meeting_model.json"


@cache
def meeting_model() -> dict:
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def questions(kind: str, language: str) -> list[str]:
    """The model's questions for a meeting kind, for presentations and feedback."""
    items = meeting_model()["meetings"].get(kind, {}).get("questions", [])
    return [item.get(language) or item["sv"] for item in items]
