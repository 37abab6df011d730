"""`python -m insights <command>`: one table of subcommands, each with its arguments and handler.

To add a command, import its `add_arguments`/`run` pair and add one `Command` to `COMMANDS`.
Handlers return the exit code; an `InsightsError` becomes one line on stderr and exit code 2.
"""

import argparse
import sys
import warnings
from typing import Callable, Dict, List, NamedTuple, Optional

from sqlalchemy import exc as sa_exc

from insights import assistant_model_commands as models
from insights import segment_commands
from insights.errors import InsightsError

EXIT_ERROR = 2


class Command(NamedTuple):
    """A subcommand: its help line, how it adds its options, and what it runs."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: Dict[str, Command] = {
    "segment": Command(
        segment_commands.SEGMENT_HELP,
        segment_commands.add_segment_arguments,
        segment_commands.run_segment,
    ),
    "drift": Command(
        segment_commands.DRIFT_HELP,
        segment_commands.add_drift_arguments,
        segment_commands.run_drift,
    ),
    # The assistant's models (help-article recommender, escalation risk): from CSV, no database.
    "recommend-train": Command(
        models.RECOMMEND_TRAIN_HELP,
        models.add_recommend_train_arguments,
        models.run_recommend_train,
    ),
    "recommend-eval": Command(
        models.RECOMMEND_EVAL_HELP, models.add_recommend_eval_arguments, models.run_recommend_eval
    ),
    "escalation-train": Command(
        models.ESCALATION_TRAIN_HELP,
        models.add_escalation_train_arguments,
        models.run_escalation_train,
    ),
    "escalation-eval": Command(
        models.ESCALATION_EVAL_HELP,
        models.add_escalation_eval_arguments,
        models.run_escalation_eval,
    ),
    "build-assistant-models": Command(
        models.BUILD_HELP, models.add_build_arguments, models.run_build
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per entry of COMMANDS."""
    parser = argparse.ArgumentParser(prog="python -m insights", description=__doc__.split("\n")[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, command in COMMANDS.items():
        command.add_arguments(
            subparsers.add_parser(name, help=command.help, description=command.help)
        )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Parses `argv`, runs the chosen command, turns operator errors into one line."""
    arguments = build_parser().parse_args(argv)
    # SQLite stores Numeric as float; SQLAlchemy warns on every Decimal column read.
    warnings.filterwarnings("ignore", category=sa_exc.SAWarning)
    try:
        return COMMANDS[arguments.command].run(arguments)
    except InsightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
