"""The insights package's errors: what the CLI turns into one clear line instead of a traceback."""


class InsightsError(Exception):
    """Base of every error the insights commands report to the operator."""


class NoCustomersError(InsightsError):
    """The database holds no customers to featurize (nothing loaded, or all after `as_of`)."""


class ModelNotFoundError(InsightsError):
    """No saved segmentation model at the given path (or none trained yet)."""


class UnsupportedDatabaseError(InsightsError):
    """The database dialect has no date arithmetic this package knows how to write."""
