"""Slack sender ids, and the proof that a message really came through the Slack channel.

Shared by the Rasa server (which receives Slack's signed requests) and the action server (which
looks the Slack user up in the identities table), so it imports nothing but the standard library.

Rasa keys a conversation by sender id alone, and other channels let the caller choose it: the REST
channel takes `sender` and even `input_channel` from the request body. So Slack conversations get
their own namespace (`slack:U0ADA`), and the Slack channel adds to every message's metadata an HMAC
of the sender id under the Slack signing secret. Only a request Slack signed gets one; the action
server trusts a Slack identity only when it verifies.
"""

import hashlib
import hmac
import logging
import os
from typing import Any, Mapping, Optional

logger = logging.getLogger(__name__)

SLACK_SIGNING_SECRET_ENV = "SLACK_SIGNING_SECRET"  # noqa: S105 (a variable name)
SENDER_PREFIX = "slack:"
SENDER_PROOF_KEY = "slack_sender_proof"  # message metadata key
# Rasa joins sender, channel and thread ids with "_" for the finer conversation granularities;
# Slack ids are upper-case letters and digits, so the user id is what comes before it.
GRANULARITY_SEPARATOR = "_"
# Keeps these HMACs apart from Slack's own request signatures ("v0:...") under the same secret.
PROOF_CONTEXT = b"brightcart-slack-sender:"


def slack_signing_secret() -> Optional[str]:
    """The Slack signing secret from the environment, or None when Slack is not configured."""
    return os.environ.get(SLACK_SIGNING_SECRET_ENV, "").strip() or None


def sender_id_for(conversation_id: str) -> str:
    """The Rasa sender id of a Slack conversation (`U0ADA` → `slack:U0ADA`)."""
    return SENDER_PREFIX + conversation_id


def slack_user_from_sender(sender_id: str) -> Optional[str]:
    """The Slack user id in a Slack sender id, or None for any other sender id."""
    if not sender_id.startswith(SENDER_PREFIX):
        return None
    user = sender_id[len(SENDER_PREFIX) :].split(GRANULARITY_SEPARATOR, 1)[0]
    return user or None


def sender_proof(secret: str, sender_id: str) -> str:
    """The HMAC-SHA256 (hex) that vouches for `sender_id` having come through Slack."""
    return hmac.new(
        secret.encode("utf-8"), PROOF_CONTEXT + sender_id.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def vouched_slack_user(
    sender_id: str, metadata: Optional[Mapping[str, Any]], secret: Optional[str]
) -> Optional[str]:
    """The Slack user who sent a message, if its metadata proves it came through Slack.

    Args:
        sender_id: the conversation's sender id.
        metadata: the message's metadata, as the Slack channel (or any caller) set it.
        secret: the Slack signing secret; None means Slack isn't configured here.

    Returns:
        The Slack user id, or None when the message is not a verified Slack message.

    """
    user = slack_user_from_sender(sender_id)
    proof = metadata.get(SENDER_PROOF_KEY) if isinstance(metadata, Mapping) else None
    if user is None or not isinstance(proof, str):
        return None
    if secret is None:
        logger.warning(
            "a Slack message arrived but %s is not set here; treating it as anonymous",
            SLACK_SIGNING_SECRET_ENV,
        )
        return None
    if not hmac.compare_digest(proof, sender_proof(secret, sender_id)):
        logger.warning("a message claimed to come from Slack with a wrong proof; ignoring it")
        return None
    return user
