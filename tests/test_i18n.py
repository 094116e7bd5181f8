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
    """Run makemessages into a scratch copy and compare: a new string without a translation fails."""
    import shutil
    import subprocess
    import sys

    root = PO.parents[3]
    scratch = tmp_path / "locale"
    shutil.copytree(root / "locale", scratch)
    subprocess.run(
        [sys.executable, "-c",
         "import os, sys, django; from django.conf import settings; "
         "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'creditportal.settings.test'); django.setup(); "
         f"settings.LOCALE_PATHS = [{str(scratch)!r}]; "
         "from django.core.management import call_command; "
         "call_command('makemessages', locale=['zh_Hans'], ignore_patterns=['.venv/*', 'var/*'], "
         "no_location=True, no_obsolete=True, verbosity=0)"],
        cwd=root, check=True, capture_output=True,
    )
    fresh = polib.pofile(str(scratch / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.translated() and not e.obsolete]
    assert not missing, f"Strings in the code without a Chinese translation: {missing[:10]}"


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
    response = client.post(reverse("subject_create"), {
        "department": dept_a.pk, "kind": "legal_person", "name": "海口椰风食品有限公司", "id_type": "uscc",
        "id_number": "91460100MA5T0FTB4A", "ownership": "private", "reason": "登记",
    })
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The check character of this %(label)s is wrong: check the number for a typing error."
        ) % {"label": translation.gettext("unified social credit code")}
    assert expected in response.content.decode()
    assert "统一社会信用代码" in expected
