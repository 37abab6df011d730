import pytest

from conversation_store.redaction import (
    REDACTED_PLACEHOLDER,
    iban_valid,
    luhn_valid,
    redact_event_data,
    redact_text,
)


@pytest.mark.parametrize(
    "raw",
    [
        "jane.doe@example.com",
        "j.o'hara+shop@mail.example.co.uk".replace("'", ""),
        "JANE_DOE99@Example.ORG",
    ],
)
def test_email_addresses_are_replaced(raw):
    assert redact_text(f"write to {raw}, thanks") == "write to [email], thanks"


@pytest.mark.parametrize(
    "raw",
    [
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "+49 176 55512345",
        "+49 (0)176 55512345",
        "+1 (555) 010-2233",
        "+1-555-010-2233",
        "0176 55512345",
        "0176-55512345",
        "017655512345",
        "07700 900123",
        "(0176) 55512345",
        "(555) 010-2233",
        "555-010-2233",
        "555.010.2233",
    ],
)
def test_phone_numbers_are_replaced(raw):
    assert redact_text(f"call me on {raw} today") == "call me on [phone] today"


@pytest.mark.parametrize(
    "raw",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5500 0000 0000 0004",
        "3782 822463 10005",  # Amex, 15 digits
        "6011 0009 9013 9424",
    ],
)
def test_card_numbers_with_valid_check_digit_are_replaced(raw):
    assert redact_text(f"my card {raw}.") == "my card [card]."


@pytest.mark.parametrize(
    "raw",
    [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "gb82 west 1234 5698 7654 32",
    ],
)
def test_ibans_are_replaced_and_following_words_kept(raw):
    assert redact_text(f"IBAN {raw} please refund") == "IBAN [iban] please refund"


@pytest.mark.parametrize(
    "text",
    [
        "where is ORD-583920?",
        "my order 583920 hasn't arrived",
        "order BC-1010 was 59.90 EUR, refund 1,299.00 USD or 0,99 EUR",
        "delivered on 2026-11-04 at 14:30, or 04.11.2026, 04/11/2026, 4 Nov 2026",
        "open Mon-Fri 8:00-20:00",
        "4111 1111 1111 1112 fails Luhn, 1234567890123 too",
        "I need 3 items, size 42, ZIP 10115",
    ],
)
def test_order_numbers_dates_amounts_and_invalid_numbers_are_kept(text):
    assert redact_text(text) == text


def test_iban_with_wrong_check_digits_is_not_an_iban():
    assert "[iban]" not in redact_text("DE00 3704 0044 0532 0130 00")
    assert redact_text("AB12 CDEF GHIJ KLMN OP") == "AB12 CDEF GHIJ KLMN OP"


def test_redaction_is_idempotent():
    text = (
        "jane.doe@example.com, 4111 1111 1111 1111, +44 7700 900123, (555) 010-2233, "
        "DE89 3704 0044 0532 0130 00, ORD-583920"
    )
    once = redact_text(text)
    assert once == "[email], [card], [phone], [phone], [iban], ORD-583920"
    assert redact_text(once) == once


def test_known_literals_are_replaced_before_patterns():
    assert (
        redact_text("ship it to 12 Baker Street, London", ["12 Baker Street, London"])
        == f"ship it to {REDACTED_PLACEHOLDER}"
    )
    assert redact_text("yes", ["yes"]) == "yes"  # too short to search for
    assert redact_text("to jane@x.example", ["jane@x.example"]) == "to [email]"
    assert (
        redact_text("12 Baker St, +44 7700 900123", ["12 Baker St, +44 7700 900123"])
        == REDACTED_PLACEHOLDER
    )


def test_check_digit_helpers():
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("DE89370400440532013000")
    assert not iban_valid("DE88370400440532013000")


def user_event(text, entities):
    return {
        "event": "user",
        "timestamp": 1.0,
        "metadata": {"channel_note": text},
        "text": text,
        "parse_data": {
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": entities,
            "text": text,
            "message_id": "4111111111111111",
            "metadata": {},
            "intent_ranking": [{"name": "inform", "confidence": 0.9}],
        },
        "input_channel": "rest",
        "message_id": "4111111111111111",
    }


def test_user_event_texts_and_entity_values_are_redacted_ids_and_ranking_kept():
    text = "I'm Jane, jane.doe@example.com, order ORD-583920"
    entities = [
        {"entity": "email", "value": "jane.doe@example.com", "start": 10, "end": 30},
        {"entity": "order_id", "value": "ORD-583920", "start": 38, "end": 48},
    ]
    data = user_event(text, entities)
    redacted = redact_event_data(data)

    expected = "I'm Jane, [email], order ORD-583920"
    assert redacted["text"] == redacted["parse_data"]["text"] == expected
    assert redacted["metadata"]["channel_note"] == expected
    assert [e["value"] for e in redacted["parse_data"]["entities"]] == ["[email]", "ORD-583920"]
    assert redacted["parse_data"]["intent_ranking"] == data["parse_data"]["intent_ranking"]
    assert redacted["message_id"] == redacted["parse_data"]["message_id"] == "4111111111111111"
    assert data["text"] == text  # the input is not changed


def test_entities_of_contact_slots_are_redacted_even_when_no_pattern_matches():
    text = "ship to 12 Baker Street"
    entities = [{"entity": "shipping_address", "value": "12 Baker Street"}]
    redacted = redact_event_data(user_event(text, entities))
    assert redacted["text"] == "ship to [redacted]"
    assert redacted["parse_data"]["entities"][0]["value"] == "[redacted]"


def test_contact_slots_are_redacted_as_a_whole_resets_and_other_slots_kept():
    def slot(name, value):
        return {"event": "slot", "timestamp": 1.0, "name": name, "value": value}

    assert redact_event_data(slot("shipping_address", "12 Baker St"))["value"] == "[redacted]"
    assert redact_event_data(slot("email", None))["value"] is None
    assert redact_event_data(slot("order_id", "ORD-583920"))["value"] == "ORD-583920"
    assert redact_event_data(slot("note", "mail jane@x.example"))["value"] == "mail [email]"
    custom = redact_event_data(slot("order_id", "x"), redact_slots=["order_id"])
    assert custom["value"] == "[redacted]"


def test_bot_texts_and_button_titles_are_redacted_payloads_kept():
    data = {
        "event": "bot",
        "timestamp": 1.0,
        "metadata": {"utter_action": "utter_ask_email_change"},
        "text": "Change your e-mail address to jane.doe@example.com?",
        "data": {
            "buttons": [
                {"title": "Yes, use jane.doe@example.com", "payload": "/affirm"},
                {"title": "No", "payload": '/inform{"email":"jane.doe@example.com"}'},
            ]
        },
    }
    redacted = redact_event_data(data)
    assert redacted["text"] == "Change your e-mail address to [email]?"
    assert redacted["data"]["buttons"][0]["title"] == "Yes, use [email]"
    assert redacted["data"]["buttons"][1]["payload"] == data["data"]["buttons"][1]["payload"]
    assert redacted["metadata"] == data["metadata"]


def test_numbers_that_are_card_numbers_are_redacted_other_numbers_kept():
    data = {"event": "entities", "timestamp": 1.0, "entities": [{"entity": "n", "value": 0}]}
    data["entities"] += [{"entity": "card", "value": 4111111111111111}]
    data["entities"] += [{"entity": "amount", "value": 583920}]
    values = [e["value"] for e in redact_event_data(data)["entities"]]
    assert values == [0, "[card]", 583920]
