"""The generator's random source: `random.Random` with faster whole-number draws.

`randint` and `choice` of the standard library draw through `getrandbits` in pure Python; demo
data needs neither their exactness nor their speed (a million customers make tens of millions
of draws), so here they scale one `random()` call. Still seeded, so still reproducible.
"""

import random
from typing import Sequence, TypeVar

T = TypeVar("T")


class DemoRandom(random.Random):  # noqa: S311 - reproducible demo data, not secrets
    """A seeded random source with quick, very slightly biased `randint` and `choice`."""

    def randint(self, a: int, b: int) -> int:
        """A whole number from a to b inclusive."""
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:
        """An element of the non-empty sequence `seq`."""
        return seq[int(self.random() * len(seq))]
