"""Trains and evaluates the help-article recommender on resolved tickets, split by time.

A resolved ticket becomes a query (its subject plus the intent its category maps to) whose one
relevant item is the article that resolved it. Tickets are ordered by opening time: the oldest
`TRAIN_SHARE` form the history the model is fitted on, the next `VALIDATION_SHARE` choose the blend
weight, and the newest rest is the test split, touched once. Precision@k is at most 1/k here (one
relevant article per query); recall@k is the share of queries whose article is in the top k.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from insights.articles import DEFAULT_DIRECTORY as ARTICLES_DIRECTORY
from insights.articles import Article, load_articles
from insights.recommender import DEFAULT_DIRECTORY, HelpArticleRecommender
from insights.resolution_history import DEFAULT_CRM, History, TicketRecord, load_history

K = 3
TRAIN_SHARE = 0.7
VALIDATION_SHARE = 0.15
BLEND_GRID = tuple(round(step * 0.1, 1) for step in range(11))
# The intent the assistant would most likely predict for a ticket of each category.
CATEGORY_INTENTS = {
    "orders": "change_order",
    "delivery": "track_order",
    "refunds": "get_refund",
    "payments": "payment_issue",
    "invoices": "get_invoice",
    "account": "edit_account",
    "contact": "contact_customer_service",
    "feedback": "review",
}


@dataclass(frozen=True)
class RankingScores:
    """Mean precision@k, recall@k and reciprocal rank over a set of queries."""

    precision: float
    recall: float
    mrr: float
    queries: int


@dataclass(frozen=True)
class Evaluation:
    """Test-split scores of the hybrid model, the content-only baseline and anonymous use."""

    hybrid: RankingScores
    content_only: RankingScores
    anonymous: RankingScores
    blend: float
    validation_recall: Dict[float, float]


def resolved_in_time_order(history: History) -> List[TicketRecord]:
    """The tickets that have a resolving article, oldest first (ties broken by id)."""
    tickets = [ticket for ticket in history.tickets if ticket.ticket_id in history.resolutions]
    return sorted(tickets, key=lambda ticket: (ticket.opened_at, ticket.ticket_id))


def history_before(history: History, cutoff: str) -> History:
    """What was known when `cutoff` (an opened_at) came: earlier tickets and their resolutions."""
    tickets = [ticket for ticket in history.tickets if ticket.opened_at < cutoff]
    known = {ticket.ticket_id for ticket in tickets}
    resolutions = {t: a for t, a in history.resolutions.items() if t in known}
    return History(tickets, history.customers, resolutions)


def _scores_by_blend(
    model: HelpArticleRecommender,
    queries: Sequence[TicketRecord],
    blends: Sequence[float],
    use_customer: bool = True,
) -> Dict[float, List[np.ndarray]]:
    """Each blend's score vectors for `queries`; each signal is computed once per query."""
    by_blend: Dict[float, List[np.ndarray]] = {blend: [] for blend in blends}
    for ticket in queries:
        customer = ticket.customer_id if use_customer else None
        intent = CATEGORY_INTENTS[ticket.category]
        content = model.content_scores(ticket.subject, intent, customer)
        collaborative = model.collaborative_scores(customer, intent, content)
        for blend in blends:
            mixed = (
                content if collaborative is None else (1 - blend) * content + blend * collaborative
            )
            by_blend[blend].append(mixed)
    return by_blend


def _ranking_scores(
    model: HelpArticleRecommender,
    queries: Sequence[TicketRecord],
    scores: Sequence[np.ndarray],
    resolutions: Dict[str, str],
    k: int,
) -> RankingScores:
    column = {article.id: i for i, article in enumerate(model.articles)}
    hits, reciprocal = 0, 0.0
    for ticket, vector in zip(queries, scores, strict=True):
        # The same order `recommend` shows (stable on ties), so the figures match what users see.
        order = np.argsort(-vector, kind="stable")
        rank = 1 + int(np.flatnonzero(order == column[resolutions[ticket.ticket_id]])[0])
        hits += rank <= k
        reciprocal += 1 / rank
    n = max(len(queries), 1)
    return RankingScores(hits / n / k, hits / n, reciprocal / n, len(queries))


