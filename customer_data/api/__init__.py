"""The customer data service's HTTP API (FastAPI): `create_app` in `customer_data.api.app`."""
