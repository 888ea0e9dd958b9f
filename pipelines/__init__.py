"""Banten population data warehouse pipeline: all logic lives here; DAGs only wire it."""
