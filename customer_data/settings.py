"""One typed settings object for the customer data service, read from the environment once.

Every value has an embedded default so `make run` works with no configuration; secrets have none
in the repository (the Makefile generates development tokens into `var/dev.env`).
"""

from functools import lru_cache
from typing import Dict, Optional

from pydantic import BaseSettings, Field, validator


class Settings(BaseSettings):
    """Configuration of the customer data service (environment variables in capitals)."""

    database_url: str = Field("sqlite:///var/customer_data.db", env="DATABASE_URL")
    redis_url: Optional[str] = Field(None, env="REDIS_URL")
    # Seconds a cached profile stays valid; writes and webhook events invalidate sooner.
    profile_cache_ttl_seconds: int = Field(60, env="PROFILE_CACHE_TTL_SECONDS", ge=1)
    # "client-id:token,other-client:token" - bearer tokens of the service clients.
    api_tokens: str = Field("", env="CUSTOMER_DATA_API_TOKENS", repr=False)
    # Requests per minute each client may make; bursts up to this many.
    rate_limit_per_minute: int = Field(6000, env="CUSTOMER_DATA_RATE_LIMIT_PER_MINUTE", ge=1)
    # Shared secret for HMAC-SHA256 signatures on CRM webhooks; empty disables the webhook.
    webhook_secret: str = Field("", env="CRM_WEBHOOK_SECRET", repr=False)
    # Webhooks older than this (or from further in the future) are rejected as stale.
    webhook_tolerance_seconds: int = Field(300, env="CRM_WEBHOOK_TOLERANCE_SECONDS", ge=1)

    # Client ids (from CUSTOMER_DATA_API_TOKENS) that act as support agents on the handoff queue.
    agent_clients: str = Field("agent-desk", env="CUSTOMER_DATA_AGENT_CLIENTS")
    # When agents work, in the shop's time zone; outside these hours handoffs wait for opening.
    business_hours: str = Field(
        "mon-fri 08:00-20:00; sat 09:00-17:00", env="HANDOFF_BUSINESS_HOURS"
    )
    business_time_zone: str = Field("Europe/London", env="HANDOFF_TIME_ZONE")
    # Staffing for the expected-wait estimate told to customers.
    agents_on_shift: int = Field(2, env="HANDOFF_AGENTS_ON_SHIFT", ge=1)
    handling_minutes: int = Field(6, env="HANDOFF_HANDLING_MINUTES", ge=1)
    # The assistant's Rasa server (HTTP API enabled), where agent replies are delivered.
    rasa_url: str = Field("http://localhost:5005", env="RASA_URL")
    rasa_api_token: str = Field("", env="RASA_API_TOKEN", repr=False)

    # The web page (customer_data/desk/webchat.py): where the widget finds Rasa's socket.io.
    webchat_socket_url: str = Field("http://localhost:5005", env="WEBCHAT_SOCKET_URL")
    # DEV_MODE=1 (set by `make run`) adds the page's "Sign in as" selector and GET /dev/token;
    # never in production, where the shop's back end signs customer tokens.
    dev_mode: bool = Field(False, env="DEV_MODE")
    web_token_secret: str = Field("", env="WEB_TOKEN_SECRET", repr=False)
    # The agent desk: "name:password-hash,..." (python -m customer_data.desk.passwords hash).
    desk_agents: str = Field("", env="DESK_AGENTS", repr=False)
    # Signs desk session cookies; empty means a random key per process (sessions end on restart).
    desk_session_secret: str = Field("", env="DESK_SESSION_SECRET", repr=False)
    desk_session_hours: int = Field(10, env="DESK_SESSION_HOURS", ge=1)
    # Send the desk cookie over HTTPS only (set when the desk is served behind TLS).
    desk_cookie_secure: bool = Field(False, env="DESK_COOKIE_SECURE")

    class Config:
        """Read from the process environment only (no .env file lookup)."""

        case_sensitive = False

    @validator("redis_url", pre=True)
    def blank_redis_url_means_none(cls, value: Optional[str]) -> Optional[str]:  # noqa: N805
        """An empty REDIS_URL means "no Redis", as for the Rasa lock store."""
        return value.strip() or None if isinstance(value, str) else value

    @validator("api_tokens")
    def tokens_are_well_formed(cls, value: str) -> str:  # noqa: N805
        """Each entry must be `client:token` with both parts non-empty."""
        for entry in filter(None, (part.strip() for part in value.split(","))):
            client, _, token = entry.partition(":")
            if not client.strip() or not token.strip():
                raise ValueError(
                    "CUSTOMER_DATA_API_TOKENS must be comma-separated 'client-id:token' pairs"
                )
        return value

    @validator("business_hours")
    def schedule_is_readable(cls, value: str, values: dict) -> str:  # noqa: N805
        """A schedule the handoff queue can use; the error names the part it could not read."""
        from customer_data.handoffs.business_hours import parse_schedule

        parse_schedule(value)
        return value

    @validator("business_time_zone")
    def zone_is_known(cls, value: str) -> str:  # noqa: N805
        """An IANA time zone name such as Europe/London."""
        from customer_data.handoffs.business_hours import BusinessHours

        BusinessHours.parse("mon 08:00-09:00", value)
        return value

    def agent_client_ids(self) -> frozenset:
        """The client ids allowed to work the handoff queue."""
        return frozenset(filter(None, (c.strip() for c in self.agent_clients.split(","))))

    def client_tokens(self) -> Dict[str, str]:
        """Maps each bearer token to the client id it identifies."""
        tokens = {}
        for entry in filter(None, (part.strip() for part in self.api_tokens.split(","))):
            client, _, token = entry.partition(":")
            tokens[token.strip()] = client.strip()
        return tokens


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, validated on first use (at start-up)."""
    return Settings()
