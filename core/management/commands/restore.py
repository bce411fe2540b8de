from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `manage.py backup`: every checksum is checked first, then the database is "
        "restored (pg_restore) and the attachments written back. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `manage.py backup`")
        parser.add_argument(
            "--target-database",
            default="",
            help="restore into this database on the same server (default: the configured one)",
        )
        parser.add_argument(
            "--force", action="store_true", help="restore over a database that already holds tables, replacing them"
        )

    def handle(self, *args, archive, target_database="", force=False, **options):
        restored = backup_restore(archive_path=Path(archive), database_name=target_database, force=force)
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored the backup of %(created)s (portal %(version)s, commit %(commit)s): "
                    "the database and %(files)d files. Run `manage.py migrate` if this code is newer."
                )
                % {
                    "created": manifest.get("created_at", "?"),
                    "version": manifest.get("portal", {}).get("version") or "?",
                    "commit": (manifest.get("portal", {}).get("commit") or "?")[:12],
                    "files": restored.files,
                }
            )
        )
