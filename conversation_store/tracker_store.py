"""A SQL tracker store whose database is chosen by one URL (`TRACKER_STORE_URL`).

Rasa's own `SQLTrackerStore` takes the URL in pieces (dialect, host, db, ...) and `endpoints.yml`
cannot give an environment variable a default. This subclass reads one SQLAlchemy URL from the
environment, so the embedded default (a SQLite file) and PostgreSQL differ only in configuration.
"""

import logging
import os
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from conversation_store.settings import TRACKER_STORE_URL_ENV, tracker_store_url
from rasa_patches import action_response_validation

# The tracker store is the plugin every Rasa server of this project loads (endpoints.yml), so the
# server-side performance fixes are installed from here.
action_response_validation.apply()

logger = logging.getLogger(__name__)


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` configured from `TRACKER_STORE_URL` (default: SQLite file in `var/`)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        """Connects to the database named by `url`, `host` or the environment, in that order."""
        configured = url or host or tracker_store_url()
        try:
            parsed = make_url(configured)
        except ArgumentError as error:
            raise ValueError(
                f"{TRACKER_STORE_URL_ENV} is not a valid SQLAlchemy URL: {configured!r}. "
                "Use e.g. sqlite:///var/tracker.db or postgresql://user:password@host:5432/rasa."
            ) from error
        dialect = parsed.get_backend_name()
        if dialect == "sqlite" and parsed.database:
            directory = os.path.dirname(parsed.database)
            if directory:
                os.makedirs(directory, exist_ok=True)
        logger.info("Tracker store: %s", parsed.render_as_string(hide_password=True))
        super().__init__(
            domain=domain,
            dialect=parsed.drivername,
            host=parsed.host,
            port=parsed.port,
            db=parsed.database or "rasa.db",
            username=parsed.username,
            password=parsed.password,
            event_broker=event_broker,
            query=dict(parsed.query),
            **kwargs,
        )
