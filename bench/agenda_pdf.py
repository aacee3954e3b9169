"""Benchmark: render the agenda PDF of the largest demo agenda (target <= 1 s).

Run with `make bench`. Uses a throw-away SQLite database with the demo data.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarking.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from meetings.documents.agenda import agenda_pdf  # noqa: E402
from meetings.models import Meeting  # noqa: E402

call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
meeting = (
    Meeting.objects.annotate(items=Count("agenda_items")).order_by("-items", "starts_at").first()
)
agenda_pdf(meeting)  # warm up fonts and imports
timings = []
for _ in range(10):
    start = time.perf_counter()
    _name, _type, content = agenda_pdf(meeting)
    timings.append(time.perf_counter() - start)
print(
    f"agenda PDF, {meeting.items} items, {len(content):,} bytes: "
    f"median {statistics.median(timings):.3f} s, max {max(timings):.3f} s (target <= 1 s)"
)
