"""The order the sections run in, and the one-section entry points (``python scripts/bench <section>``)."""

from __future__ import annotations

from . import cases, data, hooks, load, report, sections
from .common import NOTES, RESULTS, SMOKE, say


def main(args: list[str]) -> None:
    data.ensure_database()
    data.build_data()
    rewrite = "--report" in args
    args = [a for a in args if a != "--report"]
    section = args[0] if args else ""
    one = {
        "data": lambda: None,
        "lists": lambda: (sections.ensure_public_data(), data.settle(), cases.run_lists()),
        "load": load.run_load,
        "scope": sections.add_scope_results,
        "hooks": hooks.run_hooks,
        "feed": hooks.run_feed,
        "import": hooks.run_import,
        "expiry": lambda: sections.add_expiry_results(RESULTS),
        "access": _access,
        "public": lambda: sections.add_public_results(RESULTS),
        "ledger": lambda: sections.add_ledger_results(RESULTS),
    }
    if rewrite and args and set(args) <= set(report.PARTIAL):
        # ``python scripts/bench lists load --report``: these sections again, their parts of docs/benchmarks.md
        # replaced, the rest of the report kept and said to be from its own run (report.update)
        for name in args:
            one[name]()
        say(f"updated {report.update(args)}")
        return
    if section:
        if section not in one:
            raise SystemExit(f"bench: no section {section!r}; one of {', '.join(one)}")
        one[section]()  # alone: prints its figures, writes no report
        for lines in NOTES.values():
            print("\n".join(lines))
        return
    sections.ensure_public_data()  # the public list's 100,000 listed designations are part of what the lists page
    data.settle()
    data.describe()
    cases.run_lists()
    load.run_load()
    sections.add_scope_results()
    sections.add_pdf_results()
    sections.add_import_results(RESULTS)
    hooks.run_hooks()
    sections.add_expiry_results(RESULTS)
    _access()
    sections.add_ledger_results(RESULTS)
    sections.add_public_results(RESULTS)
    path = report.write()
    say(f"wrote {path}" + (" (smoke run: the figures mean nothing)" if SMOKE else ""))


def _access() -> None:
    from creditportal.models import Department, User
    from subjects.models import CreditSubject

    department = Department.objects.get(code="BENCH-A")
    sections.add_access_results(
        RESULTS,
        user=User.objects.get(username="bench-caseworker"),
        department=department,
        probe=CreditSubject.objects.filter(department=department).order_by("pk").first(),
    )
