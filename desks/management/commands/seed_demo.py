from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

import campaigns.demo
import collisions.demo
import complaints.demo
import conduct.demo
import desks.demo
import evaluations.demo
import inspections.demo
import monitoring.demo
import parks.demo
import risks.demo
import supervision.demo
from complaints.demo import DEMO_TRACKING_CODE
from parks.demo import DEMO_PASSWORD

TRY_PARK = "PDS-GXQ"  # the demo officer's park, where the demo complaints are


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent: a second run changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        parks.demo.seed(self.stdout)
        desks.demo.seed(self.stdout)  # the calendar first: the demo's deadlines are counted in it
        complaints.demo.seed(self.stdout)
        risks.demo.seed(self.stdout)
        collisions.demo.seed(self.stdout)
        inspections.demo.seed(self.stdout)
        supervision.demo.seed(self.stdout)
        monitoring.demo.seed(self.stdout)
        conduct.demo.seed(self.stdout)
        campaigns.demo.seed(self.stdout)
        evaluations.demo.seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(_("Demo logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        )
        for username, role in [
            ("admin", _("Commission administrator")),
            ("inspector", _("Inspector")),
            ("officer", _("Park officer")),
            ("enterprise", _("Enterprise user")),
            ("supervisor", _("Special supervisor")),
        ]:
            self.stdout.write(f"  {username:<12} {role}")
        self.try_it()

    def try_it(self):
        """Printed on every run, the first and the later ones alike: the README's "try it" path."""
        self.stdout.write(self.style.SUCCESS(_("Try it:")))
        self.stdout.write(
            "  1. "
            + _("File a complaint at /report/%(park)s/ — the receipt shows its tracking code.") % {"park": TRY_PARK}
        )
        self.stdout.write(
            "  2. "
            + _("Track it at /track/ with that code, or with %(code)s (a demo complaint already replied to).")
            % {"code": DEMO_TRACKING_CODE}
        )
        self.stdout.write(
            "  3. "
            + _("Handle it: log in as inspector to accept it and assign it to officer; log in as officer to reply.")
        )
        self.stdout.write(
            "  4. "
            + _(
                "Log in as supervisor to file an observation about a park; log in as inspector to accept it as "
                "a finding (监督员廉情信息)."
            )
        )
