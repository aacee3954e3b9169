"""Settings for the test run: the app's own settings, with test-only values from the
environment set before they are read. DATABASE_URL and REDIS_URL are passed through."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789abcdef")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from benchmarking.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_FAILURE_LIMIT = 3
# Serve static files from the apps' folders, as under `make run`, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # noqa: F405
# One cache per test process, emptied before every test (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
