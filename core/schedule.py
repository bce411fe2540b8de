"""Creates the portal's periodic tasks in django-celery-beat's tables after ``migrate``, once: a
commission admin may then change the time in the admin and the change is kept. A task added to
PORTAL_PERIODIC_TASKS later is created by the next ``migrate`` of an existing database.

A spec has either ``time`` ("HH:MM", daily, Asia/Shanghai) or ``every`` (seconds)."""

from django.conf import settings


def install_periodic_tasks(sender=None, **kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for name, spec in settings.PORTAL_PERIODIC_TASKS.items():
        if PeriodicTask.objects.filter(task=spec["task"]).exists():
            continue
        if "every" in spec:
            interval, _created = IntervalSchedule.objects.get_or_create(
                every=int(spec["every"]), period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.create(name=name, task=spec["task"], interval=interval)
            continue
        hour, minute = spec["time"].split(":")
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=str(int(minute)), hour=str(int(hour)), day_of_week="*", day_of_month="*", month_of_year="*",
            timezone=settings.TIME_ZONE,
        )  # fmt: skip
        PeriodicTask.objects.create(name=name, task=spec["task"], crontab=crontab)
