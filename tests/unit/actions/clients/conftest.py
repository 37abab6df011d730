"""Fixtures for the customer data client tests: a scripted loopback server, a fake clock."""

from typing import Iterator

import pytest

from tests.unit.actions.clients.scripted_server import ScriptedServer


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer().start()
    yield scripted
    scripted.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
