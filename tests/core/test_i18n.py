from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source():
    """The .mo is committed so a fresh machine needs no gettext tools; it must not go stale."""
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))

    def entries(catalogue):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
        }

    assert entries(mo) == entries(po), "run `make messages` after editing django.po"
