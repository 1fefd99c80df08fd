"""Persistence: SQLAlchemy models, queries and Alembic migrations. Never imports Qt."""
