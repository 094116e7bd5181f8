"""Add or update Chinese translations in locale/zh_Hans/LC_MESSAGES/django.po, safely.

Usage: ``.venv/bin/python scripts/po_add.py entries.json`` where the JSON maps each msgid to its msgstr
(or to ``{"msgstr": ..., "msgctxt": ..., "msgid_plural": ..., "msgstr_plural": [...]}``), or ``-`` for
standard input. The catalogue is locked while it is read and written (several people may add strings at
once), entries that exist are updated in place, new ones are appended, and fuzzy flags on updated entries
are cleared. ``makemessages`` later places the entries where the code uses them and keeps the translations.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def merge(entries: dict) -> tuple[int, int]:
    added = updated = 0
    with open(PO.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        catalogue = polib.pofile(str(PO), wrapwidth=79)
        for msgid, value in entries.items():
            spec = value if isinstance(value, dict) else {"msgstr": value}
            context = spec.get("msgctxt")
            entry = catalogue.find(msgid, msgctxt=context) if context else catalogue.find(msgid)
            if entry is None:
                entry = polib.POEntry(msgid=msgid, msgctxt=context)
                catalogue.append(entry)
                added += 1
            else:
                updated += 1
            if "msgid_plural" in spec:
                entry.msgid_plural = spec["msgid_plural"]
                entry.msgstr_plural = dict(enumerate(spec["msgstr_plural"]))
            else:
                entry.msgstr = spec["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.obsolete = False
        catalogue.save(str(PO))
    return added, updated


if __name__ == "__main__":
    if sys.argv[1:] in ([], ["-"]):
        added, updated = merge(json.load(sys.stdin))
    else:
        with open(sys.argv[1], encoding="utf-8") as source:
            added, updated = merge(json.load(source))
    print(f"po_add: {added} added, {updated} updated in {PO.relative_to(PO.parents[3])}")