def score_ranking(
    model: HelpArticleRecommender,
    queries: Sequence[TicketRecord],
    resolutions: Dict[str, str],
    use_customer: bool = True,
    k: int = K,
) -> RankingScores:
    """Precision@k, recall@k and MRR of `model` (at its configured blend) on `queries`."""
    blend = model.config["blend"]
    scores = _scores_by_blend(model, queries, [blend], use_customer)[blend]
    return _ranking_scores(model, queries, scores, resolutions, k)


def split(history: History) -> Tuple[List[TicketRecord], List[TicketRecord], List[TicketRecord]]:
    """Train, validation and test queries by opening time."""
    ordered = resolved_in_time_order(history)
    train_end = int(len(ordered) * TRAIN_SHARE)
    validation_end = int(len(ordered) * (TRAIN_SHARE + VALIDATION_SHARE))
    return ordered[:train_end], ordered[train_end:validation_end], ordered[validation_end:]


def choose_blend(
    articles: Sequence[Article],
    history: History,
    validation: Sequence[TicketRecord],
    answers: Dict[str, str],
    config: Optional[dict] = None,
) -> Tuple[float, Dict[float, float]]:
    """The blend weight with the best validation recall@k (then MRR; then the smaller weight)."""
    model = HelpArticleRecommender(config).fit(articles, history)
    by_blend = _scores_by_blend(model, validation, BLEND_GRID)
    results = {
        blend: _ranking_scores(model, validation, scores, answers, K)
        for blend, scores in by_blend.items()
    }
    best = max(BLEND_GRID, key=lambda b: (results[b].recall, results[b].mrr, -b))
    return best, {blend: scores.recall for blend, scores in results.items()}


def evaluate(
    articles: Sequence[Article], history: History, config: Optional[dict] = None
) -> Evaluation:
    """Chooses the blend on validation, then scores hybrid and content-only on the test split.

    Content-only is the same fitted model with blend 0: message, intent and the customer's own
    past tickets, but nothing learned from other customers.
    """
    _, validation, test = split(history)
    answers = dict(history.resolutions)
    before_validation = history_before(history, validation[0].opened_at)
    blend, validation_recall = choose_blend(
        articles, before_validation, validation, answers, config
    )
    before_test = history_before(history, test[0].opened_at)
    model = HelpArticleRecommender({**(config or {}), "blend": blend}).fit(articles, before_test)
    hybrid = score_ranking(model, test, answers)
    model.config["blend"] = 0.0
    content_only = score_ranking(model, test, answers)
    anonymous = score_ranking(model, test, answers, use_customer=False)
    return Evaluation(hybrid, content_only, anonymous, blend, validation_recall)


def train(
    articles: Sequence[Article], history: History, config: Optional[dict] = None
) -> HelpArticleRecommender:
    """The production model: blend chosen on the newest validation share, fitted on everything."""
    ordered = resolved_in_time_order(history)
    cut = int(len(ordered) * (1 - VALIDATION_SHARE))
    validation = ordered[cut:]
    blend, _ = choose_blend(
        articles,
        history_before(history, validation[0].opened_at),
        validation,
        dict(history.resolutions),
        config,
    )
    return HelpArticleRecommender({**(config or {}), "blend": blend}).fit(articles, history)


def train_from_files(
    crm_directory: Path = DEFAULT_CRM,
    articles_directory: Path = ARTICLES_DIRECTORY,
    out: Path = DEFAULT_DIRECTORY,
) -> HelpArticleRecommender:
    """Trains on a CRM export (with its ticket_articles.csv) and saves the model to `out`."""
    model = train(load_articles(articles_directory), load_history(crm_directory))
    model.save(out)
    return model


def format_evaluation(evaluation: Evaluation, k: int = K) -> str:
    """The evaluation as a small text table."""
    lines = [f"{'model':<22}{'precision@' + str(k):>14}{'recall@' + str(k):>12}{'MRR':>8}"]
    for name, scores in (
        (f"hybrid (blend {evaluation.blend})", evaluation.hybrid),
        ("content-only", evaluation.content_only),
        ("content, anonymous", evaluation.anonymous),
    ):
        lines.append(f"{name:<22}{scores.precision:>14.3f}{scores.recall:>12.3f}{scores.mrr:>8.3f}")
    lines.append(f"test queries: {evaluation.hybrid.queries}")
    return "\n".join(lines)
