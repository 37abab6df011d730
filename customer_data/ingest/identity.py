"""Identity resolution for customer rows: one person, one master record.

A customer row whose e-mail or phone already belongs to another customer is that customer: the
row's CRM id is attached to the existing master as a `crm` identity (orders that use the CRM id
then resolve to the master), and its other e-mail / phone become identities of the master. The
master's own fields come only from the master's own row, so re-imports never flip-flop between
two records of one person. Near-identical names at one address are only reported (see
`merge_candidates`), never merged.
"""

from datetime import datetime
from operator import itemgetter
from typing import Any, Dict, List, Mapping, Optional, Set

from sqlalchemy import bindparam
from sqlalchemy.engine import Connection

from customer_data import models
from customer_data.ingest.batch import (
    DUPLICATE_KEY_CONFLICT,
    LOADED,
    MERGED,
    UNCHANGED,
    UPDATED,
    BatchHandler,
    Candidate,
    Operation,
    Planned,
    Statement,
)
from customer_data.ingest.entities import EntitySpec
from customer_data.ingest.merge_candidates import MergeCandidateFinder
from customer_data.ingest.references import CRM_CHANNEL, rows_where_in
from customer_data.ingest.validation import Values, stored_columns

INSERT = "customer_insert"
UPDATE = "customer_update"
IDENTITY = "identity_insert"
EMAIL_CHANNEL = "email"
PHONE_CHANNEL = "phone"
UPDATED_AT = "updated_at"
PRIMARY_KEY = "_pk"
IDENTITY_COLUMNS = ("customer_id", "channel", "external_id", "created_at")

customers = models.Customer.__table__
identities = models.Identity.__table__


class CustomerHandler(BatchHandler):
    """Plans customer rows: insert, update, attach to an existing master, or reject."""

    def __init__(self, spec: EntitySpec, now: datetime) -> None:
        """Handles rows of the customers `spec`; `now` stamps `updated_at` and new identities."""
        self.now = now
        self.columns = stored_columns(spec.fields)
        written = (*(column for _, column in self.columns), UPDATED_AT)
        self._written = itemgetter(*written)
        self.statements = (
            Statement(INSERT, customers.insert(), written),
            Statement(
                UPDATE,
                customers.update().where(customers.c.id == bindparam(PRIMARY_KEY)),
                (*written, PRIMARY_KEY),
            ),
            Statement(IDENTITY, identities.insert(), IDENTITY_COLUMNS),
        )
        self.finder = MergeCandidateFinder(now)
        self._seen: Set[int] = set()

    def plan(self, connection: Connection, candidates: List[Candidate]) -> List[Planned]:
        valid = [candidate for candidate in candidates if not candidate.problems]
        batch = _BatchState.load(connection, [candidate.values for candidate in valid])
        planned = []
        for candidate in valid:
            plan = self._decide(batch, candidate)
            if plan is not None:
                planned.append(plan)
        return planned

    def finish(self, connection: Connection) -> List[str]:
        return self.finder.find(connection)

    def _decide(self, batch: "_BatchState", candidate: Candidate) -> Optional[Planned]:
        values = candidate.values
        customer_id = values["customer_id"]
        marker = hash(customer_id)
        if customer_id in batch.inserted:
            if self._same(batch.records[customer_id], values):
                return Planned(candidate, UNCHANGED)
            candidate.problems.append(DUPLICATE_KEY_CONFLICT)
            return None
        current = batch.records.get(customer_id)
        if current is not None:
            if self._same(current, values):
                plan = Planned(candidate, UNCHANGED)
            elif marker in self._seen:
                candidate.problems.append(DUPLICATE_KEY_CONFLICT)
                return None
            else:
                owner = batch.email_owner.get(values["email"])
                if values["email"] and owner not in (None, customer_id):
                    candidate.problems.append(
                        f"email: {values['email']} already belongs to customer {owner}"
                    )
                    return None
                record = self._record(values)
                plan = Planned(
                    candidate, UPDATED, [(UPDATE, (*self._written(record), customer_id))]
                )
                batch.remember(customer_id, record)
        elif customer_id in batch.crm_master:
            plan = self._attach(batch, candidate, batch.crm_master[customer_id], new=False)
        else:
            master = batch.email_owner.get(values["email"]) or batch.phone_owner.get(
                values["phone"]
            )
            if master is not None:
                plan = self._attach(batch, candidate, master, new=True)
            else:
                record = self._record(values)
                plan = Planned(candidate, LOADED, [(INSERT, self._written(record))])
                batch.remember(customer_id, record)
                batch.inserted.add(customer_id)
        self._seen.add(marker)
        return plan

    def _attach(
        self, batch: "_BatchState", candidate: Candidate, master: str, new: bool
    ) -> Planned:
        values = candidate.values
        operations: List[Operation] = []
        if new:
            operations.append(self._identity(master, CRM_CHANNEL, values["customer_id"]))
            batch.crm_master[values["customer_id"]] = master
        for channel, value, owners in (
            (EMAIL_CHANNEL, values["email"], batch.email_owner),
            (PHONE_CHANNEL, values["phone"], batch.phone_owner),
        ):
            if value and value not in owners:
                operations.append(self._identity(master, channel, value))
                owners[value] = master
        if new:
            return Planned(candidate, MERGED, operations)
        return Planned(candidate, UPDATED if operations else UNCHANGED, operations)

    def _identity(self, customer_id: str, channel: str, external_id: str) -> Operation:
        return (IDENTITY, (customer_id, channel, external_id, self.now))

    def _same(self, current: Mapping[str, Any], values: Values) -> bool:
        return all(current[column] == values[name] for name, column in self.columns)

    def _record(self, values: Values) -> Dict[str, Any]:
        record = {column: values[name] for name, column in self.columns}
        record[UPDATED_AT] = self.now
        return record


