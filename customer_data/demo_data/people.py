"""Fictional people: names, e-mail addresses, phone numbers and postal addresses per country.

Phone numbers and e-mail addresses are unique by construction (derived from counters through
a fixed permutation), so the only shared contact details in the demo export are the ones put
there on purpose to exercise identity resolution.
"""

import random
import unicodedata
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from customer_data.demo_data.world import COUNTRIES, EMAIL_DOMAINS, Country

CUMULATIVE_WEIGHTS = tuple(
    sum(country.weight for country in COUNTRIES[: index + 1]) for index in range(len(COUNTRIES))
)
# Multiplier coprime to 10 and to 8,000,000: maps a counter to distinct, random-looking digits.
PERMUTATION_FACTOR = 7919
PERMUTATION_OFFSET = 1_234_567
US_SUBSCRIBERS = 8_000_000  # exchanges 200-999 x lines 0000-9999
_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})
_EMAIL_PATTERNS = ("{f}.{l}{n}", "{f}{l}{n}", "{i}{l}{n}", "{f}_{l}{n}", "{l}.{f}{n}")
_NATIONAL_SEPARATORS = (" ", " ", " ", "-", "/", ".")


@dataclass(frozen=True)
class Phone:
    """A phone number: country plus national significant number (writable in many formats)."""

    country: Country
    nsn: str


def ascii_fold(text: str) -> str:
    """`Wójcik` -> `Wojcik`: the form an e-mail address would use."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return "".join(char for char in decomposed if char.isascii() and char.isalnum())


class PeopleFactory:
    """Draws countries, names, addresses and unique contact details from one random source."""

    def __init__(self, rng: random.Random) -> None:
        """Uses `rng` for every draw (the caller owns the seed)."""
        self.rng = rng
        self._phone_counters: Dict[str, int] = {}

    def country(self) -> Country:
        """A country, weighted by the shop's customer mix."""
        return self.rng.choices(COUNTRIES, cum_weights=CUMULATIVE_WEIGHTS)[0]

    def name(self, country: Country) -> Tuple[str, str]:
        """(first name, last name); Spanish customers often carry both surnames."""
        first = self.rng.choice(country.first_names)
        last = self.rng.choice(country.last_names)
        if country.code == "ES" and self.rng.random() < 0.5:
            last = f"{last} {self.rng.choice(country.last_names)}"
        return first, last

    def email(self, first: str, last: str, number: int, domain: Optional[str] = None) -> str:
        """A unique address on an example domain (the number keeps it unique)."""
        pattern = self.rng.choice(_EMAIL_PATTERNS)
        folded_first = ascii_fold(first).lower()
        local = pattern.format(
            f=folded_first, i=folded_first[:1], l=ascii_fold(last).lower(), n=number
        )
        return f"{local}@{domain or self.rng.choice(EMAIL_DOMAINS)}"

    def address(self, country: Country) -> str:
        """A postal address in the country's usual notation."""
        rng = self.rng
        street = rng.choice(country.streets)
        number = rng.randint(1, 240)
        city, prefix = rng.choice(country.cities)
        code = country.code
        if code == "GB":
            postcode = f"{prefix}{rng.randint(1, 20)} {rng.randint(1, 9)}{_letters(rng, 2)}"
            return f"{number} {street}, {city} {postcode}"
        if code == "US":
            return f"{number} {street}, {city} {prefix}{rng.randint(0, 99):02d}"
        postcode = prefix + "".join(str(rng.randint(0, 9)) for _ in range(5 - len(prefix)))
        if code == "NL":
            postcode = f"{prefix}{rng.randint(10, 99)} {_letters(rng, 2)}"
        elif code == "SE":
            postcode = f"{postcode[:3]} {postcode[3:]}"
        elif code == "PL":
            postcode = f"{postcode[:2]}-{postcode[2:]}"
        elif code == "CH":
            postcode = postcode[:4]
        if code == "FR":
            return f"{number} {street}, {postcode} {city}"
        return f"{street} {number}, {postcode} {city}"

    def phone(self, country: Country) -> Phone:
        """A new mobile number, never handed out before in this run."""
        counter = self._phone_counters.get(country.code, 0)
        self._phone_counters[country.code] = counter + 1
        prefix = self.rng.choice(country.mobile_prefixes)
        if country.code == "US":
            scrambled = (counter * PERMUTATION_FACTOR + PERMUTATION_OFFSET) % US_SUBSCRIBERS
            subscriber = f"{200 + scrambled // 10000}{scrambled % 10000:04d}"
        else:
            modulus = 10**country.subscriber_digits
            scrambled = (counter * PERMUTATION_FACTOR + PERMUTATION_OFFSET) % modulus
            subscriber = f"{scrambled:0{country.subscriber_digits}d}"
        return Phone(country, prefix + subscriber)

    def phone_text(self, phone: Phone, international: Optional[bool] = None) -> str:
        """The number as a customer would type it: usually national, sometimes international."""
        rng = self.rng
        country = phone.country
        if international is None:
            international = rng.random() < 0.25
        if country.code == "US":
            return _us_phone(rng, phone.nsn, international)
        national = country.trunk + phone.nsn
        separator = rng.choice(_NATIONAL_SEPARATORS)
        grouped = _group(national, country.groups, separator)
        if not international:
            return grouped
        rest = grouped[len(country.trunk) :].lstrip(" -/.")
        style = rng.random()
        if style < 0.7:
            return f"+{country.calling_code} {rest}"
        if style < 0.85 or not country.trunk:
            return f"00{country.calling_code} {rest}"
        return f"+{country.calling_code} ({country.trunk}){rest}"

    def name_variant(self, first: str, last: str) -> Tuple[str, str]:
        """The same name with a typing slip: a letter dropped or two letters swapped."""
        rng = self.rng
        if rng.random() < 0.5 and len(first) > 3:
            position = rng.randint(1, len(first) - 2)
            return first[:position] + first[position + 1 :], last
        swappable = [
            index
            for index in range(1, len(last) - 1)
            if last[index].isalpha()
            and last[index + 1].isalpha()
            and last[index] != last[index + 1]
        ]
        if swappable:
            index = rng.choice(swappable)
            return first, last[:index] + last[index + 1] + last[index] + last[index + 2 :]
        return first + first[-1], last


def _us_phone(rng: random.Random, nsn: str, international: bool) -> str:
    area, exchange, line = nsn[:3], nsn[3:6], nsn[6:]
    style = rng.random()
    if international:
        return f"+1 {area} {exchange} {line}" if style < 0.5 else f"+1 ({area}) {exchange}-{line}"
    if style < 0.5:
        return f"({area}) {exchange}-{line}"
    if style < 0.8:
        return f"{area}-{exchange}-{line}"
    return f"1 {area} {exchange} {line}"


def _group(digits: str, sizes: Tuple[int, ...], separator: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    if start < len(digits):
        parts[-1] += digits[start:]
    return separator.join(part for part in parts if part)


def _letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(count))
