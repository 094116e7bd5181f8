"""The scale benchmark (issue 23, "Scale"): ``make bench`` runs ``python scripts/bench``.

It builds (once) a PostgreSQL database of its own, ``<name>_bench``, at provincial scale (BENCH_SUBJECTS subjects,
default 1,000,000; BENCH_RECORDS credit records, default 3,000,000; designations, objections, restorations and
deadlines in the tens of thousands, in realistic states), set-based in SQL; then times every case list through the
Django test client, serves the lists and a bare page through gunicorn side by side, runs the older sections (PDF,
imports, expiry, access log, audit ledger, public list) and writes docs/benchmarks.md. The daily expiry's
10,000,000 records (1,000,000 due) live in a database of their own, ``<name>_bench_expiry``, also built once.
BENCH_REBUILD=1 builds the data again. BENCH_SMOKE=1 runs every section at tiny sizes into a database of its own and writes the report to a
temporary file (CI proves the harness works; the figures mean nothing).

Modules: ``common`` (sizes, timing, the report's parts), ``data`` (the generated data and its users), ``cases``
(the case lists, lookups and searches), ``load`` (throughput beside the bare page; ``urls``/``settings`` serve it),
``hooks`` (the feed and the record import, when their modules exist), ``sections`` (PDF, catalog import, expiry,
access log, ledger, public list), ``report`` (docs/benchmarks.md).
"""
