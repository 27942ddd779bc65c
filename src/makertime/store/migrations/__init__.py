"""Alembic migrations of the store, run by ``makertime.store.migrate`` when a store is opened."""
