import dataclasses
from collections import Counter

import pytest

from customer_data.models import TICKET_CATEGORIES
from insights.articles import (
    KNOWN_INTENTS,
    ArticleError,
    load_articles,
    parse_article,
    validate_articles,
)

GOOD = """---
id: KB-ORD-001
title: How to place an order
category: orders
intents: [place_order]
url: https://help.brightcart.example/orders/place-an-order
---
Add the products you want to your basket and open the basket from the top right of any page.
Check sizes, colours and quantities, then choose Checkout and pay.
"""


@pytest.fixture(scope="module")
def articles():
    return load_articles()


def test_knowledge_base_size_and_unique_ids(articles):
    assert 30 <= len(articles) <= 45
    assert len({article.id for article in articles}) == len(articles)


def test_every_category_is_covered(articles):
    counts = Counter(article.category for article in articles)
    assert set(counts) == set(TICKET_CATEGORIES)


def test_intents_and_bodies_are_valid(articles):
    for article in articles:
        assert set(article.intents) <= KNOWN_INTENTS
        assert 60 <= len(article.body.split()) <= 150, article.id
        assert article.url.startswith("https://help.brightcart.example/")


def test_every_assistant_intent_has_an_article(articles):
    answered = {intent for article in articles for intent in article.intents}
    assert answered == KNOWN_INTENTS


def test_parse_article_reads_front_matter():
    article = parse_article(GOOD)
    assert article.id == "KB-ORD-001"
    assert article.intents == ("place_order",)
    assert article.body.startswith("Add the products")
    assert "place order" in article.text


def test_parse_article_without_front_matter_names_the_file():
    with pytest.raises(ArticleError, match="x.md"):
        parse_article("no front matter here", "x.md")


def test_parse_article_missing_key():
    with pytest.raises(ArticleError, match="missing keys"):
        parse_article(GOOD.replace("category: orders\n", ""))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"id": "ORD-1"}, "id must look like"),
        ({"category": "gardening"}, "unknown category"),
        ({"intents": ("fly_to_moon",)}, "unknown intents"),
        ({"body": "too short"}, "body shorter"),
        ({"url": "http://elsewhere.example/x"}, "url must start"),
    ],
)
def test_validate_rejects_bad_articles(change, message):
    article = dataclasses.replace(parse_article(GOOD), **change)
    with pytest.raises(ArticleError, match=message):
        validate_articles([article])


def test_validate_rejects_duplicates_and_empty():
    article = parse_article(GOOD.replace("pay.", "pay. " + "word " * 30))
    with pytest.raises(ArticleError, match="duplicate id"):
        validate_articles([article, article])
    with pytest.raises(ArticleError, match="empty"):
        validate_articles([])
