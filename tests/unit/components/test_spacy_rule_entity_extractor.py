"""Create -> train -> persist -> load round trip and the rules of the spaCy entity extractor."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.spacy_rule_entity_extractor import SpacyRuleEntityExtractor


@pytest.fixture
def model_storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), "test-model")


@pytest.fixture
def resource():
    return Resource("entity_extractor")


@pytest.fixture
def extractor(model_storage, resource, context):
    return SpacyRuleEntityExtractor.create({}, model_storage, resource, context)


def entities(extractor, text, entity=None):
    message = Message.build(text=text)
    extractor.process([message])
    found = message.get("entities")
    for item in found:
        assert item["extractor"] == "SpacyRuleEntityExtractor"
    return [e for e in found if entity is None or e["entity"] == entity]


def raw_spans(extractor, text, entity=None):
    return [text[e["start"] : e["end"]] for e in entities(extractor, text, entity)]


@pytest.mark.parametrize(
    "text, raw",
    [
        ("has ORD-583920 shipped yet?", "ORD-583920"),
        ("cancel ord583920 please", "ord583920"),
        ("order ORD 583920 says dispatched", "ORD 583920"),
        ("status of #583920 pls", "#583920"),
        ("any news? it's no. 583920", "no. 583920"),
        ("no.583920", "no.583920"),
        ("is 583 920 out for delivery", "583 920"),
        ("my order is 583920", "583920"),
        ("the parcel 583920 never came", "583920"),
        ("purchase number: 583920", "583920"),
        ("Bought headphones (ORD583920), no mail since", "ORD583920"),
    ],
)
def test_order_ids_in_every_format_are_normalised(extractor, text, raw):
    [entity] = entities(extractor, text, "order_id")
    assert text[entity["start"] : entity["end"]] == raw
    assert entity["value"] == "ORD-583920"


@pytest.mark.parametrize(
    "text",
    [
        "583920",  # no context
        "I bought 583920 grains of rice",
        "call me on +44 7700 583920",  # part of a phone number
        "my number is 0176 583 920",  # a phone, even after "number"
        "call 555 010 2233",  # three digit groups: not an order id
        "order 1234567 is not six digits",
    ],
)
def test_digits_without_order_context_or_inside_a_phone_are_no_order_id(extractor, text):
    assert entities(extractor, text, "order_id") == []


@pytest.mark.parametrize(
    "text, raw, value",
    [
        ("my email is jane.doe@example.com", "jane.doe@example.com", "jane.doe@example.com"),
        ("email: JDoe+shop@Mail.co.uk.", "JDoe+shop@Mail.co.uk", "jdoe+shop@mail.co.uk"),
        ("(tom_b@example.net) is mine", "tom_b@example.net", "tom_b@example.net"),
    ],
)
def test_emails_are_found_and_lower_cased(extractor, text, raw, value):
    [entity] = entities(extractor, text, "email")
    assert text[entity["start"] : entity["end"]] == raw
    assert entity["value"] == value


@pytest.mark.parametrize(
    "raw",
    [
        "+44 7700 900123",
        "+447700900123",
        "+49 176 55512345",
        "0176 55512345",
        "0176/55512345",
        "0176-55512345",
        "(555) 010-2233",
        "(555)010-2233",
        "555-010-2233",
    ],
)
def test_phone_numbers_in_international_and_national_formats(extractor, raw):
    text = f"you can reach me on {raw}, thanks"
    assert raw_spans(extractor, text) == [raw]
    assert entities(extractor, text)[0]["entity"] == "phone_number"


@pytest.mark.parametrize(
    "text",
    [
        "delivered on 12/03/2024",
        "it was 2024-03-12 or 12-03-2024",
        "charged 1,299.00 EUR twice",
        "order #583920",
        "it's 583920, order number",
        "I need 12 of them by 12.03.2024",
    ],
)
def test_dates_amounts_and_order_ids_are_not_phones(extractor, text):
    assert entities(extractor, text, "phone_number") == []


@pytest.mark.parametrize(
    "raw", ["59.90 EUR", "€59.90", "59.90€", "£12", "$5", "12 dollars", "EUR 1,299.00", "10 quid"]
)
def test_amounts_with_a_currency(extractor, raw):
    text = f"I was charged {raw} for it"
    assert raw_spans(extractor, text, "amount") == [raw]


def test_plain_numbers_are_not_amounts(extractor):
    assert entities(extractor, "I ordered 3 mugs and 12 plates", "amount") == []


@pytest.mark.parametrize(
    "text, raw, value",
    [
        ("is the Wireless Earbuds Pro in stock", "Wireless Earbuds Pro", "Wireless Earbuds Pro"),
        (
            "my stainless steel kettle leaks",
            "stainless steel kettle",
            "Stainless Steel Kettle 1.7 l",
        ),
        ("2 MERINO WOOL SOCKS please", "MERINO WOOL SOCKS", "Merino Wool Socks (3 pairs)"),
    ],
)
def test_catalogue_products_match_case_insensitively(extractor, text, raw, value):
    [entity] = entities(extractor, text, "product")
    assert text[entity["start"] : entity["end"]] == raw
    assert entity["value"] == value


def test_existing_entities_are_kept(extractor):
    earlier = {"entity": "city", "start": 0, "end": 6, "value": "Berlin", "extractor": "Other"}
    message = Message.build(text="Berlin, order ORD-583920")
    message.set("entities", [earlier])
    extractor.process([message])
    assert message.get("entities")[0] == earlier
    assert [e["entity"] for e in message.get("entities")] == ["city", "order_id"]
    assert "entities" in message.as_dict_nlu()


def test_disabled_entity_types_are_not_extracted(model_storage, resource, context):
    extractor = SpacyRuleEntityExtractor.create(
        {"entity_types": ["email"]}, model_storage, resource, context
    )
    text = "order ORD-583920, jane@example.com, +44 7700 900123, €5, Linen Shirt"
    assert [e["entity"] for e in entities(extractor, text)] == ["email"]


def test_lookup_tables_add_products_and_survive_persist_and_load(model_storage, resource, context):
    data = TrainingData(
        [Message.build(text="hi", intent="greet")],
        lookup_tables=[
            {"name": "product", "elements": ["Espresso Machine Deluxe"]},
            {"name": "city", "elements": ["Berlin"]},
        ],
    )
    trained = SpacyRuleEntityExtractor.create({}, model_storage, resource, context)
    assert trained.train(data) == resource
    loaded = SpacyRuleEntityExtractor.load({}, model_storage, resource, context)
    text = "does the espresso machine deluxe ship to Berlin? order #583920, a@example.com"
    assert entities(loaded, text) == entities(trained, text)
    assert [e["value"] for e in entities(loaded, text, "product")] == ["Espresso Machine Deluxe"]
    assert raw_spans(loaded, "from Berlin") == []


def test_persisted_config_overrides_the_defaults(model_storage, resource, context):
    trained = SpacyRuleEntityExtractor.create(
        {"order_context_window": 1}, model_storage, resource, context
    )
    trained.train(TrainingData())
    loaded = SpacyRuleEntityExtractor.load({}, model_storage, resource, context)
    assert loaded.config["order_context_window"] == 1
    assert entities(loaded, "order for 583920", "order_id") == []


def test_missing_patterns_load_the_defaults_with_a_warning(
    model_storage, resource, context, caplog
):
    loaded = SpacyRuleEntityExtractor.load({}, model_storage, resource, context)
    assert "could not load its patterns" in caplog.text
    assert loaded.config == SpacyRuleEntityExtractor.get_default_config()
    assert raw_spans(loaded, "it's ORD-583920") == ["ORD-583920"]


def test_message_without_text_is_left_alone(extractor):
    message = Message(data={"intent": "greet"})
    extractor.process([message])
    assert message.get("entities") is None
