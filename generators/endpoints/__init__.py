"""Endpoints computed by SQL: the endpoint queries (`query`) and their run on DuckDB (`run`)."""
