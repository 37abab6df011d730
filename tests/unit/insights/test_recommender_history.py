from pathlib import Path

import pytest

from insights.articles import load_articles
from insights.resolution_history import (
    DEFAULT_CRM,
    RESOLUTIONS_FILE,
    SUBJECT_ARTICLES,
    CustomerRecord,
    TicketRecord,
    cohort_of,
    load_history,
    main,
    read_tickets,
    simulate_resolutions,
    subject_template,
)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def articles():
    return load_articles(REPO / "data" / "help_articles")


def ticket(n, customer="C1", category="payments", status="resolved"):
    return TicketRecord(f"T-{n}", customer, category, "Payment declined at checkout", status, "x")


def test_only_resolved_tickets_get_an_article_of_their_category(articles):
    categories = {article.id: article.category for article in articles}
    tickets = [ticket(n, status="resolved" if n % 2 else "open") for n in range(40)]
    resolutions = simulate_resolutions(tickets, {}, articles)
    assert set(resolutions) == {t.ticket_id for t in tickets if t.status == "resolved"}
    assert {categories[a] for a in resolutions.values()} == {"payments"}


def test_a_cohort_prefers_one_article(articles):
    customers = {"C1": CustomerRecord("C1", "SE", "gold")}
    resolutions = simulate_resolutions([ticket(n) for n in range(200)], customers, articles)
    counts = sorted(
        (list(resolutions.values()).count(a) for a in set(resolutions.values())), reverse=True
    )
    assert counts[0] > 2 * counts[1]  # P_COHORT against at most P_SUBJECT + noise


def test_simulation_is_deterministic_and_seeded(articles):
    tickets = [ticket(n) for n in range(50)]
    assert simulate_resolutions(tickets, {}, articles) == simulate_resolutions(
        tickets, {}, articles
    )
    assert simulate_resolutions(tickets, {}, articles, seed=1) != simulate_resolutions(
        tickets, {}, articles, seed=2
    )


def test_cohorts_and_templates():
    assert cohort_of(CustomerRecord("C1", "DE", "gold")) == "DE/member"
    assert cohort_of(CustomerRecord("C1", "DE", "bronze")) == "DE/bronze"
    assert cohort_of(None) == "unknown"
    assert subject_template("Charged twice for ORD-123456") == "Charged twice for {order}"
    assert "Charged twice for {order}" in SUBJECT_ARTICLES


def test_subject_articles_exist(articles):
    ids = {article.id for article in articles}
    assert {a for plausible in SUBJECT_ARTICLES.values() for a in plausible} <= ids


def test_reader_skips_invalid_rows():
    tickets = read_tickets(REPO / DEFAULT_CRM)
    assert tickets and all(t.category != "complaint" for t in tickets)


def test_the_committed_resolutions_are_what_the_generator_writes(tmp_path):
    out = tmp_path / RESOLUTIONS_FILE
    main(
        [
            "--crm",
            str(REPO / DEFAULT_CRM),
            "--articles",
            str(REPO / "data/help_articles"),
            "--out",
            str(out),
        ]
    )
    committed = REPO / DEFAULT_CRM / RESOLUTIONS_FILE
    assert (
        out.read_bytes() == committed.read_bytes()
    ), "data/crm/ticket_articles.csv is stale: python -m insights.resolution_history"


def test_load_history_joins_the_files():
    history = load_history(REPO / DEFAULT_CRM)
    ids = {t.ticket_id for t in history.tickets}
    assert set(history.resolutions) <= ids
    assert len(history.customers) > 1000
