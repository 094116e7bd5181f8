"""Rule ids are for developers: what people read cites the deployment's own regulation instead.

Messages in the code end in "(R-DES-1)" so that developers and tests can find the rule they apply. Before a
person reads one, ``for_people`` replaces each such id with the article of the deployment's own regulation
(``JurisdictionProfile.cite``: 《海南自由贸易港社会信用条例》第二十一条), or removes it when the regulation
has no article for that rule: never an internal id, never another province's article.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language

RULE_ID = re.compile(r"R-[A-Z]{3}-\d+")
#: One bracketed group of rule ids, half- or full-width brackets, ids separated by commas, slashes, semicolons,
#: "and" or spaces: "(R-DES-1)", "（R-DES-1、R-DIS-1）", " (R-DES-1 / R-DIS-1)".
_CITATION = re.compile(r"\s*[(（]\s*(R-[A-Z]{3}-\d+(?:\s*(?:[,，/、;；]|and|和)?\s*R-[A-Z]{3}-\d+)*)\s*[)）]")
_BARE = re.compile(r"\s*R-[A-Z]{3}-\d+(?:\s*[,，/、;；]\s*R-[A-Z]{3}-\d+)*")


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


def _bracketed(articles: list[str]) -> str:
    if (get_language() or "").startswith("zh"):
        return "（" + "、".join(articles) + "）"
    return " (" + ", ".join(articles) + ")"


def for_people(text) -> str:
    """``text`` with each "(R-XXX-N)" replaced by the deployment's article for it, or removed."""
    if text is None:
        return ""
    text = str(text)
    if "R-" not in text:
        return text

    def cite(match: re.Match) -> str:
        articles = _articles(RULE_ID.findall(match.group(1)))
        return _bracketed(articles) if articles else ""

    text = _CITATION.sub(cite, text)
    # An id left outside brackets ("R-DES-1 / R-DIS-1" in a label) is removed.
    return _BARE.sub("", text).strip()


def cite_in_page(html: str) -> str:
    """A whole HTML page: every bracketed rule id (in a help text, a heading, a message) becomes the deployment's
    article, or goes. Only bracketed ids are touched, so text a person typed is left as it is."""
    if "R-" not in html:
        return html

    def cite(match: re.Match) -> str:
        articles = _articles(RULE_ID.findall(match.group(1)))
        return _bracketed(articles) if articles else ""

    return _CITATION.sub(cite, html)
