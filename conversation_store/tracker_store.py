"""A SQL tracker store whose database is chosen by one URL (`TRACKER_STORE_URL`).

Rasa's own `SQLTrackerStore` takes the URL in pieces (dialect, host, db, ...) and `endpoints.yml`
cannot give an environment variable a default. This subclass reads one SQLAlchemy URL from the
environment, so the embedded default (a SQLite file) and PostgreSQL differ only in configuration.
"""

import logging
import os
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from conversation_store.settings import tracker_store_url

logger = logging.getLogger(__name__)


class UrlSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` configured from `TRACKER_STORE_URL` (default: SQLite file in `var/`)."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        """Connects to the database named by `url`, `host` or the environment, in that order."""
        parsed = make_url(url or host or tracker_store_url())
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
