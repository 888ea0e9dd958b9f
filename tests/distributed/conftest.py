import pytest


@pytest.fixture(scope="session", autouse=True)
def _warehouse(warehouse):
    """Every test here talks to the real PostgreSQL: the session's warehouse database."""
    return warehouse
