"""The customer data service: profiles, orders, tickets and consents behind an authenticated API."""
