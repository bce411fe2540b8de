"""The owner of a rectification task submits it twice at the same moment (two devices, two tabs), on
real PostgreSQL with two connections: one submission wins, the other is told in Chinese, and the task's
history and the inspectors' inbox hold it once."""

import datetime

import pytest
from django.test import Client

from inspections.choices import TaskStatus
from tests.concurrency import at_once
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_submissions_of_the_same_task_at_once_one_wins_one_is_told(world):
    task = TaskFactory(
        finding__park=world["park_a"],
        finding__found_on=datetime.date(2026, 1, 5),
        owner=world["officer"],
        deadline=datetime.date(2026, 2, 24),
    )
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(world["officer"])
        clients.append(client)
    url = task.get_absolute_url()
    responses = at_once(
        lambda: clients[0].post(url, {"step": "submit", "evidence": "已整改，附制度文件"}),
        lambda: clients[1].post(url, {"step": "submit", "evidence": "已整改（第二个窗口）"}),
    )
    assert sorted(response.status_code for response in responses) == [302, 409]
    loser = next(response for response in responses if response.status_code == 409)
    assert "可能已有他人处理" in loser.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert task.history.filter(status=TaskStatus.SUBMITTED).count() == 1
    assert world["inspector"].notifications.filter(kind="task_submitted").count() == 1
