"""The ingest's exceptions: problems with a whole file or the target database (not single rows).

Row-level problems never raise; they go to the quarantine file with their reasons.
"""


class IngestError(Exception):
    """A file cannot be ingested at all; the message says what to fix."""


class MalformedFileError(IngestError):
    """The file is not readable as the expected CSV / JSON-lines export (header, encoding)."""


class UnknownEntityError(IngestError):
    """The command names an entity the ingest does not know."""


class SchemaMissingError(IngestError):
    """The target database has no customer data tables yet (migrations not applied)."""
