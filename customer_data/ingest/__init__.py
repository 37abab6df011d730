"""CRM export ingest: validate, normalise, resolve identities and upsert in batches.

Entry points: `loader.ingest_file` (one file), `load_all.load_directory` / `load_all.load_demo`
(a directory in dependency order) and the command line in `cli` (`python -m customer_data.ingest`).
"""
