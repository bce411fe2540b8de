from typing import Any

from celery import shared_task

from parks.models import Park


@shared_task(name="desks.worker_selfcheck", ignore_result=False)
def worker_selfcheck(park_id: int | None = None) -> dict[str, Any]:
    """Proves that a worker is up and sees the same database as the web: used by ``check_worker`` and
    the tests. Returns what the worker read."""
    park = Park.objects.filter(pk=park_id).values("code", "name").first() if park_id else None
    return {"parks": Park.objects.count(), "park": park}
