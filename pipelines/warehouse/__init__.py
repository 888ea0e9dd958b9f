"""The PostgreSQL warehouse: where it is, its schema (versioned migrations), COPY and atomic publish."""

from pipelines.warehouse.connection import connect, warehouse_url
from pipelines.warehouse.schema import migrate

__all__ = ["connect", "migrate", "warehouse_url"]
