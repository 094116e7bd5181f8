"""The files people start an import from (issue 16): the first sheet has the headers of an export and nothing
else (it is what an import reads), named for what it holds; a second sheet, 填写说明, says for each column
whether it is required, what may be written in it, and gives an example. A CSV has one sheet: the headers."""

from __future__ import annotations

import io

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import FILE_LANGUAGE, TEMPLATES, CodeField, DepartmentField, ImportRowForm, YesNoField, _render

SHEET_NAMES = {
    "items": gettext_lazy("Catalog items"),
    "measures": gettext_lazy("Measures"),
    "standards": gettext_lazy("Designation standards"),
}
#: An example value of each free-text column (a choice column's example is its first choice).
EXAMPLES = {
    "code": "HN-0101",
    "name": "行政处罚信息",
    "conduct": "违反市场监督管理法律法规受到行政处罚",
    "data_source": "海南省市场监督管理局",
    "update_frequency": "每月",
    "legal_basis": "《中华人民共和国行政处罚法》第四十八条",
    "restoration_barred_by": "",
    "text": "限制参加政府采购活动",
    "legal_clause": "《政府采购法》第二十二条",
    "title": "食品安全严重失信主体认定标准",
    "sector": "市场监管",
    "conduct_criteria": "因食品安全违法行为受到较重行政处罚的",
    "allowed_measures": "M-01;M-02",
    "removal_conditions": "列入名单满三年且未再发生同类违法行为的，移出名单",
    "listing_max_months": "36",
    "removal_procedure": "期满后自动移出",
    "remedies": "可依法申请行政复议或者提起行政诉讼",
    "comment_starts_on": "2026-10-12",
    "comment_ends_on": "2026-11-11",
    "display_min_months": "6",
    "display_max_months": "36",
    "max_duration_months": "12",
}


def _explain(field: forms.Field) -> tuple[str, str]:
    """What may be written in a column, and an example."""
    if isinstance(field, CodeField):
        labels = [str(label) for code, label in field.text_choices.choices if code]
        return "、".join(labels), labels[0] if labels else ""
    if isinstance(field, YesNoField):
        return "是／否", "否"  # the file's own words (its language is Chinese)
    if isinstance(field, DepartmentField):
        return _("The department's code or its official name"), _("the department's code")
    if isinstance(field, forms.IntegerField):
        return _("A whole number of months"), ""
    if isinstance(field, forms.DateField):
        return _("A date, written YYYY-MM-DD"), ""
    return _("Text"), ""


def explanations(row_form: type[ImportRowForm]) -> list[list[str]]:
    """The second sheet's rows: column, required, what may be written, example."""
    rows = []
    headers = row_form.headers()
    for header, (name, field) in zip(headers, row_form.base_fields.items(), strict=True):
        allowed, example = _explain(field)
        rows.append([header, _("Yes") if field.required else _("No"), allowed, EXAMPLES.get(name, example)])
    return rows


def import_template(*, kind: str, fmt: str) -> bytes:
    row_form = TEMPLATES[kind]
    if fmt != "xlsx":
        return _render(row_form, [], fmt)
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    with translation.override(FILE_LANGUAGE):
        workbook = Workbook()
        data = workbook.active
        assert isinstance(data, Worksheet)  # noqa: S101 — a new workbook opens on its one worksheet
        data.title = str(SHEET_NAMES[kind])
        data.append(row_form.headers())
        help_sheet = workbook.create_sheet(_("How to fill in"))
        help_sheet.append([_("Column"), _("Required"), _("What may be written"), _("Example")])
        for row in explanations(row_form):
            help_sheet.append(row)
        for sheet in (data, help_sheet):
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        help_sheet.append([])
        help_sheet.append([_("Fill in the first sheet, one row per entry below its headers; this sheet is not read.")])
    for column, width in zip("ABCD", (24, 10, 60, 40), strict=True):
        help_sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
