from ..checklists.conftest import rounds, version  # noqa: F401 - shared fixtures
