"""`make bench`: run every benchmark and write what they measured to bench/results.md,
with the machine described. Each benchmark also prints its own lines as it goes."""

import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = [
    ("Main pages under load (PostgreSQL, gunicorn, wrk)", "load.py"),
    ("Invitation fan-out: 2,000 mails to a local SMTP sink", "invitations.py"),
    ("Agenda PDF", "agenda_pdf.py"),
    ("Checklist import: 10,000 statements", "checklist_import.py"),
]


def machine() -> list[str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    try:
        postgres = subprocess.run(
            ["psql", "-w", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc"]
            + ["show server_version"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        postgres = ""
    return [
        f"- {cpu}, {os.cpu_count()} cores{memory}",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- PostgreSQL {postgres or 'not reachable'}",
    ]


def main() -> None:
    sections = []
    failed = False
    for title, script in BENCHMARKS:
        print(f"== {title}", flush=True)
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script)], cwd=ROOT, capture_output=True, text=True
        )
        print(result.stdout, end="", flush=True)
        if result.returncode:
            failed = True
            print(result.stderr, file=sys.stderr)
            body = f"Failed (exit {result.returncode}):\n\n```\n{result.stderr[-2000:]}\n```"
        elif "|" in result.stdout:
            body = result.stdout.strip()
        else:
            body = "\n".join(f"- {line}" for line in result.stdout.strip().splitlines())
        sections.append(f"## {title}\n\n`python bench/{script}`\n\n{body}\n")
    today = datetime.date.today().isoformat()
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Written by `make bench` on {today}. The machine:",
            "",
            *machine(),
            "",
            *sections,
        ]
    )
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    print("Wrote bench/results.md")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
