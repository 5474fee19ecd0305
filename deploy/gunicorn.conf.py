"""gunicorn settings for nok (``gunicorn -c deploy/gunicorn.conf.py config.wsgi``).

Everything can be overridden from the environment: NOK_BIND (address:port, default
127.0.0.1:8000 — keep it local, the reverse proxy is the only one to reach it),
NOK_WEB_WORKERS (processes, default one per core, at least 2), NOK_WEB_THREADS (threads per
process, default 8), NOK_WEB_TIMEOUT (seconds a request may take, default 60),
NOK_DB_CONN_MAX_AGE (seconds a worker thread keeps its database connection, default 300 here),
NOK_WEB_MAX_REQUESTS (requests after which a process is replaced, default 20000).

Why these counts: a request of the public questionnaire is mostly Python (the view, the
template, the middleware: 2–3 ms of CPU) and briefly waits on PostgreSQL (a query, a commit's
flush). Python runs one thread per process at a time, so the processes are what use the cores:
one per core, and no more — a third process on two cores only adds context switches and
another copy of the application in memory, while PostgreSQL needs CPU of its own. The threads
fill the waits: while one waits on the database, another renders. bench/bench_server.py
prints the throughput and the CPU split of each choice (see its docstring).

Why connections are kept: with CONN_MAX_AGE 0 (Django's default, and settings' default for
management commands) every request opened a new PostgreSQL connection — a new server process
on PostgreSQL's side, several milliseconds of CPU for a screen that itself needs three. A
thread keeps its connection for NOK_DB_CONN_MAX_AGE seconds; at most processes × threads
connections are open (16 by default, well under PostgreSQL's 100).
"""

import multiprocessing
import os

bind = os.environ.get("NOK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("NOK_WEB_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = "gthread"
threads = int(os.environ.get("NOK_WEB_THREADS", "8"))
# Read by the workers' settings (config/settings.py, database_from_url): this file runs in the
# master before it starts them, and they inherit its environment.
os.environ.setdefault("NOK_DB_CONN_MAX_AGE", "300")
timeout = int(os.environ.get("NOK_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (bounds any slow leak). Each replacement
# loads the application afresh (seconds of CPU, a cold cache of parsed methodologies and
# templates, new database connections) while the other processes carry its share: with one
# process per core that is half the server, so it happens rarely (NOK_WEB_MAX_REQUESTS).
max_requests = int(os.environ.get("NOK_WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# X-Forwarded-Proto/-For are believed only from the proxies Django believes as well.
forwarded_allow_ips = os.environ.get("NOK_TRUSTED_PROXIES", "") or "127.0.0.1,::1"
# Request line and headers stay small; bodies are capped by the application
# (NOK_MAX_REQUEST_MB) and, before that, by the proxy (client_max_body_size).
limit_request_line = 8190
limit_request_fields = 100
# NOK_ACCESS_LOG= (empty) turns the access log off.
accesslog = os.environ.get("NOK_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("NOK_GUNICORN_LOG_LEVEL", "info")
# No control socket: several servers on one host (staging beside production, tests) would
# share its default path in the home directory.
control_socket_disable = True
# Workers load the application themselves: a worker that fails to start is visible at once.
preload_app = False
