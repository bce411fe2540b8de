from celery import shared_task


@shared_task(name="risks.evaluate_park")
def evaluate_park(park_id: int) -> dict:
    """Re-run every rule for one park (after its ledgers changed)."""
    from .engine import evaluate_all

    return vars(evaluate_all(park_ids=[park_id]))


@shared_task(name="risks.rescan")
def rescan() -> dict:
    """The nightly rescan of every rule over every park: raises what is new, clears what is fixed."""
    from .engine import evaluate_all

    return vars(evaluate_all())


@shared_task(name="risks.compact_alert_tally")
def compact_alert_tally() -> int:
    """One row per key in the alert tally (``risks.tally.compact``); the sums do not change."""
    from . import tally

    return tally.compact()
