"""A real SMTP server on loopback that captures what Steward sends, and a mailbox that sends through it."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from steward.mail.choices import Security
from steward.mail.models import Mailbox


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CaptureHandler:
    """Keeps every envelope the server accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [email.message_from_bytes(e.original_content or e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_capture():
    """A running aiosmtpd server; ``.port``, ``.envelopes`` and ``.messages`` (parsed as received)."""
    handler = CaptureHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def smtp_mailbox(db, smtp_capture):
    """support@provider.test, sending through the capture server (no TLS on loopback)."""
    return Mailbox.objects.create(
        name="Support",
        address="support@provider.test",
        smtp_host="127.0.0.1",
        smtp_port=smtp_capture.port,
        smtp_security=Security.NONE,
    )


@pytest.fixture
def huey_queue():
    """The immediate-mode queue, emptied; ``run_scheduled()`` runs retries whatever their delay."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()

    class Queue:
        @staticmethod
        def run_scheduled(limit=20) -> int:
            """Run scheduled tasks (and the retries they schedule) until none is left; returns how many ran."""
            ran = 0
            far_future = datetime.datetime(2100, 1, 1)
            while ran < limit:
                due = HUEY.read_schedule(far_future)
                if not due:
                    break
                for task in due:
                    HUEY.execute(task, timestamp=far_future)
                    ran += 1
            return ran

    yield Queue
    HUEY.flush()
