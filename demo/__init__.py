"""The Hainan demo data (``manage.py seed_demo``): its own app, the one package that imports every app.

DEMO ONLY. The seed itself is in :mod:`demo.seed`; this package stays free of imports so Django can load the
app before the models are ready.
"""
