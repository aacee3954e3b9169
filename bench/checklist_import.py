"""Benchmark: import a 10,000-statement checklist workbook (targets: <= 2 s, <= 64 MiB).

Run with `make bench`. Builds the workbook in the canonical layout (40 areas x 250
statements with English texts and guidance), then imports it three times into a throw-away
SQLite database (or DATABASE_URL if set) and reports the time and the peak Python memory
(tracemalloc) of the import: parsing, checking and writing.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarking.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from checklists.services import import_checklist  # noqa: E402

ROWS = 10_000
AREAS = 40


def workbook() -> bytes:
    # A normal workbook, as Excel saves it: texts in the shared-strings table.
    book = Workbook()
    sheet = book.active
    sheet.title = "Checklista"
    sheet.append(["Område", "Nr", "Påstående", "Område (en)", "Statement (en)", "Vägledning"])
    per_area = ROWS // AREAS
    for n in range(ROWS):
        area, number = divmod(n, per_area)
        sheet.append(
            [
                f"Område {area + 1}: styrning och ledning" if number == 0 else None,
                f"{area + 1}.{number + 1}",
                f"Påstående {n}: verksamheten följer upp resultat för kvinnor och män "
                f"och analyserar skillnaderna inför beslut ({n * 7919 % 10007}).",
                f"Area {area + 1}: governance" if number == 0 else None,
                f"Statement {n}: outcomes for women and men are followed up and analysed.",
                f"Vägledning {n}: se SKR:s stöd för jämställdhetsintegrering.",
            ]
        )
    scale = book.create_sheet("Skala")
    scale.append(["Värde", "Nivå", "Nivå (en)"])
    for value, label, english in [
        (0, "Inte påbörjat", "Not started"),
        (1, "Påbörjat", "Started"),
        (2, "Delvis genomfört", "Partly in place"),
        (3, "Genomfört", "In place"),
    ]:
        scale.append([value, label, english])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


call_command("migrate", verbosity=0)
content = workbook()
print(f"workbook: {ROWS:,} statements, {len(content) / 1024 / 1024:.1f} MB")
timings, peaks = [], []
for run in range(3):
    upload = SimpleUploadedFile("checklista.xlsx", content)
    tracemalloc.start()
    start = time.perf_counter()
    version = import_checklist(upload, name=f"Bench {run} {time.time()}")
    timings.append(time.perf_counter() - start)
    peaks.append(tracemalloc.get_traced_memory()[1] / 1024 / 1024)
    tracemalloc.stop()
    assert version.statements.count() == ROWS
# tracemalloc slows Python down; time once more without it.
start = time.perf_counter()
import_checklist(SimpleUploadedFile("checklista.xlsx", content), name=f"Bench plain {time.time()}")
plain = time.perf_counter() - start
print(
    f"checklist import, {ROWS:,} rows: {plain:.2f} s (with tracemalloc {min(timings):.2f}–"
    f"{max(timings):.2f} s), peak memory {max(peaks):.1f} MiB (targets 2 s, 64 MiB)"
)
