import pytest

from actions.order_numbers import normalize_order_id


@pytest.mark.parametrize(
    "text",
    [
        "ORD-583920",
        "ord583920",
        "ORD 583920",
        "order #583920",
        "#583920",
        "583920",
        "no. 583920",
        "583 920",
        "583-920",
        "it's ORD-583920 thanks",
        "Order: 583920",
    ],
)
def test_every_customer_format_normalizes_to_the_canonical_id(text):
    assert normalize_order_id(text) == "ORD-583920"


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "yes",
        "my last order",
        "12345",  # too short
        "5839201",  # seven digits
        "4111 1111 1111 1111",  # a card number
        "jane583920@example.com",
    ],
)
def test_text_without_an_order_number_gives_none(text):
    assert normalize_order_id(text) is None


def test_first_of_several_order_numbers_wins():
    assert normalize_order_id("ORD-111222 or maybe ORD-333444") == "ORD-111222"


@pytest.mark.parametrize(
    "text",
    ["+44 7700 900123", "my phone number is +44 7700 900123", "call me on 0176 555 12345"],
)
def test_phone_numbers_are_not_order_numbers(text):
    assert normalize_order_id(text) is None


def test_order_number_next_to_a_phone_number_is_found():
    assert normalize_order_id("+44 7700 900123, order 482913") == "ORD-482913"
