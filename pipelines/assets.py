"""Airflow Assets shared between DAGs (data-aware scheduling)."""

from airflow.sdk import Asset

# Updated when a night's identity is published (dukcapil_nightly's publish task);
# bapenda_matching waits for it so a register is never matched against half a night.
IDENTITY = Asset(uri="dukcapil://warehouse/identity", name="dukcapil_identity")
