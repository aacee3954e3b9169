"""Benchmark: the main pages under load, on PostgreSQL with `seed_scale --clusters 50` data.

Serves the app with gunicorn (production settings: DEBUG off, manifest static files, database
sessions) and loads each page with wrk, one after the other with the same settings: a bare
Django view (``/livez/``: the whole middleware stack, no database) and the main pages (SKR's
overview, a cluster, a meeting, a self-assessment, the cluster's and the programme's results).
For each: requests per second, p50/p95 latency, the cost ratio to the bare view (its
throughput divided by the page's) and the page's number of SQL queries (counted in-process
with Django's test client on the same data). Twice: with the fragment cache (shared pages
kept rendered until a write, benchmarking/freshness.py; Redis with REDIS_URL, else files) and
with FRAGMENT_CACHE=0, every page drawn in full as right after a write. Needs PostgreSQL
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/jambench_bench; the database
is recreated) and wrk.

Run with `make bench` (or `python bench/load.py [--seconds 10] [--clusters 50]`).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jambench_bench"
)
WORKERS = 2
CONNECTIONS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarking.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-5f0e2c1d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": DATABASE_URL,
        "CONN_MAX_AGE": "60",
        "EMAIL_URL": "consolemail://",
    }


def recreate_database() -> None:
    """Drop and create the benchmark's database (only one whose name says it is for this)."""
    import psycopg
    from psycopg import sql

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to recreate {name!r}: the name must contain 'bench'.")
    server = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def targets() -> tuple[list[tuple[str, str, str]], dict]:
    """(label, path, session cookie) for each page, and the query count of each."""
    os.environ.update(bench_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from checklists.models import SelfAssessment
    from meetings.models import Meeting
    from programmes.enums import Role
    from programmes.models import Assignment, Programme

    programme = Programme.objects.order_by("-pk").first()
    manager = Assignment.objects.get(programme=programme, role=Role.PROJECT_MANAGER).person
    cluster = programme.clusters.order_by("name").first()
    mentor = cluster.memberships.get(is_mentor=True).organisation
    key_person = Assignment.objects.filter(
        programme=programme, organisation=mentor, role=Role.KEY_PERSON, ended_at__isnull=True
    ).first()
    key_person = key_person.person
    meeting = (
        Meeting.objects.filter(cluster=cluster, starts_at__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    assessment = (
        SelfAssessment.objects.filter(organisation=mentor, round__programme=programme)
        .order_by("-round__due_on")
        .first()
    )
    pages = [
        ("bare Django view (/livez/)", reverse("livez"), manager),
        (
            "SKR overview (50 clusters)",
            reverse("programmes:programme_overview", kwargs={"pk": programme.pk}),
            manager,
        ),
        ("cluster", cluster.get_absolute_url(), key_person),
        ("meeting", meeting.get_absolute_url(), key_person),
        ("self-assessment", assessment.get_absolute_url(), key_person),
        (
            "cluster results",
            reverse("checklists:cluster_results", kwargs={"pk": cluster.pk}),
            key_person,
        ),
        (
            "programme results",
            reverse("checklists:programme_results", kwargs={"pk": programme.pk}),
            manager,
        ),
    ]
    from benchmarking.freshness import data_changed

    result, queries = [], {}
    for label, path, user in pages:
        client = Client()
        client.force_login(user)
        client.get(path)  # warm caches as a real worker would have them
        data_changed()  # as after any write: the shared fragments are drawn again
        with CaptureQueriesContext(connection) as drawn:
            client.get(path)
        with CaptureQueriesContext(connection) as cached:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        queries[label] = (len(cached), len(drawn))
        result.append((label, path, client.cookies["sessionid"].value))
    return result, queries


def wrk(url: str, cookie: str, seconds: int) -> dict:
    script = ROOT / "bench" / "wrk_report.lua"
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    command += ["-H", f"Cookie: sessionid={cookie}", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line)


def check_page(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} at {response.url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clusters", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    started = time.perf_counter()
    recreate_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    seed_start = time.perf_counter()
    manage("seed_scale", "--clusters", str(args.clusters), "--allow-without-debug")
    seeded = time.perf_counter() - seed_start
    pages, queries = targets()

    cached = serve_and_load(pages, args.seconds, fragment_cache=True)
    drawn = serve_and_load(pages, args.seconds, fragment_cache=False)

    bare, drawn_bare = cached[0][1], drawn[0][1]  # each run against its own bare view
    cache = "Redis" if os.environ.get("REDIS_URL") else "files (var/cache)"
    print(
        f"Load: gunicorn {WORKERS} sync workers, wrk 2 threads {CONNECTIONS} connections, "
        f"{args.seconds} s per page after 2 s warm-up; PostgreSQL; seed_scale --clusters "
        f"{args.clusters} took {seeded:.1f} s; cache: {cache}. *Cached*: shared pages served "
        "from the fragment cache, as between writes; *drawn*: the same with FRAGMENT_CACHE=0, "
        "as right after a write (every page drawn in full)."
    )
    print()
    print(
        "| page | requests/s | p50 | p95 | cost vs bare view | SQL queries | errors "
        "| drawn: requests/s | drawn: p95 | drawn: cost | drawn: queries |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row, (_label, d_rps, _d50, d_p95, d_errors) in zip(cached, drawn, strict=True):
        label, rps, p50, p95, errors = row
        hit, miss = queries[label]
        print(
            f"| {label} | {rps:,.0f} | {p50 / 1000:.1f} ms | {p95 / 1000:.1f} ms | "
            f"{bare / rps:.1f}× | {hit} | {errors + d_errors} | {d_rps:,.0f} | "
            f"{d_p95 / 1000:.1f} ms | {drawn_bare / d_rps:.1f}× | {miss} |"
        )
    worst = max(bare / rps for _label, rps, *_rest in cached[1:])
    worst_drawn = max(drawn_bare / rps for _label, rps, *_rest in drawn[1:])
    print()
    total = time.perf_counter() - started
    print(
        f"Highest cost ratio: {worst:.1f}× cached, {worst_drawn:.1f}× drawn "
        f"(target ≤ 10×). Total {total:.0f} s."
    )


def serve_and_load(pages, seconds: int, *, fragment_cache: bool) -> list[tuple]:
    """Serve the app with gunicorn and load each page with wrk, one after the other."""
    port = free_port()
    env = {**bench_env(), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    env["FRAGMENT_CACHE"] = "1" if fragment_cache else "0"
    server = subprocess.Popen(
        ["gunicorn", "benchmarking.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/livez/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for label, path, cookie in pages:
            check_page(base + path, cookie)
            wrk(base + path, cookie, 2)  # warm-up
            measured = wrk(base + path, cookie, seconds)
            errors = sum(measured[k] for k in ("connect", "read", "write", "status", "timeout"))
            rps = measured["requests"] / (measured["duration_us"] / 1e6)
            rows.append((label, rps, measured["p50_us"], measured["p95_us"], errors))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


if __name__ == "__main__":
    main()
