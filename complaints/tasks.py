from celery import shared_task


@shared_task(name="complaints.compact_tally")
def compact_tally() -> int:
    """One row per key in the complaint tally (``complaints.tally.compact``); the sums do not change."""
    from . import tally

    return tally.compact()
