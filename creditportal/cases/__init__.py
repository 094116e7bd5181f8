"""The case kit (issue 17): what every case workflow (designations, objections, restoration, the credit record's
life) shares, written once — who may take an act in a department, the refusal when they may not, the row lock
with its stale-page message, the case page and its act view, and the template tag that asks the workflow.

``creditportal.workflow`` is the engine (states, transitions, guards); this package is how a case app uses it:
``cases.workflow`` for the declaration and the lock, ``cases.views`` for the pages. See docs/architecture.md,
"How to add a case type".
"""
