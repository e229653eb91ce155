"""A tiny, explicit publish/subscribe registry for domain events.

An app to the left (desk) announces what happened with ``publish``; an app to the right
(mail, later rmm or reports) reacts by subscribing in its ``AppConfig.ready()``. Imports
stay one-way: desk never imports mail, yet a technician's reply is emailed.

Unlike Django signals there is no sender filtering, no weak references and no model
hooks: a service calls ``publish`` by hand, at the point where the change is decided,
inside its transaction. Handlers therefore run in the same transaction (a handler that
writes rows is atomic with the change) and must defer any I/O with
``transaction.on_commit``.
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str, handler: Callable) -> None:
    """Call ``handler(**data)`` whenever ``event`` is published; subscribing twice is a no-op."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def unsubscribe(event: str, handler: Callable) -> None:
    if handler in _handlers[event]:
        _handlers[event].remove(handler)


def publish(event: str, **data) -> None:
    """Run every handler of ``event`` now, in the caller's transaction; a handler's error propagates."""
    for handler in list(_handlers.get(event, ())):
        handler(**data)


def handlers(event: str) -> list[Callable]:
    return list(_handlers.get(event, ()))

