import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.reminders import send_reminders


class Command(BaseCommand):
    help = "Send every reminder due today (or --date), catching up days missed since the last run. Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today, Asia/Shanghai)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(_("Give the date as YYYY-MM-DD.")) from error
        result = send_reminders(today=today)
        days = "、".join(day.isoformat() for day in result.days)
        self.stdout.write(
            self.style.SUCCESS(
                _("Reminders sent: %(sent)d (%(late)d late) for %(days)s.")
                % {"sent": result.sent, "late": result.late, "days": days}
            )
        )
