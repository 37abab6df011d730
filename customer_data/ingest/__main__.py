"""`python -m customer_data.ingest` - see `customer_data.ingest.cli`."""

from customer_data.ingest.cli import main

raise SystemExit(main())
