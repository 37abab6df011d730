"""The audit log: who read or changed which customer's data, when and why.

Changes (a cancellation, an erasure) add their entry to the caller's unit of work with
`record_change`, so the entry commits or rolls back with the change. Profile reads are far more
frequent, so `AuditLog` buffers them in memory and a background thread writes them in batches
(every `flush_interval_seconds`, or as soon as `batch_size` entries wait); `stop()` writes what
is left, so a clean shutdown loses nothing.
"""

import logging
import threading
from datetime import datetime
from typing import Callable, Dict, List, Optional

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from customer_data.db import unit_of_work
from customer_data.models import AuditEntry

logger = logging.getLogger(__name__)

# Actions, named once (the `action` column).
READ_PROFILE = "read_profile"
CANCEL_ORDER = "cancel_order"
CHANGE_SHIPPING_ADDRESS = "change_shipping_address"
REQUEST_REFUND = "request_refund"
UPDATE_CONSENT = "update_consent"
LINK_IDENTITY = "link_identity"
EXPORT = "export"
ERASE = "erase"

DEFAULT_READ_REASON = "support_conversation"
# Column widths of audit_log; longer values are cut rather than refused.
MAX_ACTOR = 64
MAX_RESOURCE = 64
MAX_REASON = 200


def _entry(
    actor: str,
    action: str,
    customer_id: str,
    resource: Optional[str],
    reason: Optional[str],
    at: datetime,
) -> Dict[str, object]:
    return {
        "at": at,
        "actor": actor[:MAX_ACTOR],
        "action": action,
        "customer_id": customer_id,
        "resource": resource[:MAX_RESOURCE] if resource else None,
        "reason": reason[:MAX_REASON] if reason else None,
    }


def record_change(
    session: Session,
    actor: str,
    action: str,
    customer_id: str,
    resource: Optional[str] = None,
    reason: Optional[str] = None,
    now: Optional[datetime] = None,
) -> None:
    """Adds an audit entry to `session`, the unit of work that makes the change."""
    values = _entry(actor, action, customer_id, resource, reason, now or datetime.utcnow())
    session.add(AuditEntry(**values))


class AuditLog:
    """Buffers audit entries in memory and writes them in batches from a background thread."""

    def __init__(
        self,
        session_factory: sessionmaker,
        flush_interval_seconds: float = 0.2,
        batch_size: int = 500,
        clock: Callable[[], datetime] = datetime.utcnow,
    ) -> None:
        """Writes through `session_factory`; `clock` gives each entry its (naive UTC) time."""
        self._session_factory = session_factory
        self._interval = flush_interval_seconds
        self._batch_size = batch_size
        self._clock = clock
        self._pending: List[Dict[str, object]] = []
        self._pending_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def record(
        self,
        actor: str,
        action: str,
        customer_id: str,
        resource: Optional[str] = None,
        reason: Optional[str] = None,
    ) -> None:
        """Queues one entry (written within `flush_interval_seconds` while running)."""
        values = _entry(actor, action, customer_id, resource, reason, self._clock())
        with self._pending_lock:
            self._pending.append(values)
            full = len(self._pending) >= self._batch_size
        if full:
            self._wake.set()

    @property
    def pending(self) -> int:
        """How many entries wait to be written."""
        with self._pending_lock:
            return len(self._pending)

    def flush(self) -> int:
        """Writes every queued entry in one transaction; returns how many were written.

        On a database error the entries go back to the front of the queue for the next flush.
        """
        with self._flush_lock:
            with self._pending_lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                with unit_of_work(self._session_factory) as session:
                    session.execute(insert(AuditEntry), batch)
            except SQLAlchemyError as error:
                with self._pending_lock:
                    self._pending[:0] = batch
                logger.error("Could not write %d audit entries, will retry: %s", len(batch), error)
                return 0
            return len(batch)

    def start(self) -> None:
        """Starts the background writer (idempotent)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="audit-log-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout_seconds: float = 10.0) -> None:
        """Stops the background writer and writes whatever is still queued."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_seconds)
            self._thread = None
        self.flush()
        if self.pending:
            logger.error("%d audit entries could not be written at shutdown", self.pending)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            self.flush()
