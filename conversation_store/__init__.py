"""Rasa tracker and lock stores, each configured from one URL (embedded default, server by URL)."""
