"""The port to the card processor: the one thing payments asks outside its database."""

from __future__ import annotations

import abc

from bazaar_payments.domain.model import CardDecision, Charge


class ProcessorUnavailable(Exception):
    """The processor did not answer (down, timed out, failed): retry later.

    Raised out of a message handler it rolls the handler's transaction back,
    so the command comes back from the queue: the saga's retry path.
    """


class CardProcessor(abc.ABC):
    @abc.abstractmethod
    async def capture(self, charge: Charge) -> CardDecision:
        """Take the charge's money, or say why not; raise ``ProcessorUnavailable`` if unsure.

        Called only while the order has no payment, but a call's answer can
        still be thrown away (its transaction lost a race or rolled back), so
        a real processor must key the charge on its ``order_id``.
        """


class NoCardProcessor(CardProcessor):
    """What a unit of work has when nobody gave it a processor: every capture waits.

    HTTP reads never need one; the consumer gets the configured processor
    from ``create_app``. A capture that reached this one fails transiently
    instead of deciding anything, so its command is retried, not lost.
    """

    async def capture(self, charge: Charge) -> CardDecision:
        raise ProcessorUnavailable("no card processor is configured in this process")
