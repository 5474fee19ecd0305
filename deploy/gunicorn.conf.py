"""gunicorn settings for nok (``gunicorn -c deploy/gunicorn.conf.py config.wsgi``).

Everything can be overridden from the environment: NOK_BIND (address:port, default
127.0.0.1:8000 — keep it local, the reverse proxy is the only one to reach it),
NOK_WEB_WORKERS (processes, default 2 × cores + 1), NOK_WEB_THREADS (threads per process,
default 4), NOK_WEB_TIMEOUT (seconds a request may take, default 60).
"""

import multiprocessing
import os

bind = os.environ.get("NOK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("NOK_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("NOK_WEB_THREADS", "4"))
timeout = int(os.environ.get("NOK_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (bounds any slow leak).
max_requests = 2000
max_requests_jitter = 200
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
