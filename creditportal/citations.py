"""Rule ids are for developers: what people read cites the deployment's own regulation instead.

Messages in the code end in "(R-DES-1)" so that developers and tests can find the rule they apply. Before a
person reads one, ``for_people`` replaces each such id with the article of the deployment's own regulation
(``JurisdictionProfile.cite``: 《海南自由贸易港社会信用条例》第二十一条), or removes it when the regulation
has no article for that rule: never an internal id, never another province's article.
"""

from __future__ import annotations

import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

RULE_ID = re.compile(r"R-[A-Z]{3}-\d+")
#: A run of rule ids, separated by commas, slashes, semicolons, "and" or spaces: "R-DES-1", "R-DES-1 / R-DIS-1".
_RUN = re.compile(r"R-[A-Z]{3}-\d+(?:\s*(?:[,，/、;；]|and|和)?\s*R-[A-Z]{3}-\d+)*")
#: One bracketed group (half- or full-width brackets) holding at least one rule id, with the space before it:
#: "(R-DES-1)", "（R-DES-1、R-DIS-1）", "（以工作日计，R-DES-1）".
_GROUP = re.compile(r"\s*[(（]([^()（）]*?R-[A-Z]{3}-\d+[^()（）]*)[)）]")
_SEPARATOR = r"[\s,，;；、/]"
_EDGES = re.compile(rf"^{_SEPARATOR}+|{_SEPARATOR}+$")
_DOUBLED = re.compile(r"([,，;；、/])(?:\s*[,，;；、/])+")
_BARE = re.compile(rf"{_SEPARATOR}*" + _RUN.pattern)


def _articles(rule_ids: list[str]) -> list[str]:
    from .profiles import current_profile

    profile = current_profile()
    if profile is None:
        return []
    cited: list[str] = []
    for rule in rule_ids:
        article = profile.cite(rule)
        if article and article not in cited:
            cited.append(article)
    return cited


def for_people(text) -> str:
    """``text`` with each "(R-XXX-N)" replaced by the deployment's article for it, or removed.

    Cited at the source (a template's ``|for_people``, a form's help text and errors, a refusal), never by
    rewriting a finished page: what a person typed is shown as typed, and a page's length is what its header says
    (issue 16). Plain text stays plain (the template escapes it); HTML (``SafeData``: a help text, an escaped
    error) stays HTML, with the articles escaped."""
    if text is None:
        return ""
    html = isinstance(text, SafeData)
    text = str(text)
    if "R-" not in text:
        return mark_safe(text) if html else text  # noqa: S308  (it was HTML already, and is unchanged)

    zh = (get_language() or "").startswith("zh")

    def cite(group: re.Match) -> str:
        # Each run of ids becomes a mark first, so that tidying the separators left around it never touches an
        # article (an escaped one holds "&lt;/b&gt;"), then the mark becomes the run's articles.
        runs: list[str] = []

        def mark(run: re.Match) -> str:
            cited = _articles(RULE_ID.findall(run.group(0)))
            # An article is a profile's text (an administrator's field): in HTML it is escaped like any value.
            cited = [conditional_escape(article) for article in cited] if html else cited
            runs.append(("、" if zh else ", ").join(cited))
            return f"\x00{len(runs) - 1}\x00" if cited else ""

        inner = _DOUBLED.sub(r"\1", _EDGES.sub("", _RUN.sub(mark, group.group(1))))
        inner = re.sub("\x00(\\d+)\x00", lambda m: runs[int(m.group(1))], inner)
        if not inner:
            return ""
        return "（" + inner + "）" if zh else " (" + inner + ")"

    text = _GROUP.sub(cite, text)
    # An id left outside brackets ("R-DES-1 / R-DIS-1" in a label) is removed, with what joined it to the text.
    text = _BARE.sub("", text).strip()
    return mark_safe(text) if html else text  # noqa: S308  (HTML in, with only escaped articles added)
