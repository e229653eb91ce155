"""The domain event registry that lets desk announce changes without importing mail."""

import pathlib

import pytest

from steward.core import events


def test_publish_calls_each_subscriber_once_with_the_data():
    seen = []

    def handler(**data):
        seen.append(data)

    events.subscribe("test.happened", handler)
    events.subscribe("test.happened", handler)
    try:
        events.publish("test.happened", ticket=1)
        events.publish("test.other", ticket=2)
    finally:
        events.unsubscribe("test.happened", handler)
    assert seen == [{"ticket": 1}]


def test_publish_many_gives_batch_subscribers_every_item_at_once_and_others_one_by_one():
    one_by_one, batches = [], []

    def handler(**data):
        one_by_one.append(data)

    def batch_handler(items):
        batches.append(items)

    events.subscribe("test.batch", handler)
    events.subscribe_many("test.batch", batch_handler)
    try:
        events.publish_many("test.batch", [{"entry": 1}, {"entry": 2}])
        events.publish("test.batch", entry=3)
        events.publish_many("test.batch", [])
    finally:
        events.unsubscribe("test.batch", handler)
        events.unsubscribe("test.batch", batch_handler)
    assert one_by_one == [{"entry": 1}, {"entry": 2}, {"entry": 3}]
    assert batches == [[{"entry": 1}, {"entry": 2}], [{"entry": 3}]]
    assert events.handlers("test.batch") == []


def test_a_failing_subscriber_fails_the_publisher():
    # Handlers run in the service's transaction: an error rolls the whole change back, nothing half-done.
    def broken(**data):
        raise RuntimeError("boom")

    events.subscribe("test.broken", broken)
    try:
        with pytest.raises(RuntimeError):
            events.publish("test.broken")
    finally:
        events.unsubscribe("test.broken", broken)


def test_mail_subscribes_to_the_desk_events():
    from steward.desk.choices import DeskEvent
    from steward.mail import notifications

    assert notifications.on_messages_added in events.handlers(DeskEvent.MESSAGE_ADDED)
    assert notifications.on_ticket_opened in events.handlers(DeskEvent.TICKET_OPENED)


def test_desk_never_imports_mail():
    desk = pathlib.Path(__file__).resolve().parents[2] / "desk"
    offenders = [
        str(path.relative_to(desk)) for path in desk.rglob("*.py") if "steward.mail" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
