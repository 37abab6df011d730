import random

import numpy as np
import pytest

from insights.articles import load_articles
from insights.recommender import (
    HelpArticleRecommender,
    Recommendation,
    RecommenderNotFoundError,
    load_recommender,
)
from insights.recommender_eval import evaluate, score_ranking, split
from insights.resolution_history import (
    SUBJECT_ARTICLES,
    CustomerRecord,
    History,
    TicketRecord,
    simulate_resolutions,
)

CATEGORY_OF_PREFIX = {
    "KB-ORD": "orders",
    "KB-DEL": "delivery",
    "KB-REF": "refunds",
    "KB-PAY": "payments",
    "KB-INV": "invoices",
    "KB-ACC": "account",
    "KB-CON": "contact",
    "KB-FDB": "feedback",
}


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def planted_history(customers=200, tickets=700, seed=3):
    """Customers in country x tier cohorts; resolutions simulated with cohort preferences."""
    rng = random.Random(seed)  # noqa: S311
    people = {
        f"C{n:07d}": CustomerRecord(
            f"C{n:07d}", rng.choice(["DE", "FR", "GB", "SE", "ES"]), rng.choice(["bronze", "gold"])
        )
        for n in range(customers)
    }
    subjects = sorted(SUBJECT_ARTICLES)
    records = []
    for n in range(tickets):
        subject = rng.choice(subjects)
        category = CATEGORY_OF_PREFIX[SUBJECT_ARTICLES[subject][0][:6]]
        records.append(
            TicketRecord(
                ticket_id=f"T-{n:07d}",
                customer_id=rng.choice(sorted(people)),
                category=category,
                subject=subject.format(order="ORD-100001"),
                status="resolved",
                opened_at=f"2025-01-01T00:00:00Z{n:05d}",  # sorts by n
            )
        )
    return History(records, people)


@pytest.fixture(scope="module")
def history(articles):
    history = planted_history()
    history.resolutions = simulate_resolutions(history.tickets, history.customers, articles)
    return history


@pytest.fixture(scope="module")
def model(articles, history):
    return HelpArticleRecommender().fit(articles, history)


@pytest.fixture(scope="module")
def planted_evaluation(articles, history):
    return evaluate(articles, history)


def test_hybrid_beats_content_only_on_planted_structure(planted_evaluation):
    evaluation = planted_evaluation
    assert evaluation.hybrid.recall > evaluation.content_only.recall
    assert evaluation.hybrid.mrr > evaluation.content_only.mrr
    assert evaluation.blend > 0
    assert evaluation.hybrid.precision == pytest.approx(evaluation.hybrid.recall / 3)


def test_the_gain_comes_from_the_planted_structure(articles, planted_evaluation):
    # Same tickets and customers, resolutions drawn at random within the category.
    noise = planted_history()
    rng = random.Random(0)  # noqa: S311
    by_category = {}
    for article in articles:
        by_category.setdefault(article.category, []).append(article.id)
    noise.resolutions = {t.ticket_id: rng.choice(by_category[t.category]) for t in noise.tickets}
    evaluation = evaluate(articles, noise)
    gain = evaluation.hybrid.mrr - evaluation.content_only.mrr
    planted_gain = planted_evaluation.hybrid.mrr - planted_evaluation.content_only.mrr
    assert gain < planted_gain / 2


@pytest.mark.parametrize(
    "message, intent, expected",
    [
        ("The tracking says delivered but my parcel is not here", "track_order", "KB-DEL-004"),
        ("I forgot my password, how do I reset it", "recover_password", "KB-ACC-002"),
        ("Can I pay later with Klarna?", "check_payment_methods", "KB-PAY-004"),
        ("How much is the fee to cancel after 24 hours?", "check_cancellation_fee", "KB-ORD-003"),
        ("I need an invoice with my company VAT number", None, "KB-INV-002"),
    ],
)
def test_content_only_works_without_history(articles, message, intent, expected):
    model = HelpArticleRecommender().fit(articles)
    recommended = model.recommend(message, intent, customer_id="C0000001")
    assert expected in [r.article_id for r in recommended]


def test_recommend_returns_k_articles_best_first(model):
    recommended = model.recommend("Where is my refund?", "track_refund", k=5)
    assert len(recommended) == 5
    assert all(isinstance(r, Recommendation) for r in recommended)
    assert [r.score for r in recommended] == sorted((r.score for r in recommended), reverse=True)
    assert recommended[0].url.startswith("https://help.brightcart.example/")


def test_anonymous_and_unknown_customers_get_content_only(model):
    anonymous = model.scores("Payment declined at checkout", "payment_issue")
    unknown = model.scores("Payment declined at checkout", "payment_issue", "C9999999")
    assert np.allclose(anonymous, unknown)
    assert model.collaborative_scores("C9999999", "payment_issue", anonymous) is None


def test_known_customer_gets_cohort_preference(model, history):
    customer = history.tickets[0].customer_id
    anonymous = model.scores("Payment declined at checkout", "payment_issue")
    personal = model.scores("Payment declined at checkout", "payment_issue", customer)
    assert not np.allclose(anonymous, personal)


def test_unknown_intent_falls_back_to_best_content_category(model, history):
    customer = history.tickets[0].customer_id
    recommended = model.recommend("My invoice address is wrong", "no_such_intent", customer)
    assert recommended[0].article_id.startswith("KB-INV")


def test_save_and_load_round_trip(model, history, tmp_path):
    model.save(tmp_path / "rec")
    loaded = HelpArticleRecommender.load(tmp_path / "rec")
    for ticket in history.tickets[:20]:
        assert np.allclose(
            model.scores(ticket.subject, "get_refund", ticket.customer_id),
            loaded.scores(ticket.subject, "get_refund", ticket.customer_id),
        )
    assert loaded.config == model.config
    assert loaded.recommend("Cannot log in", None) == model.recommend("Cannot log in", None)


def test_missing_model_raises_named_error_or_loader_returns_none(tmp_path):
    with pytest.raises(RecommenderNotFoundError):
        HelpArticleRecommender.load(tmp_path / "absent")
    assert load_recommender(tmp_path / "absent") is None


def test_unfitted_model_recommends_nothing():
    assert HelpArticleRecommender().recommend("hello", None) == []


def test_split_is_chronological(history):
    train, validation, test = split(history)
    assert train[-1].opened_at <= validation[0].opened_at <= test[0].opened_at
    assert len(train) + len(validation) + len(test) == len(history.resolutions)


def test_score_ranking_counts_hits(model, history):
    queries = history.tickets[:30]
    perfect = score_ranking(model, queries, history.resolutions, k=len(model.articles))
    assert perfect.recall == 1.0
