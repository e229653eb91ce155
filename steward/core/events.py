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
# Handlers that take every occurrence of one ``publish_many`` at once: ``handler(items)``.
_batch_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str, handler: Callable) -> None:
    """Call ``handler(**data)`` whenever ``event`` is published; subscribing twice is a no-op."""
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def subscribe_many(event: str, handler: Callable) -> None:
    """Call ``handler(items)`` with a list of the events' data: once per ``publish_many``, with one item per ``publish``.

    For a handler that does per-event work in bulk (one query for a batch of inbound mail).
    """
    if handler not in _batch_handlers[event]:
        _batch_handlers[event].append(handler)


def unsubscribe(event: str, handler: Callable) -> None:
    for registry in (_handlers, _batch_handlers):
        if handler in registry[event]:
            registry[event].remove(handler)


def publish(event: str, **data) -> None:
    """Run every handler of ``event`` now, in the caller's transaction; a handler's error propagates."""
    publish_many(event, [data])


def publish_many(event: str, items: list[dict]) -> None:
    """``publish`` each item's data, in order; batch handlers get them all in one call."""
    if not items:
        return
    for handler in list(_handlers.get(event, ())):
        for data in items:
            handler(**data)
    for handler in list(_batch_handlers.get(event, ())):
        handler(items)


def handlers(event: str) -> list[Callable]:
    return [*_handlers.get(event, ()), *_batch_handlers.get(event, ())]

