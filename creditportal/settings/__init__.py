"""Settings profiles: ``dev`` (quick start), ``test`` (pytest, PostgreSQL) and ``production``."""
