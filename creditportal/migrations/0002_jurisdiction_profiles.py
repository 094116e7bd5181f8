"""Load the four jurisdiction profiles of RULES.md ("Jurisdiction profile values").

A value a regulation does not set stays null ("not set by this regulation"); ``sources`` names the article
behind each value that is set, so anyone can check it against ../shared/regulations/.
"""

from django.db import migrations

REMEDIES = "行政复议（60日内）或者行政诉讼（6个月内） / administrative reconsideration (within 60 days) or administrative litigation (within 6 months)"

PROFILES = [
    {
        "code": "HN",
        "name": "Hainan Free Trade Port",
        "province_name": "琼",
        "regulation": "Hainan Free Trade Port Social Credit Regulations (2021), in force 2022-01-01",
        "objection_label_wd": 1,
        "objection_answer_days": 7,
        "objection_answer_unit": "wd",
        "objection_extension_total_wd": 15,
        "disclosure_max_months": 60,
        "revoked_basis_removal_wd": 2,
        "free_reports_per_year": 2,
        "remedies": REMEDIES,
        "sources": {
            "objection_label_wd": "HN 30",
            "objection_answer_days": "HN 30",
            "objection_extension_total_wd": "HN 30",
            "disclosure_max_months": "HN 27",
            "revoked_basis_removal_wd": "HN 31",
            "free_reports_per_year": "HN 28",
            "remedies": "HN 33",
            "designation_objection_wd": "HN 21 (within the designated time: not a number)",
        },
    },
    {
        "code": "HL",
        "name": "Heilongjiang Province",
        "province_name": "黑",
        "regulation": "Heilongjiang Province Social Credit Regulations (2022), in force 2022-07-01",
        "objection_label_wd": 1,
        "objection_answer_days": 3,
        "objection_answer_unit": "wd",
        "objection_answer_assisted_wd": 7,
        "assisting_unit_answer_wd": 2,
        "objection_clock_pauses": True,
        "shared_copies_change_wd": 3,
        "designation_objection_wd": 3,
        "provider_correction_wd": 3,
        "revoked_basis_report_wd": 2,
        "revoked_basis_removal_wd": 1,
        "complaint_answer_wd": 20,
        "free_reports_per_year": 2,
        "remedies": REMEDIES,
        "sources": {
            "objection_label_wd": "HL 39",
            "objection_answer_days": "HL 39",
            "objection_answer_assisted_wd": "HL 39",
            "assisting_unit_answer_wd": "HL 39",
            "objection_clock_pauses": "HL 39",
            "shared_copies_change_wd": "HL 39",
            "designation_objection_wd": "HL 35",
            "provider_correction_wd": "HL 38",
            "revoked_basis_report_wd": "HL 38",
            "revoked_basis_removal_wd": "HL 38",
            "complaint_answer_wd": "HL 41",
            "free_reports_per_year": "HL 24",
            "remedies": "HL 41",
            "disclosure_max_months": "HL 37 (per state provisions: not a number)",
        },
    },
    {
        "code": "HB",
        "name": "Hubei Province",
        "province_name": "鄂",
        "regulation": "Hubei Province Credit Information Regulations (revised draft, 2017)",
        "objection_answer_days": 15,
        "objection_answer_unit": "cd",
        "suspend_when_provider_late": True,
        "restoration_extra_grounds": True,
        "inquiry_record_years": 3,
        "sources": {
            "objection_answer_days": "HB 29",
            "suspend_when_provider_late": "HB 29",
            "restoration_extra_grounds": "HB 30",
            "inquiry_record_years": "HB 19",
            "objection_label_wd": "HB 29 (labelled while handling: no number)",
        },
    },
    {
        "code": "XJ",
        "name": "Xinjiang Uyghur Autonomous Region",
        "province_name": "新",
        "regulation": "Xinjiang Uyghur Autonomous Region Social Credit Regulations (2024), in force 2024-10-01",
        "objection_answer_days": 7,
        "objection_answer_unit": "wd",
        "punishment_disclosure_min_months": 3,
        "punishment_disclosure_max_months": 36,
        "special_sector_min_months": 12,
        "restoration_after_min_period": True,
        "remedies": "依法申请行政复议或者提起行政诉讼 / apply for administrative reconsideration or bring administrative litigation",
        "sources": {
            "objection_answer_days": "XJ 45",
            "punishment_disclosure_min_months": "XJ 44",
            "punishment_disclosure_max_months": "XJ 44",
            "special_sector_min_months": "XJ 44",
            "restoration_after_min_period": "XJ 46",
            "remedies": "XJ 34",
            "shared_copies_change_wd": "XJ 47 (promptly: not a number)",
        },
    },
]


def load(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for values in PROFILES:
        values = dict(values)
        profile_model.objects.update_or_create(code=values.pop("code"), defaults=values)


def unload(apps, schema_editor):
    # Reversing the migration drops the table anyway; nothing to undo row by row.
    pass


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
