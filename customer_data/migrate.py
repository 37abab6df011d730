"""Alembic schema migrations, configured in code so no alembic.ini is needed at the top level.

Usage: python -m customer_data.migrate [upgrade|current|revision -m "message"]
"""

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config

from customer_data.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at this package's migrations and `database_url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str) -> None:
    """Brings the database at `database_url` to the newest schema."""
    from customer_data.db import build_engine

    build_engine(database_url).dispose()  # creates the SQLite directory if needed
    command.upgrade(alembic_config(database_url), "head")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["upgrade", "current", "revision"])
    parser.add_argument("-m", "--message", default="schema change")
    args = parser.parse_args()
    url = get_settings().database_url
    if args.command == "upgrade":
        upgrade(url)
    elif args.command == "current":
        command.current(alembic_config(url))
    else:
        command.revision(alembic_config(url), message=args.message, autogenerate=True)


if __name__ == "__main__":
    main()
