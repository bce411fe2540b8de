"""One id per request, on every log line the request causes — in the web process and in the Celery tasks
it starts — so an operator can follow one request through the logs.

- ``RequestIdMiddleware`` takes ``X-Request-ID`` from the request when it looks like an id (the proxy or
  load balancer may set one), else makes one; it keeps it in a context variable until the response is
  closed (``request_finished``) and answers it in the ``X-Request-ID`` header.
- ``core.logs.RequestIdFilter`` puts it on every log record (``%(request_id)s``; a field of the JSON lines).
- A task published during the request carries it in a message header (``before_task_publish``); the worker
  takes it up for the task's run (``task_prerun``/``task_postrun``). A task nobody's request started (beat)
  logs under its own task id.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
TASK_HEADER = "portal_request_id"
NONE = "-"
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

current: ContextVar[str] = ContextVar("request_id", default=NONE)


def request_id() -> str:
    """The id of the request (or task) being served here, "-" outside one."""
    return current.get()


def sane(candidate: str) -> bool:
    """An id from outside is taken only when it cannot forge a log line or carry much: 8–100 of [A-Za-z0-9._:-]."""
    return bool(_SANE.fullmatch(candidate or ""))


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that even a refused request logs under its id and answers it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        value = given if sane(given) else uuid.uuid4().hex
        request.request_id = value
        # Kept until the response is closed (``forget``), not just until this returns: Django logs the
        # "Not Found"/"Forbidden" lines of django.request after the last middleware has answered.
        current.set(value)
        response = self.get_response(request)
        response[HEADER] = value
        return response


def forget(sender=None, **kwargs) -> None:
    """request_finished (the response was sent and closed): lines from here on belong to no request."""
    current.set(NONE)


# --- Celery -------------------------------------------------------------------------------------------


def carry_to_task(sender=None, headers=None, **kwargs) -> None:
    """before_task_publish: the id of the request publishing the task travels in the message's headers."""
    value = current.get()
    if headers is not None and value != NONE:
        headers.setdefault(TASK_HEADER, value)


def take_up_in_worker(sender=None, task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task logs under the id of the request that started it (or, for a task no request
    started, its own id). A task run eagerly inside a request simply keeps the request's id."""
    value = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if not value and current.get() != NONE:
        return
    value = value if value and sane(value) else (task_id or uuid.uuid4().hex)
    if task is not None:
        task.request._portal_request_id_token = current.set(value)


def put_down_in_worker(sender=None, task=None, **kwargs) -> None:
    """task_postrun: back to no id, so the next task of this worker process starts clean."""
    token = getattr(task.request, "_portal_request_id_token", None) if task is not None else None
    if token is not None:
        task.request._portal_request_id_token = None
        try:
            current.reset(token)
        except ValueError:  # set in another context (a thread pool): forget it instead
            current.set(NONE)


def connect_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.signals import request_finished

    request_finished.connect(forget, weak=False, dispatch_uid="portal-request-id-forget")
    before_task_publish.connect(carry_to_task, weak=False, dispatch_uid="portal-request-id-publish")
    task_prerun.connect(take_up_in_worker, weak=False, dispatch_uid="portal-request-id-prerun")
    task_postrun.connect(put_down_in_worker, weak=False, dispatch_uid="portal-request-id-postrun")
