import psycopg2
import pytest


@pytest.fixture(autouse=True)
def no_database(monkeypatch):
    """Unit tests need no PostgreSQL: a connection attempt fails at once, naming the test's mistake."""

    def refuse(*args, **kwargs):
        raise AssertionError("a unit test tried to connect to PostgreSQL: it belongs in tests/integration")

    monkeypatch.setattr(psycopg2, "connect", refuse)
