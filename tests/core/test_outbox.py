"""The outbox: every notification's e-mail copy is a row, sent once, retried by the sweep, re-sent by hand."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from core import outbox
from core.models import Notification, OutgoingEmail
from core.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.PARK_OFFICER, email="officer@example.gov.cn")


def test_the_mail_copy_is_written_with_the_inbox_entry_and_sent_at_once_by_default(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(officer, kind="test", title="整改任务即将到期")
        assert note.email.status == Status.PENDING  # written in the same transaction, before any sending
    note.email.refresh_from_db()
    assert note.email.status == Status.SENT and note.email.sent_at and note.email.attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["officer@example.gov.cn"]


def test_a_rolled_back_step_leaves_neither_inbox_entry_nor_mail(officer):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        notify(officer, kind="test", title="不会留下")
        raise Rollback
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


def test_nobody_without_an_address_gets_an_outbox_row(db):
    note = notify(UserFactory(role=Role.INSPECTOR, email=""), kind="test", title="只进收件箱")
    assert Notification.objects.filter(pk=note.pk).exists()
    assert not OutgoingEmail.objects.exists()


def test_a_row_delivered_twice_is_sent_once(officer):
    email = outbox.outbox_add(Notification.objects.create(recipient=officer, kind="test", title="一次"))
    assert outbox.outbox_deliver(email.pk) is True
    assert outbox.outbox_deliver(email.pk) is False
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_row_pending_with_a_back_off_then_failed(officer, settings):
    settings.EMAIL_BACKEND = "tests.inspections.failing_mail.Backend"
    email = outbox.outbox_add(Notification.objects.create(recipient=officer, kind="test", title="测试"))
    before = timezone.now()
    assert outbox.outbox_deliver(email.pk) is False
    email.refresh_from_db()
    assert email.status == Status.PENDING and email.attempts == 1
    assert "mail server down" in email.last_error
    assert email.next_attempt_at >= before + timedelta(seconds=outbox.BACKOFF_BASE_SECONDS)
    assert Notification.objects.filter(pk=email.notification_id).exists()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    outbox.outbox_deliver(email.pk)
    email.refresh_from_db()
    assert email.status == Status.FAILED and email.attempts == outbox.MAX_ATTEMPTS


def test_the_sweep_queues_what_is_pending_and_older_than_a_minute_once_per_sweep(
    officer, django_capture_on_commit_callbacks
):
    fresh = outbox.outbox_add(Notification.objects.create(recipient=officer, kind="test", title="刚写入"))
    now = timezone.now()
    assert outbox.outbox_sweep(now=now) == 0, "a row queued less than a minute ago is left alone"
    later = now + timedelta(seconds=61)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep(now=later) == 1
    assert outbox.outbox_sweep(now=later) == 0, "the same moment again: already queued"
    fresh.refresh_from_db()
    assert fresh.status == Status.SENT and len(mail.outbox) == 1
    assert outbox.outbox_sweep(now=later + timedelta(minutes=5)) == 0


def test_a_row_left_sending_by_a_dead_worker_is_tried_again(officer):
    email = outbox.outbox_add(Notification.objects.create(recipient=officer, kind="test", title="中断"))
    claimed = timezone.now() - outbox.SENDING_TIMEOUT - timedelta(minutes=1)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.SENDING, claimed_at=claimed, attempts=1)
    assert outbox.outbox_sweep(now=timezone.now() + timedelta(seconds=61)) == 1


def test_a_commission_admin_sees_the_outbox_and_re_sends_failed_mails(officer, django_capture_on_commit_callbacks):
    note = Notification.objects.create(recipient=officer, kind="test", title="失败的邮件")
    failed = OutgoingEmail.objects.create(
        notification=note, to=officer.email, status=Status.FAILED, attempts=8, last_error="SMTPServerDisconnected"
    )
    sent = OutgoingEmail.objects.create(
        notification=Notification.objects.create(recipient=officer, kind="test", title="已发"),
        to=officer.email,
        status=Status.SENT,
        attempts=1,
    )
    admin = Client()
    admin.force_login(UserFactory(role=Role.COMMISSION_ADMIN))
    listing = admin.get(reverse("admin:core_outgoingemail_changelist"))
    assert listing.status_code == 200 and "SMTPServerDisconnected" in listing.content.decode()
    assert admin.get(reverse("admin:core_outgoingemail_add")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.post(
            reverse("admin:core_outgoingemail_changelist"),
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "已重新排队发送 1 封邮件" in answer.content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.SENT and failed.attempts == 1
    assert [message.subject for message in mail.outbox] == ["[清廉园区] 失败的邮件"]

    inspector = Client()
    inspector.force_login(UserFactory(role=Role.INSPECTOR))
    assert inspector.get(reverse("admin:core_outgoingemail_changelist")).status_code in (302, 403)


def test_an_existing_database_gets_the_sweep_on_its_next_migrate(db):
    from django_celery_beat.models import PeriodicTask

    from core.schedule import install_periodic_tasks

    PeriodicTask.objects.filter(task="core.sweep_outbox").delete()  # a database from before the outbox
    install_periodic_tasks()
    sweep = PeriodicTask.objects.get(task="core.sweep_outbox")
    assert sweep.interval.every == 60 and sweep.interval.period == "seconds"
    install_periodic_tasks()
    assert PeriodicTask.objects.filter(task="core.sweep_outbox").count() == 1
