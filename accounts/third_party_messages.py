"""Labels the packages show in the admin that they have no Chinese for (or only a draft, or Chinese with
English words left in): django-axes' models and fields, Django's admin (strings newer than its catalogue),
django-celery-beat's schedule forms.

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

DJANGO_ADMIN_LABELS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)

CELERY_BEAT_LABELS = (
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop('Cron Minutes to Run. Use "*" for "all". (Example: "0,30")'),
    gettext_noop('Cron Hours to Run. Use "*" for "all". (Example: "8,20")'),
    gettext_noop('Cron Days Of The Month to Run. Use "*" for "all". (Example: "1,15")'),
    gettext_noop('Cron Months (1-12) Of The Year to Run. Use "*" for "all". (Example: "1,12")'),
    gettext_noop('Cron Days Of The Week to Run. Use "*" for "all", Sunday is 0 or 7, Monday is 1. (Example: "0,5")'),
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    gettext_noop("If True, the schedule will only run the task a single time"),
    gettext_noop("Set to False to disable the schedule"),
    gettext_noop(
        "Datetime that the schedule last triggered the task to run. Reset to None if enabled is set to False."
    ),
)

# django-filter's sort choices: it ships zh_CN only, which a zh-hans portal never reads.
DJANGO_FILTER_LABELS = (gettext_noop("%s (descending)"),)
