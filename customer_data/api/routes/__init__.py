"""The API's routes, one module per concern (profiles, orders, account, health)."""
