"""Hainan answers an objection to a designation under its article 21, and ends disclosure under its article 27
(issue 19).

HN 21: "where the credit subject objects [to a designation], a review shall be made ... A response on the outcome
of the handling shall be made within the designated time period." The reply to an objection against a designation
cited article 30 (objections to credit information, R-OBJ-*) because the profile named no article for R-DES-2.
"""

from django.db import migrations

#: HN 27 also ends the disclosure for good (R-DIS-3: "must not be disclosed again after the period"), which the notice
#: of removal cites when a listing or its basis expires.
ARTICLES = {"HN": {"R-DES-2": "第二十一条", "R-DIS-3": "第二十七条"}}


def load(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for code, rules in ARTICLES.items():
        for profile in profile_model.objects.filter(code=code):
            articles = dict(profile.articles or {})
            for rule, article in rules.items():
                articles.setdefault(rule, article)
            profile_model.objects.filter(pk=profile.pk).update(articles=articles)


def unload(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for code, rules in ARTICLES.items():
        for profile in profile_model.objects.filter(code=code):
            articles = {k: v for k, v in (profile.articles or {}).items() if k not in rules}
            profile_model.objects.filter(pk=profile.pk).update(articles=articles)


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0013_submit_tokens")]
    operations = [migrations.RunPython(load, unload)]
