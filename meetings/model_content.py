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
