"""gunicorn settings for an app server (docs/deployment.md): ``gunicorn -c deploy/gunicorn.conf.py creditportal.wsgi``.

Each server runs several sync workers; with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, emptied before
each start) the metrics of all of them add up at /metrics, and a worker that exits is forgotten here.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60  # no request may hold a worker longer; PDFs and imports run in Celery, not here
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory), staggered
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")  # the proxy's addresses
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}i)s'


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
