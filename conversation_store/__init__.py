"""Rasa tracker and lock stores configured from one URL each (embedded defaults, real servers by URL)."""
