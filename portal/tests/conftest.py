from subjects.tests.conftest import catalog  # noqa: F401  (fixtures)
