import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by the browser tests' fixture in this process; a deployment never has it.
NOT_INHERITED = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "-c", "import benchmarking.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_migration_check_runs_without_secret_key():
    """CI and image builds check migrations without production secrets."""
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env={**clean, "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_serving_commands_still_need_the_secret_key():
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_starts_without_secret_key():
    assert _import_settings(DEBUG="1").returncode == 0


def test_deploy_check_is_clean_with_production_settings():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "a-real-looking-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-!",
        "ALLOWED_HOSTS": "jambench.example.se",
        "HTTPS": "1",
        "DATABASE_URL": "sqlite:///:memory:",
        "EMAIL_URL": "smtp://mail.example.se:587",
    }
    clean = {k: v for k, v in os.environ.items() if k not in env and k not in NOT_INHERITED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _cache_location(**env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED | set(env)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import benchmarking.settings as s; print(s.CACHES['default'].get('LOCATION'))",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_cache_has_its_own_redis_when_cache_url_is_set():
    assert (
        _cache_location(REDIS_URL="redis://broker:6379/0", CACHE_URL="redis://cache:6379/0")
        == "redis://cache:6379/0"
    )
    assert _cache_location(REDIS_URL="redis://broker:6379/0", CACHE_URL="") == (
        "redis://broker:6379/0"
    )


def test_production_stack_never_evicts_the_brokers_tasks():
    """Cached pages may be evicted under memory pressure; queued tasks (mails) never."""
    import yaml

    stack = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = stack["services"]
    environment = stack["x-app"]["environment"]

    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert environment["CACHE_URL"].startswith("redis://cache:")
    assert "--maxmemory-policy noeviction" in services["redis"]["command"]
    assert "--appendonly yes" in services["redis"]["command"]
    assert "--maxmemory-policy allkeys-lru" in services["cache"]["command"]
    assert "--maxmemory 256mb" in services["cache"]["command"]
