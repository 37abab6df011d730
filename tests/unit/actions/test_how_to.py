from types import SimpleNamespace

import pytest

from actions.how_to import ARTICLES_INTRO, ActionAnswerHowTo
from actions.insights_models import use_insights_models
from insights.articles import load_articles
from insights.recommender import HelpArticleRecommender
from tests.unit.actions.conversation_events import tracker, user


class RecordingRecommender:
    def __init__(self, results):
        self.results, self.calls = results, []

    def recommend(self, message, intent, customer_id=None, k=3):
        self.calls.append((message, intent, customer_id, k))
        return self.results[:k]


def article(title, score):
    return SimpleNamespace(title=title, url=f"https://help.example/{title}", score=score)


async def test_answers_with_the_intents_response_and_the_best_articles(dispatcher, domain):
    model = RecordingRecommender([article("Reset", 0.4), article("Login", 0.2), article("X", 0.1)])
    use_insights_models(recommender=model, escalation=None)
    slots = {"customer_id": "C0000042", "verified": True}
    conversation = tracker([user("forgot my pw", "recover_password")], slots)

    assert await ActionAnswerHowTo().run(dispatcher, conversation, domain) == []

    assert dispatcher.messages[0]["response"] == "utter_recover_password"
    assert dispatcher.messages[1]["text"] == "\n".join(
        [
            ARTICLES_INTRO,
            "- Reset: https://help.example/Reset",
            "- Login: https://help.example/Login",
        ]
    )
    assert model.calls == [("forgot my pw", "recover_password", "C0000042", 2)]


async def test_anonymous_visitors_get_content_only_and_weak_matches_are_dropped(dispatcher, domain):
    model = RecordingRecommender([article("Faint", 0.01)])
    use_insights_models(recommender=model, escalation=None)
    conversation = tracker([user("how do I pay", "check_payment_methods")], {"customer_id": "C1"})

    await ActionAnswerHowTo().run(dispatcher, conversation, domain)

    assert model.calls[0][2] is None  # not verified: no customer history used
    assert [m["response"] for m in dispatcher.messages] == ["utter_check_payment_methods"]


async def test_without_a_model_the_answer_stands_alone(dispatcher, domain):
    conversation = tracker([user("delivery options?", "delivery_options")])
    await ActionAnswerHowTo().run(dispatcher, conversation, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_delivery_options"]


@pytest.mark.parametrize("intent", ["recover_password", "check_refund_policy"])
async def test_with_the_real_knowledge_base_the_articles_match_the_topic(
    intent, dispatcher, domain
):
    model = HelpArticleRecommender().fit(load_articles())
    use_insights_models(recommender=model, escalation=None)
    text = {"recover_password": "i forgot my password", "check_refund_policy": "refund rules?"}
    await ActionAnswerHowTo().run(dispatcher, tracker([user(text[intent], intent)]), domain)
    listed = dispatcher.messages[1]["text"].lower()
    assert ("password" in listed) if intent == "recover_password" else ("refund" in listed)
