"""Shared helpers for the segmentation tests: a synthetic shop in a SQLite file."""

from datetime import datetime

from customer_data.db import build_engine, create_schema
from insights.synthetic import load_synthetic_shop

AS_OF = datetime(2026, 11, 1)


def synthetic_database(tmp_path, customers=600, seed=7):
    url = f"sqlite:///{tmp_path}/shop.sqlite"
    engine = build_engine(url)
    create_schema(engine)
    ids, groups, _ = load_synthetic_shop(engine, customers, seed, AS_OF)
    return url, engine, ids, groups
