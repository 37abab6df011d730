"""Who the assistant is talking to: signed customer tokens from the web page, Slack user ids.

The shop's web page signs a short-lived JWT (HS256) naming the logged-in customer and passes it to
the chat widget as `customData`; Rasa hands it to actions as message metadata. A token that is
forged, expired, or valid for too long is refused: the visitor stays anonymous.
"""

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Optional

import jwt

WEB_TOKEN_SECRET_ENV = "WEB_TOKEN_SECRET"  # noqa: S105 (a variable name)
TOKEN_METADATA_KEY = "customer_token"  # noqa: S105
ALGORITHM = "HS256"
ISSUER = "brightcart-web"
AUDIENCE = "brightcart-assistant"
# Tokens are minted per page view; anything meant to live longer is not one of ours.
MAX_TOKEN_LIFETIME = timedelta(minutes=30)
DEFAULT_TOKEN_LIFETIME = timedelta(minutes=15)
CLOCK_SKEW = timedelta(seconds=30)
CUSTOMER_ID = re.compile(r"^C\d{7}$")


class InvalidCustomerToken(Exception):
    """The token can't identify a customer; `reason` says why (for the log, not the customer)."""

    def __init__(self, reason: str) -> None:
        """Keeps the reason."""
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedCustomer:
    """A customer whose identity was established, and how."""

    customer_id: str
    source: str  # "web_token", "slack" or "verification"


def web_token_secret() -> Optional[str]:
    """The shared signing secret, or None when the web token sign-in isn't configured."""
    secret = os.environ.get(WEB_TOKEN_SECRET_ENV, "").strip()
    return secret or None


def issue_customer_token(
    customer_id: str,
    secret: str,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
    now: Optional[datetime] = None,
) -> str:
    """Signs a token for `customer_id`, as the shop's back end does (dev page, tests)."""
    issued = now or datetime.now(timezone.utc)
    claims = {
        "sub": customer_id,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_customer_token(token: str, secret: str, now: Optional[datetime] = None) -> str:
    """The customer id in a valid token; raises `InvalidCustomerToken` otherwise."""
    if not isinstance(token, str) or not token:
        raise InvalidCustomerToken("empty token")
    options = {"require": ["sub", "exp", "iat", "iss", "aud"]}
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={**options, "verify_exp": now is None},
            leeway=CLOCK_SKEW,
        )
    except jwt.ExpiredSignatureError as error:
        raise InvalidCustomerToken("token expired") from error
    except jwt.InvalidTokenError as error:
        raise InvalidCustomerToken(f"invalid token: {error}") from error
    current = int((now or datetime.now(timezone.utc)).timestamp())
    if now is not None and claims["exp"] + CLOCK_SKEW.total_seconds() < current:
        raise InvalidCustomerToken("token expired")
    if claims["exp"] - claims["iat"] > MAX_TOKEN_LIFETIME.total_seconds():
        raise InvalidCustomerToken("token lifetime exceeds the allowed maximum")
    customer_id = claims["sub"]
    if not isinstance(customer_id, str) or not CUSTOMER_ID.match(customer_id):
        raise InvalidCustomerToken("token subject is not a customer id")
    return customer_id


def token_from_metadata(metadata: Optional[Dict[str, Any]]) -> Optional[str]:
    """The customer token in message metadata (REST `metadata`, widget `customData`)."""
    if not isinstance(metadata, dict):
        return None
    token = metadata.get(TOKEN_METADATA_KEY)
    if token is None and isinstance(metadata.get("customData"), dict):
        token = metadata["customData"].get(TOKEN_METADATA_KEY)
    return token if isinstance(token, str) and token else None
