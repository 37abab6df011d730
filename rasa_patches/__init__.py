"""Measured performance fixes for Rasa internals, applied when the Rasa server loads our plugins."""
