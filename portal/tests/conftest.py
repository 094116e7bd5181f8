from subjects.tests.conftest import catalog, organisation  # noqa: F401  (fixtures)
