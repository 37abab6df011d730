"""Rasa's REST channel, kept out of the Slack channel's conversations.

Rasa's REST channel lets the caller choose the sender id and even the `input_channel` name, and
Rasa keys conversations by sender id alone. A caller posting `sender: "slack:U0ADA"` would write
into that Slack user's conversation and be answered from its state (an order number in a slot,
say), whatever identity checks the actions make. This channel refuses sender ids in the Slack
namespace (`channels.slack_sender.SENDER_PREFIX`) with 400 and always names itself `rest`.
"""

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from channels.slack_sender import SENDER_PREFIX

RESERVED_SENDER_PREFIXES = (SENDER_PREFIX,)


class GuardedRestInput(RestInput):
    """The REST channel at the usual URL, unable to enter another channel's conversations."""

    @classmethod
    def name(cls) -> str:
        """Rasa's name, so the webhook stays `/webhooks/rest/webhook`."""
        return RestInput.name()

    async def _extract_sender(self, req: Request) -> str:
        """The caller's sender id, unless it belongs to another channel's namespace.

        Raises:
            InvalidUsage: (400) for a sender id another channel owns.

        """
        sender_id = await super()._extract_sender(req)
        if isinstance(sender_id, str) and sender_id.startswith(RESERVED_SENDER_PREFIXES):
            raise InvalidUsage(
                f"sender ids starting with {', '.join(RESERVED_SENDER_PREFIXES)} belong to "
                "another channel; choose another sender id"
            )
        return sender_id

    def _extract_input_channel(self, req: Request) -> str:
        """Always `rest`: the caller can't pass as another channel."""
        return self.name()
