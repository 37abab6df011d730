from datetime import date, datetime
from decimal import Decimal

import pytest

from customer_data.ingest.normalize import (
    FieldError,
    collapse,
    name_key,
    normalize_address,
    normalize_email,
    normalize_name,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_timestamp,
)


def test_collapse_trims_and_joins_every_kind_of_whitespace():
    assert collapse("  Lena \t\u00a0 Schmidt \n") == "Lena Schmidt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Lena.Schmidt@Example.COM ", "lena.schmidt@example.com"),
        ("o'brien+shop@mail.example.org", "o'brien+shop@mail.example.org"),
    ],
)
def test_emails_are_trimmed_and_lower_cased(text, expected):
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "lena.schmidt@@example.com",
        "lena.schmidt.example.com",
        "lena schmidt@example.com",
        ".lena@example.com",
        "lena..schmidt@example.com",
        "lena@example",
        "lena@-example.com",
        "lena@example.com\nbcc@example.com",
        "l" * 65 + "@example.com",
    ],
)
def test_invalid_emails_are_rejected(text):
    with pytest.raises(FieldError, match="not a valid e-mail address"):
        normalize_email(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LENA SCHMIDT", "Lena Schmidt"),
        ("  lena   schmidt ", "Lena Schmidt"),
        ("JEAN-LUC O'NEILL", "Jean-Luc O'Neill"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
        ("VAN DEN BERG", "Van den Berg"),
        ("MÜLLER", "Müller"),
        ("Ronald McDonald", "Ronald McDonald"),  # mixed case is the customer's own spelling
        ("Daan de Jong", "Daan de Jong"),
    ],
)
def test_names_are_title_cased_only_when_all_caps_or_all_lower(text, expected):
    assert normalize_name(text) == expected


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("José  Álvarez-Núñez") == name_key("JOSE ALVAREZ NUNEZ") == "jose alvarez nunez"
    assert name_key("Straße") == "strasse"


def test_addresses_get_one_space_after_each_comma():
    assert (
        normalize_address(" Lindenstraße 12 ,  10115   Berlin ,") == "Lindenstraße 12, 10115 Berlin"
    )
    assert normalize_address("12 rue de la Paix,75002 Paris") == "12 rue de la Paix, 75002 Paris"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-30T14:05:09Z", datetime(2026, 10, 30, 14, 5, 9)),
        ("2026-10-30T14:05:09z", datetime(2026, 10, 30, 14, 5, 9)),
        ("2026-10-30 14:05:09", datetime(2026, 10, 30, 14, 5, 9)),
        ("2026-10-30T15:05:09+01:00", datetime(2026, 10, 30, 14, 5, 9)),
        ("2026-10-30T09:05:09-0500", datetime(2026, 10, 30, 14, 5, 9)),
        ("2026-10-31T00:30:00+02:00", datetime(2026, 10, 30, 22, 30)),
        ("2026-10-30T14:05:09.123Z", datetime(2026, 10, 30, 14, 5, 9, 123000)),
        ("2026-10-30T14:05", datetime(2026, 10, 30, 14, 5)),
        ("2026-10-30", datetime(2026, 10, 30)),
        (" 2026-10-30T14:05:09Z ", datetime(2026, 10, 30, 14, 5, 9)),
    ],
)
def test_timestamps_become_naive_utc(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-30T09:15:00Z", "impossible date or time"),
        ("2026-02-29T10:00:00Z", "impossible date or time"),
        ("2026-13-01T10:00:00Z", "impossible date or time"),
        ("2026-10-30T24:00:00Z", "impossible date or time"),
        ("2026-10-30T14:61:00Z", "impossible date or time"),
        ("30/10/2026 14:05", "not an ISO 8601 timestamp"),
        ("yesterday", "not an ISO 8601 timestamp"),
        ("2026-10-30T14:05:09+15:00", "impossible UTC offset"),
        ("1899-12-31T00:00:00Z", "implausible year"),
        ("2026-10-30T14:05:09X", "not an ISO 8601 timestamp"),
    ],
)
def test_bad_timestamps_are_rejected_with_the_reason(text, reason):
    with pytest.raises(FieldError, match=reason):
        parse_timestamp(text)


def test_dates():
    assert parse_date("2026-11-05") == date(2026, 11, 5)
    assert parse_date(" 2026-11-05 ") == date(2026, 11, 5)
    with pytest.raises(FieldError, match="impossible date"):
        parse_date("2026-04-31")
    with pytest.raises(FieldError, match="not an ISO 8601 date"):
        parse_date("05.11.2026")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", Decimal("12.50")),
        ("0", Decimal("0")),
        ("-0.00", Decimal("0")),
        ("+3.99", Decimal("3.99")),
    ],
)
def test_money(text, expected):
    assert parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-12.50", "amount is negative"),
        ("12.345", "more than two decimal places"),
        ("12,50", "not a decimal amount"),
        ("1e3", "not a decimal amount"),
        ("\u0661\u0662", "not a decimal amount"),  # Arabic-Indic digits are not accepted
    ],
)
def test_bad_money_is_rejected(text, reason):
    with pytest.raises(FieldError, match=reason):
        parse_money(text)


def test_integers_and_booleans():
    assert parse_int(" 3 ") == 3
    with pytest.raises(FieldError):
        parse_int("3.0")
    assert parse_bool("Yes") is True
    assert parse_bool("0") is False
    with pytest.raises(FieldError, match="not a yes/no value"):
        parse_bool("maybe")
