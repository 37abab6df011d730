"""A deterministic demo CRM export for the fictional shop Brightcart (`python -m ...demo_data`)."""
