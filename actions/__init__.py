"""Custom actions for the Brightcart support assistant, one module per domain.

The action server imports every module in this package, so nothing here does I/O at import time.
"""
