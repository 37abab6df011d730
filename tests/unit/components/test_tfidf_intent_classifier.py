"""Create -> train -> persist -> load round trip of the TF-IDF intent classifier."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.tfidf_intent_classifier import TfidfIntentClassifier

EXAMPLES = {
    "track_order": [
        "where is my parcel",
        "has my order shipped",
        "tracking for my package",
        "my delivery is late",
        "order still not arrived",
    ],
    "get_refund": [
        "i want my money back",
        "refund please",
        "can i get a refund",
        "return it for a refund",
        "reimburse me",
    ],
    "greet": ["hi", "hello there", "good morning", "hey", "hiya"],
}


@pytest.fixture
def model_storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), "test-model")


@pytest.fixture
def resource():
    return Resource("intent_classifier")


def training_data():
    return TrainingData(
        [
            Message.build(text=text, intent=intent)
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )


def classify(classifier, text):
    message = Message.build(text=text)
    classifier.process([message])
    return message


def test_trained_classifier_predicts_with_a_ranking(model_storage, resource, context):
    classifier = TfidfIntentClassifier.create({}, model_storage, resource, context)
    classifier.train(training_data())
    message = classify(classifier, "wheres my parcle")  # typo on purpose
    assert message.get("intent")["name"] == "track_order"
    ranking = message.get("intent_ranking")
    assert [entry["name"] for entry in ranking][0] == "track_order"
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)


def test_persisted_model_loads_and_predicts_the_same(model_storage, resource, context):
    trained = TfidfIntentClassifier.create({}, model_storage, resource, context)
    trained.train(training_data())
    loaded = TfidfIntentClassifier.load({}, model_storage, resource, context)
    for text in ["refund my money", "hello", "where's the package"]:
        assert classify(loaded, text).get("intent") == classify(trained, text).get("intent")


def test_ranking_length_is_respected(model_storage, resource, context):
    classifier = TfidfIntentClassifier.create(
        {"ranking_length": 2}, model_storage, resource, context
    )
    classifier.train(training_data())
    assert len(classify(classifier, "hello").get("intent_ranking")) == 2


def test_missing_model_loads_as_untrained_and_leaves_messages_alone(
    model_storage, resource, context
):
    loaded = TfidfIntentClassifier.load({}, model_storage, resource, context)
    assert loaded.pipeline is None
    assert classify(loaded, "hello").get("intent") is None


def test_one_intent_is_not_enough_to_train(model_storage, resource, context):
    classifier = TfidfIntentClassifier.create({}, model_storage, resource, context)
    classifier.train(TrainingData([Message.build(text="hi", intent="greet")]))
    assert classifier.pipeline is None


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibrated_classifier_round_trips_and_predicts_the_same(
    model_storage, resource, context, method
):
    config = {"calibration": method, "calibration_folds": 3}
    trained = TfidfIntentClassifier.create(config, model_storage, resource, context)
    trained.train(training_data())
    assert type(trained.pipeline.named_steps["classifier"]).__name__ == "CalibratedClassifierCV"
    loaded = TfidfIntentClassifier.load(config, model_storage, resource, context)
    assert loaded.pipeline is not None
    for text in ["refund my money", "hello", "where's the package", "wheres my parcle"]:
        expected, actual = classify(trained, text), classify(loaded, text)
        assert actual.get("intent") == expected.get("intent")
        assert actual.get("intent_ranking") == expected.get("intent_ranking")
        ranking = actual.get("intent_ranking")
        assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)
    assert classify(loaded, "where is my parcel").get("intent")["name"] == "track_order"


def test_calibrated_training_is_reproducible(model_storage, resource, context, tmp_path):
    config = {"calibration": "sigmoid", "calibration_folds": 3}
    (tmp_path / "second").mkdir()
    first = TfidfIntentClassifier.create(config, model_storage, resource, context)
    second = TfidfIntentClassifier.create(
        config, LocalModelStorage(tmp_path / "second"), resource, context
    )
    first.train(training_data())
    second.train(training_data())
    text = "can i get my money back"
    assert classify(first, text).get("intent_ranking") == classify(second, text).get(
        "intent_ranking"
    )


def test_default_is_temperature_scaled_and_keeps_the_plain_ranking(
    model_storage, resource, context
):
    scaled = TfidfIntentClassifier.create({}, model_storage, resource, context)
    plain = TfidfIntentClassifier.create({"calibration": "none"}, model_storage, resource, context)
    scaled.train(training_data())
    plain.train(training_data())
    step = scaled.pipeline.named_steps["classifier"]
    assert type(step).__name__ == "TemperatureScaledClassifier"
    assert step.temperature_ > 0
    text = "can i get my money back"
    names = [e["name"] for e in classify(scaled, text).get("intent_ranking")]
    assert names == [e["name"] for e in classify(plain, text).get("intent_ranking")]


def test_temperature_survives_persist_and_load(model_storage, resource, context):
    trained = TfidfIntentClassifier.create({}, model_storage, resource, context)
    trained.train(training_data())
    loaded = TfidfIntentClassifier.load({}, model_storage, resource, context)
    text = "where is my parcel"
    assert classify(loaded, text).get("intent_ranking") == classify(trained, text).get(
        "intent_ranking"
    )


@pytest.mark.parametrize(
    "config", [{"calibration": "platt"}, {"calibration": "sigmoid", "calibration_folds": 4}]
)
def test_unknown_calibration_settings_are_refused(model_storage, resource, context, config):
    classifier = TfidfIntentClassifier.create(config, model_storage, resource, context)
    with pytest.raises(ValueError):
        classifier.train(training_data())
