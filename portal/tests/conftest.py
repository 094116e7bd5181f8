from restoration.tests.conftest import listed, promised_period  # noqa: F401  (fixtures)
from subjects.tests.conftest import catalog, organisation, record  # noqa: F401  (fixtures)
