"""A page and a task that log, for tests/core/test_request_id.py (a URLconf of the tests only; a real
worker loads the task with ``--include``)."""

import logging

from celery import shared_task
from django.http import HttpResponse
from django.urls import include, path

from core.tasks import publish

logger = logging.getLogger("tests.request_log")


@shared_task(name="tests.log_from_task")
def log_from_task(label: str) -> None:
    logger.warning("the task ran: %s", label)


def logging_page(request):
    logger.info("the page starts")
    publish(log_from_task, request.GET.get("label", "page"))
    logger.warning("the page ends")
    return HttpResponse("ok")


urlpatterns = [path("log/", logging_page), path("", include("config.urls"))]
