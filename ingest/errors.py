"""Exceptions of the ingest layer (the orchestrator maps them to task outcomes)."""


class DeliveryError(Exception):
    """Base class: something is wrong with a department's delivery."""


class DeliveryRejected(DeliveryError):
    """The delivery is wholly unreadable (wrong encoding, missing mandatory column, empty file).

    Nothing was landed. Retrying will not help: the department must re-deliver, so the
    orchestrator fails the task without retry. The message names the file and what to fix.
    """


class DeliveryMissing(DeliveryError):
    """No delivery for this feed and date in the inbox (yet): late, or not sent."""
