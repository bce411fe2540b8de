"""gunicorn settings of the portal's web processes: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Every value can be changed from the environment (the systemd unit reads /etc/portal/portal.env):

    GUNICORN_BIND        where to listen (default 127.0.0.1:8000: nginx on the same machine in front)
    WEB_CONCURRENCY      worker processes (default 2 × cores + 1)
    GUNICORN_TIMEOUT     seconds a request may take before its worker is killed (default 120)
    GUNICORN_ACCESS_LOG  file of the access log, "-" for stdout (journald), "" for none (default "-")
    GUNICORN_CONTROL_SOCKET  the socket of ``gunicornc`` (default: none; the systemd unit puts it in /run)
    FORWARDED_ALLOW_IPS  the proxies whose X-Forwarded-Proto is believed (default: this machine, when
                         TRUSTED_PROXIES is 1 or more; nobody when it is 0)
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers behind nginx (which buffers slow clients): the usual rule of thumb, 2 per core + 1.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

# The longest request the portal serves on purpose: a direct export of up to EXPORT_DIRECT_MAX_ROWS
# (20,000) rows — about 1 s as value tuples, up to ~10 s where a column needs model instances on a busy
# machine (bench/README.md) — and an import of up to IMPORT_MAX_ROWS (50,000) rows checked in the request,
# ~20 s, whose reading alone may take IMPORT_READ_MAX_SECONDS (30). gunicorn's default of 30 s would kill
# those; 120 s leaves room on a loaded machine. nginx's proxy_read_timeout is set to the same.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30  # a restart lets running requests finish for this long
keepalive = 5

# A worker is replaced after this many requests (with jitter, so they do not all restart at once): memory
# taken by a large import or export is given back to the system.
max_requests = 1000
max_requests_jitter = 100

# gunicorn's control socket (gunicornc: worker status, reload) only where the unit gives it a place of its
# own: by default gunicorn would put it in $HOME, shared by every gunicorn of that user.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# The heartbeat file of each worker in memory, not on a disk that may stall under load.
if os.path.isdir("/dev/shm"):  # noqa: S108 - a tmpfs of the system, not a temporary file
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# --- Logs -----------------------------------------------------------------------------------------
# The access log names the path only, never the query string (%(q)s) nor the full request line (%(r)s)
# nor the Referer (%(f)s), which carries the previous page's query string: a tracking code typed into an
# address (/track/?code=…) or a search for a person's name must not land in a log. Tracking codes are
# POSTed (complaints/urls.py: no address carries one in its path), so the path alone is safe to keep.
# %({x-request-id}o)s is the id the portal answered (core.request_id), the same as on its own log lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# --- Behind the proxy -------------------------------------------------------------------------------
# TRUSTED_PROXIES (config/settings/base.py, read by core.http.client_ip) counts the proxies in front.
# With one or more, the nearest (nginx on this machine by default) may tell gunicorn that the client came
# over HTTPS (X-Forwarded-Proto); with none, gunicorn faces the clients and believes no such header.
_trusted_proxies = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if _trusted_proxies > 0 else ""