class _BatchState:
    """What the database and the batch so far say about the batch's ids, e-mails and phones."""

    def __init__(self) -> None:
        self.records: Dict[str, Dict[str, Any]] = {}  # customer id -> current column values
        self.inserted: Set[str] = set()  # ids inserted earlier in this batch
        self.crm_master: Dict[str, str] = {}  # CRM id -> master id it was attached to
        self.email_owner: Dict[str, str] = {}
        self.phone_owner: Dict[str, str] = {}

    @classmethod
    def load(cls, connection: Connection, rows: List[Values]) -> "_BatchState":
        """Looks up the batch's customer ids, e-mails and phones (one IN query per chunk)."""
        state = cls()
        ids = [values["customer_id"] for values in rows]
        emails = [values["email"] for values in rows if values["email"]]
        phones = [values["phone"] for values in rows if values["phone"]]
        columns = [customers]
        for row in rows_where_in(connection, columns, customers.c.id, ids):
            state.records[row.id] = dict(row._mapping)
        identity_columns = [
            identities.c.channel,
            identities.c.external_id,
            identities.c.customer_id,
        ]
        for channel, keys, owners in (
            (CRM_CHANNEL, ids, state.crm_master),
            (EMAIL_CHANNEL, emails, state.email_owner),
            (PHONE_CHANNEL, phones, state.phone_owner),
        ):
            for row in rows_where_in(
                connection,
                identity_columns,
                identities.c.external_id,
                keys,
                identities.c.channel == channel,
            ):
                owners[row.external_id] = row.customer_id
        for row in rows_where_in(
            connection, [customers.c.id, customers.c.email], customers.c.email, emails
        ):
            state.email_owner[row.email] = row.id
        # Several customers may share a phone; the oldest id is the one a new row joins.
        for row in sorted(
            rows_where_in(
                connection, [customers.c.id, customers.c.phone], customers.c.phone, phones
            ),
            key=lambda row: row.id,
            reverse=True,
        ):
            state.phone_owner[row.phone] = row.id
        return state

    def remember(self, customer_id: str, row: Dict[str, Any]) -> None:
        """Records the row written for `customer_id` and claims its e-mail and phone."""
        previous_email = (self.records.get(customer_id) or {}).get("email")
        if previous_email and self.email_owner.get(previous_email) == customer_id:
            del self.email_owner[previous_email]  # the old address is free again
        self.records[customer_id] = row
        if row["email"]:
            self.email_owner[row["email"]] = customer_id
        if row["phone"]:
            self.phone_owner.setdefault(row["phone"], customer_id)
