from steward.core.exceptions import Conflict, DomainError


class DeskError(DomainError):
    """A request the desk refuses; the message tells the user what to do."""


class TicketClosed(DeskError, Conflict):
    pass


class StaleTicket(DeskError, Conflict):
    pass


class InvalidMerge(DeskError):
    pass


class AttachmentRejected(DeskError):
    pass


class AttachmentTooLarge(AttachmentRejected):
    status_code = 413
