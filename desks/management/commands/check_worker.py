from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from desks.tasks import worker_selfcheck


class Command(BaseCommand):
    help = "Send a self-check task through Celery and wait: is a worker running, does it see the database?"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=20.0)

    def handle(self, *args, timeout: float, **options):
        try:
            result = worker_selfcheck.delay().get(timeout=timeout)
        except Exception as exc:
            raise CommandError(
                _("No worker answered within %(seconds)s seconds: %(error)s")
                % {"seconds": f"{timeout:g}", "error": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(_("The worker is running and sees %(count)d parks.") % {"count": result["parks"]})
        )
