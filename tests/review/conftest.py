from tests.store.pg import database_url, db, postgres_url  # noqa: F401  (fixtures)
