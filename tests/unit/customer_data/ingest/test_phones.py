import pytest

from customer_data.ingest.phones import PLANS, PhoneNumberError, to_e164


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("0151 2345678", "DE", "+491512345678"),
        ("0151/2345678", "DE", "+491512345678"),
        ("030 1234567", "DE", "+49301234567"),
        ("+49 151 2345678", "DE", "+491512345678"),
        ("0049 151 2345678", "FR", "+491512345678"),  # international: the row's country is moot
        ("+49 0151 2345678", None, "+491512345678"),  # a trunk zero kept by mistake
        ("49 151 2345678", "DE", "+491512345678"),  # the country code without its plus
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("06.12.34.56.78", "FR", "+33612345678"),
        ("+33 6 12 34 56 78", None, "+33612345678"),
        ("06-12345678", "NL", "+31612345678"),
        ("612 345 678", "ES", "+34612345678"),
        ("333 123 4567", "IT", "+393331234567"),
        ("02 1234 5678", "IT", "+390212345678"),  # Italian landlines keep their leading zero
        ("070-123 45 67", "SE", "+46701234567"),
        ("512-345-678", "PL", "+48512345678"),
        ("079 123 45 67", "CH", "+41791234567"),
        ("07700 900123", "GB", "+447700900123"),
        ("+44 (0)7700 900123", "GB", "+447700900123"),
        ("(415) 555-0132", "US", "+14155550132"),
        ("1 415 555 0132", "US", "+14155550132"),
        ("415.555.0132", "US", "+14155550132"),
        ("011 44 7700 900123", "US", "+447700900123"),
        ("  +41 79 123 45 67 ", "CH", "+41791234567"),
    ],
)
def test_national_and_international_notations_become_e164(text, country, expected):
    assert to_e164(text, country) == expected


@pytest.mark.parametrize(
    ("text", "country", "reason"),
    [
        ("12-34", "SE", "7-9 digits of a SE number"),
        ("0151 CALL ME", "DE", "not a phone number"),
        ("0151 2345678", None, "without a known numbering plan"),
        ("0151 2345678", "XX", "without a known numbering plan"),
        ("06 12 34 56", "FR", "9 digits of a FR number"),
        ("(415) 055-0132", "US", "10 digits of a US number"),
        ("+1 015 555 0132", None, r"after \+1"),
        ("+999 12", None, "international numbers have 8-15"),
        ("+49 151 2345678 99999", None, r"after \+49"),
    ],
)
def test_unreadable_numbers_raise_with_the_reason(text, country, reason):
    with pytest.raises(PhoneNumberError, match=reason):
        to_e164(text, country)


def test_every_plan_accepts_a_number_of_its_own_length():
    for country, plan in PLANS.items():
        nsn = ("2" * plan.max_length) if plan.calling_code == "1" else "7" * plan.max_length
        assert to_e164(f"+{plan.calling_code} {nsn}", None) == f"+{plan.calling_code}{nsn}"
        assert to_e164(plan.trunk_prefix + nsn, country) == f"+{plan.calling_code}{nsn}"
