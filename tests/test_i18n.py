"""Both languages: the Chinese catalogue is complete and the interface switches to it."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from subjects.tests.factories import PersonFactory

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    """Run makemessages on a copy of the project and compare: a new string without a translation fails.

    The copy matters: makemessages writes next to the sources it reads, and the real catalogue must not change.
    """
    import shutil
    import subprocess
    import sys

    root = PO.parents[3]
    copy = tmp_path / "project"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "static", "__pycache__", "*.mo", "docs"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "creditportal.settings.test"},
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete]
    assert not missing, f"Strings in the code without a Chinese translation: {missing[:10]}"
    assert PO.read_bytes() == (root / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_bytes()


@pytest.mark.django_db
def test_switching_to_chinese(client, caseworker_a, dept_a):
    PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("subject_list")})
    assert response.status_code == 302
    html = client.get(reverse("subject_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    with translation.override("zh-hans"):
        assert translation.gettext("Credit subjects") in html
        assert translation.gettext("Credit subjects") != "Credit subjects"


@pytest.mark.django_db
def test_r_cat_8_the_check_digit_error_reads_in_chinese(client, caseworker_a, dept_a):
    client.force_login(caseworker_a)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    response = client.post(
        reverse("subject_create"),
        {
            "department": dept_a.pk,
            "kind": "legal_person",
            "name": "海口椰风食品有限公司",
            "id_type": "uscc",
            "id_number": "91460100MA5T0FTB4A",
            "ownership": "private",
            "reason": "登记",
        },
    )
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The check character of this unified social credit code is wrong (its last character): check the "
            "code for a typing error."
        )
    assert expected in response.content.decode()
    assert "统一社会信用代码" in expected


@pytest.mark.django_db
def test_an_audit_entry_is_titled_in_shanghai_time():
    """Every time shown is Asia/Shanghai: 01:30 UTC is 09:30 in Haikou (the admin's titles use __str__)."""
    import datetime

    from creditportal.models import AuditEvent

    event = AuditEvent.objects.create(
        at=datetime.datetime(2026, 11, 23, 1, 30, tzinfo=datetime.UTC), action="subjects.subject.created"
    )
    assert str(event) == "2026-11-23 09:30 subjects.subject.created"


@pytest.mark.django_db
def test_a_holiday_is_named_in_the_users_language():
    """Holiday names are stored as chinesecalendar's English names (message ids) and shown translated."""
    import datetime

    from creditportal.models import CalendarDay

    day = CalendarDay(date=datetime.date(2026, 10, 1), kind="off", name="National Day")
    with translation.override("zh-hans"):
        assert "国庆节" in str(day)
        assert "National Day" not in str(day)


def test_chinese_text_uses_full_width_colons_and_brackets():
    """A colon or bracket next to Chinese text is full-width (：（）), never ASCII ": " or "(" (issue 9)."""
    import re

    han = r"[\u4e00-\u9fff\u3001-\u303f\uff01-\uff5e]"
    ascii_next_to_chinese = re.compile(rf"{han}\s*:(\s|$)|{han}\s*\(|\)\s*{han}")
    wrong = [
        text
        for entry in polib.pofile(str(PO))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text and ascii_next_to_chinese.search(text)
    ]
    assert not wrong, f"ASCII punctuation in Chinese text: {wrong[:5]}"


@pytest.mark.django_db
def test_data_names_read_in_chinese(client, sysadmin):
    """Data stored in English is shown in Chinese (issue 9): the system account, a profile, the calendar source."""
    from creditportal.audit import system_user
    from creditportal.models import JurisdictionProfile

    with translation.override("zh-hans"):
        assert system_user().get_full_name() == "系统"
        profile = JurisdictionProfile.objects.get(code="HN")
        assert str(profile) == f"HN · {profile.regulation_zh}" and profile.regulation_zh
    client.force_login(sysadmin)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("admin:creditportal_calendaryear_changelist")).content.decode()
    assert "国务院办公厅节假日安排通知" in html
    assert "State Council holiday notices" not in html


def test_the_demo_seed_gives_its_reasons_in_chinese():
    from demo.helpers import REASON

    assert "演示数据" in REASON
