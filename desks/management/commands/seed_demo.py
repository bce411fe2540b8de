from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

import complaints.demo
import desks.demo
import evaluations.demo
import inspections.demo
import parks.demo
import risks.demo
from parks.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: a second run changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        parks.demo.seed(self.stdout)
        desks.demo.seed(self.stdout)  # the calendar first: the demo's deadlines are counted in it
        complaints.demo.seed(self.stdout)
        risks.demo.seed(self.stdout)
        inspections.demo.seed(self.stdout)
        evaluations.demo.seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        )
        for username, role in [
            ("admin", _("Commission administrator")),
            ("inspector", _("Inspector")),
            ("officer", _("Park officer")),
            ("enterprise", _("Enterprise user")),
        ]:
            self.stdout.write(f"  {username:<12} {role}")
