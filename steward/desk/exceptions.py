class DeskError(Exception):
    """A request the desk refuses; the message tells the user what to do."""

    field = None

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class TicketClosed(DeskError):
    pass


class StaleTicket(DeskError):
    pass


class InvalidMerge(DeskError):
    pass


class AttachmentRejected(DeskError):
    pass
