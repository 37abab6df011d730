"""Custom Rasa GraphComponents, one per module (none yet: the pipeline uses Rasa built-ins)."""
