"""Project-wide checks: system checks, migrations in step with models, the production profile."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_manage_py_check_passes():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


#: Run in the quick start's SQLite database after its migrations: a file of two records imported (issue 23's bulk
#: writes, PostgreSQL's COPY, unnest and advisory lock there) and one of them expired by the nightly job.
QUICK_START_WRITES = """
import datetime
from django.core.files.base import ContentFile
from django.utils import timezone
from creditportal.choices import Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from exchange import services
from exchange.reader import header_row
from subjects.disclosure import records_expire
from subjects.models import CreditRecord
from subjects.tests.factories import valid_uscc
from tests.case_data import make_catalog
department = DepartmentFactory(code="HK-SAMR", address="海口市", contact="0898-1")
user = user_with_role(Role.CASEWORKER, department, username="quick-start")
item, _standard = make_catalog(actor=user, department=department)
day = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
cells = lambda n: [f"Q-{n}", "法人", f"快速{n}有限公司", "", valid_uscc(7000 + n), item.code, "销售过期食品", day, "",
                   "punishment_decision", f"琼罚〔2026〕{n}号", "海南省市场监督管理局", day, "否"]
content = "\\n".join([",".join(header_row()), ",".join(cells(1)), ",".join(cells(2))]).encode("utf-8-sig")
job = services.record_import_create(actor=user, department=department, file=ContentFile(content, name="q.csv"), reason="r")
job = services.record_import_run(job_id=job.pk)
ended = timezone.localdate() - datetime.timedelta(days=1)
CreditRecord.objects.filter(provider_key="Q-1").unguarded().update(disclosure_until=ended)
expired = records_expire(today=timezone.localdate())
archived = CreditRecord.history.filter(history_type="~", status="archived").count()
print("QUICK-START", job.status, job.rows_written, expired.archived, archived)
"""


def test_the_quick_start_migrates_on_sqlite_and_its_bulk_writes_work_there(tmp_path):
    """``make run`` serves the demo from a SQLite file: every migration must apply there too (issue 16: a
    PostgreSQL-only concurrent index stopped the quick start), and the bulk writes written for PostgreSQL (a record
    import's COPY and its batch lock, the events' unnest, the history copied by one statement) take their portable
    path there: a file imported, a record expired with its history."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "creditportal.settings.dev", "DATABASE_URL": f"sqlite:///{tmp_path}/q.db"})
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    wrote = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", QUICK_START_WRITES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "QUICK-START done 2 1 1" in wrote.stdout, (wrote.stdout + wrote.stderr)[-3000:]


def _run_production(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update({"DJANGO_SETTINGS_MODULE": "creditportal.settings.production", **env_overrides})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


SECURE = {
    "SECRET_KEY": "k8Jd2-mQx!pL0v#Zr7sTn4yWb6eHc9uFa1gKo3iXj5lMq8wEr2tYu6pAs0dZf",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/creditportal",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "credit.example.gov.cn",
    "PORTAL_IDENTITY_KEYS": "5Kq0a7yB2kN9wV3tR8sX1cD6fG4hJ0lP2mZ5vB7nQ9E=",
    "PORTAL_IDENTITY_HASH_KEY": "Tq3!vR8#wL2zXp6Ny0Mb4Kc7Jd9Hf1Gs5Da8Sx2Cz4Vb6Nm0Qw3Er7Ty9Ui1Op",
}


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = _run_production(SECURE, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        # long enough, and still guessable (issue 21: judged by randomness, not length)
        ({"SECRET_KEY": "abcde" * 12}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "0123456789abcdef" * 4}, "SECRET_KEY must be set"),
        ({"AUDIT_ANCHOR_KEY": "abcde" * 12}, "AUDIT_ANCHOR_KEY, when set"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "credit.example.gov.cn,*"}, "ALLOWED_HOSTS must name"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        # issue 21: identity numbers are sealed with the deployment's own keys, never the SECRET_KEY's
        ({"PORTAL_IDENTITY_KEYS": ""}, "PORTAL_IDENTITY_KEYS must name"),
        ({"PORTAL_IDENTITY_KEYS": "not-a-fernet-key"}, "must be a Fernet key"),
        ({"PORTAL_IDENTITY_HASH_KEY": ""}, "PORTAL_IDENTITY_HASH_KEY must be set"),
        ({"PORTAL_IDENTITY_HASH_KEY": "abcde" * 12}, "PORTAL_IDENTITY_HASH_KEY must be set"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "Production runs on PostgreSQL"),
        ({"CELERY_BROKER_URL": ""}, "Production needs a Celery broker"),
    ],
)
def test_production_profile_refuses_an_insecure_configuration(override, message):
    result = _run_production({**SECURE, **override}, "check")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "k8Jd2-mQx!pL0v#Zr7sTn4yWb6eHc9uFa1gKo3iXj5lMq8wEr2tYu6pAs0dZf",
        "3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e2b4d6f0a9c1e3b5d7f9a2c4e6b8d0f1a",  # openssl rand -hex 32
    ],
)
def test_production_accepts_a_random_secret(key):
    assert _run_production({**SECURE, "SECRET_KEY": key}, "check").returncode == 0


def test_an_unknown_jurisdiction_is_refused():
    result = _run_production({**SECURE, "CREDIT_JURISDICTION": "ZZ"}, "check")
    assert result.returncode != 0
    assert "CREDIT_JURISDICTION must be one of" in result.stderr
