"""Labels django-axes shows in the admin (its models' names and fields) that it has no Chinese for.

Listed here so that `make messages` keeps them in our catalogue, which Django consults before the
packages' own (LOCALE_PATHS comes first). Never imported; only read by makemessages.
"""

from django.utils.translation import gettext_noop

AXES_LABELS = (
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("User Agent"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)
