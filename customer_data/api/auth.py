"""Bearer-token authentication of the service's clients (the action server, tools).

`Authorization: Bearer <token>`; the tokens come from `CUSTOMER_DATA_API_TOKENS` and each names
the client it belongs to, which becomes the actor of audit entries. With no tokens configured
the API refuses everything, so a forgotten setting never means an open API.
"""

import hmac
from typing import Dict, Optional

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from typing_extensions import Annotated

from customer_data.api.errors import UNAUTHORIZED, ApiError
from customer_data.settings import Settings

BEARER_CHALLENGE = 'Bearer realm="customer-data"'
INVALID_TOKEN_CHALLENGE = BEARER_CHALLENGE + ', error="invalid_token"'
NOT_CONFIGURED_MESSAGE = (
    "no API tokens are configured: set CUSTOMER_DATA_API_TOKENS to 'client-id:token' pairs"
)

bearer_scheme = HTTPBearer(
    auto_error=False, description="A client token from CUSTOMER_DATA_API_TOKENS."
)


class TokenAuthenticator:
    """Maps a presented bearer token to its client id, comparing in constant time."""

    def __init__(self, client_by_token: Dict[str, str]) -> None:
        """`client_by_token` as given by `Settings.client_tokens()`."""
        self._tokens = [(token.encode(), client) for token, client in client_by_token.items()]

    @classmethod
    def from_settings(cls, settings: Settings) -> "TokenAuthenticator":
        """The authenticator for the configured tokens."""
        return cls(settings.client_tokens())

    @property
    def configured(self) -> bool:
        """Whether any token is configured at all."""
        return bool(self._tokens)

    def client_for(self, token: str) -> Optional[str]:
        """The client id of `token`, or None."""
        presented = token.encode()
        found = None
        for expected, client in self._tokens:
            # Compare against every token so the time taken does not reveal which one matched.
            if hmac.compare_digest(presented, expected):
                found = client
        return found


async def authenticated_client(
    request: Request,
    credentials: Annotated[Optional[HTTPAuthorizationCredentials], Depends(bearer_scheme)],
) -> str:
    """The client id of the request's bearer token, or a 401."""
    authenticator: TokenAuthenticator = request.app.state.authenticator
    if not authenticator.configured:
        challenge = {"WWW-Authenticate": BEARER_CHALLENGE}
        raise ApiError(401, UNAUTHORIZED, NOT_CONFIGURED_MESSAGE, headers=challenge)
    if credentials is None:
        raise ApiError(
            401,
            UNAUTHORIZED,
            "missing bearer token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": BEARER_CHALLENGE},
        )
    client = authenticator.client_for(credentials.credentials)
    if client is None:
        raise ApiError(
            401,
            UNAUTHORIZED,
            "the bearer token is not valid",
            headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE},
        )
    return client
