"""The article of each profile's own regulation behind every rule it sets, so pages and documents cite the
deployment's law (《海南自由贸易港社会信用条例》第十四条) instead of internal rule ids. Numbers from RULES.md."""

from django.db import migrations

ARTICLES = {
    "HN": {
        "R-CAT-1": 11,
        "R-CAT-4": 14,
        "R-CAT-5": 14,
        "R-CAT-7": 23,
        "R-REC-1": 24,
        "R-REC-2": 25,
        "R-SEC-4": 26,
        "R-DIS-1": 27,
        "R-SEC-1": 28,
        "R-SEC-5": 28,
        "R-OBJ-1": 30,
        "R-OBJ-2": 30,
        "R-OBJ-3": 30,
        "R-OBJ-6": 30,
        "R-RES-6": 31,
        "R-RES-1": 32,
        "R-RES-4": 32,
        "R-DES-1": 21,
        "R-DES-3": 21,
        "R-DES-5": 21,
        "R-DES-6": 22,
        "R-SEC-2": 16,
    },
    "HL": {
        "R-CAT-1": 18,
        "R-CAT-2": 18,
        "R-CAT-3": 18,
        "R-CAT-8": 19,
        "R-CAT-4": 20,
        "R-CAT-5": 20,
        "R-SEC-1": 24,
        "R-REC-1": 27,
        "R-DES-5": 28,
        "R-DES-8": 28,
        "R-DES-10": 29,
        "R-DES-6": 30,
        "R-DES-7": 30,
        "R-CAT-7": 31,
        "R-DES-9": 32,
        "R-REC-2": 33,
        "R-DES-1": 35,
        "R-DES-2": 35,
        "R-REC-5": 37,
        "R-DIS-3": 37,
        "R-REC-4": 38,
        "R-RES-6": 38,
        "R-OBJ-1": 39,
        "R-OBJ-2": 39,
        "R-OBJ-3": 39,
        "R-OBJ-4": 39,
        "R-OBJ-6": 39,
        "R-RES-1": 40,
        "R-RES-4": 40,
        "R-OBJ-7": 41,
    },
    "HB": {
        "R-CAT-2": 9,
        "R-CAT-4": 16,
        "R-CAT-5": 16,
        "R-SEC-2": 19,
        "R-SEC-3": 19,
        "R-REC-3": 22,
        "R-OBJ-1": 29,
        "R-OBJ-2": 29,
        "R-OBJ-3": 29,
        "R-OBJ-5": 29,
        "R-RES-3": 30,
        "R-RES-4": 30,
        "R-REC-5": 31,
        "R-SEC-6": 33,
    },
    "XJ": {
        "R-CAT-1": 20,
        "R-SEC-6": 27,
        "R-DES-7": 33,
        "R-DES-1": 34,
        "R-DES-6": 34,
        "R-REC-1": 37,
        "R-CAT-7": 38,
        "R-DES-10": 39,
        "R-REC-2": 40,
        "R-REC-5": 41,
        "R-SEC-1": 42,
        "R-SEC-2": 42,
        "R-SEC-5": 43,
        "R-DIS-2": 44,
        "R-OBJ-1": 45,
        "R-OBJ-3": 45,
        "R-RES-1": 46,
        "R-RES-2": 46,
        "R-DIS-3": 47,
    },
}

DIGITS = "零一二三四五六七八九"


def chinese_article(number: int) -> str:
    """14 → 第十四条, 21 → 第二十一条, 30 → 第三十条, 9 → 第九条 (articles of these regulations stay below 100)."""
    tens, ones = divmod(number, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")) + ("" if ones == 0 else DIGITS[ones])
    return f"第{text}条"


def load(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for code, numbers in ARTICLES.items():
        for profile in profile_model.objects.filter(code=code):
            articles = dict(profile.articles or {})
            for rule, number in numbers.items():
                articles.setdefault(rule, chinese_article(number))
            profile_model.objects.filter(pk=profile.pk).update(articles=articles)


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0007_verbose_names_in_the_admin")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
