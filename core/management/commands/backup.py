from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) of the database (pg_dump) and the private attachments, with a manifest of "
        "checksums. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="folder for the archive (default: BACKUP_ROOT, var/backups/)")

    def handle(self, *args, output=None, **options):
        archive, manifest = backup_create(destination=Path(output or settings.BACKUP_ROOT))
        files = len(manifest["files"]) - 1  # the database dump is listed too
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)d bytes, database %(database)s, %(files)d files).")
                % {
                    "path": archive,
                    "size": archive.stat().st_size,
                    "database": manifest["database"]["name"],
                    "files": files,
                }
            )
        )
