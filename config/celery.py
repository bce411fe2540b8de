"""The Celery application.

Broker and result backend come from settings (``CELERY_*``), which read ``REDIS_URL``. Without it the
embedded default runs tasks eagerly, in-process, so a newcomer needs no Redis.

Start a worker and the beat scheduler with ``celery -A config worker -B`` (one process, fine for a
small site) or as two processes ``celery -A config worker`` / ``celery -A config beat`` in production.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(loglevel=None, **kwargs):
    """Workers and beat log like the web processes (settings.LOGGING: JSON lines in production, the request
    id of the request that started a task on each line) instead of Celery's own format."""
    import logging
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
