"""The help-article knowledge base: Markdown files with YAML front matter under data/help_articles/.

Each article is one `.md` file whose front matter names its id, title, category, the assistant
intents it answers and its public URL. Rasa only reads `.yml`/`.yaml`/`.json` files under `data/`,
so these files never reach NLU or dialogue training.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Tuple

import yaml

from customer_data.models import TICKET_CATEGORIES

DEFAULT_DIRECTORY = Path("data/help_articles")
ARTICLE_SUFFIX = ".md"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
ID_PATTERN = re.compile(r"\AKB-[A-Z]{3}-\d{3}\Z")
URL_PREFIX = "https://help.brightcart.example/"
REQUIRED_KEYS = ("id", "title", "category", "intents", "url")
MIN_BODY_WORDS = 20  # well below the 60-150 words the articles are written to; catches stubs
# The assistant's intents an article may answer (domain.yml; greetings and small talk excluded).
KNOWN_INTENTS = frozenset(
    {
        "place_order",
        "track_order",
        "change_order",
        "cancel_order",
        "check_cancellation_fee",
        "delivery_options",
        "delivery_period",
        "change_shipping_address",
        "set_up_shipping_address",
        "get_refund",
        "track_refund",
        "check_refund_policy",
        "check_payment_methods",
        "payment_issue",
        "check_invoice",
        "get_invoice",
        "create_account",
        "edit_account",
        "delete_account",
        "switch_account",
        "recover_password",
        "registration_problems",
        "newsletter_subscription",
        "contact_customer_service",
        "complaint",
        "review",
    }
)


class ArticleError(ValueError):
    """An article file is malformed or the knowledge base is inconsistent."""


@dataclass(frozen=True)
class Article:
    """One help article."""

    id: str
    title: str
    category: str
    intents: Tuple[str, ...]
    url: str
    body: str

    @property
    def text(self) -> str:
        """Everything a text matcher may see: title, intents (as words), category and body."""
        intent_words = " ".join(intent.replace("_", " ") for intent in self.intents)
        return f"{self.title}. {self.title}. {intent_words}. {self.category}. {self.body}"


def parse_article(text: str, source: str = "<string>") -> Article:
    """Parses one article file's text; raises `ArticleError` naming `source` when malformed."""
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ArticleError(f"{source}: expected YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise ArticleError(f"{source}: invalid front matter: {error}") from error
    if not isinstance(meta, dict):
        raise ArticleError(f"{source}: front matter must be a mapping")
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        raise ArticleError(f"{source}: missing keys {missing}")
    intents = meta["intents"]
    if not isinstance(intents, list) or not intents:
        raise ArticleError(f"{source}: 'intents' must be a non-empty list")
    return Article(
        id=str(meta["id"]),
        title=str(meta["title"]).strip(),
        category=str(meta["category"]),
        intents=tuple(str(intent) for intent in intents),
        url=str(meta["url"]),
        body=" ".join(match.group(2).split()),
    )


def validate_articles(articles: Iterable[Article]) -> List[Article]:
    """Returns the articles if the knowledge base is consistent; raises `ArticleError` otherwise.

    Checks what the recommender relies on: unique well-formed ids, known categories and intents,
    a help-centre URL and a body long enough to match against.
    """
    articles = list(articles)
    if not articles:
        raise ArticleError("the knowledge base is empty")
    problems, seen = [], set()
    for article in articles:
        if not ID_PATTERN.match(article.id):
            problems.append(f"{article.id}: id must look like KB-ORD-001")
        if article.id in seen:
            problems.append(f"{article.id}: duplicate id")
        seen.add(article.id)
        if article.category not in TICKET_CATEGORIES:
            problems.append(f"{article.id}: unknown category {article.category!r}")
        unknown = sorted(set(article.intents) - KNOWN_INTENTS)
        if unknown:
            problems.append(f"{article.id}: unknown intents {unknown}")
        if not article.title:
            problems.append(f"{article.id}: empty title")
        if not article.url.startswith(URL_PREFIX):
            problems.append(f"{article.id}: url must start with {URL_PREFIX}")
        if len(article.body.split()) < MIN_BODY_WORDS:
            problems.append(f"{article.id}: body shorter than {MIN_BODY_WORDS} words")
    if problems:
        raise ArticleError("; ".join(problems))
    return articles


def load_articles(directory: Path = DEFAULT_DIRECTORY) -> List[Article]:
    """Reads and validates every article file in `directory`, sorted by id."""
    paths = sorted(Path(directory).glob(f"*{ARTICLE_SUFFIX}"))
    articles = [parse_article(path.read_text(encoding="utf-8"), str(path)) for path in paths]
    return sorted(validate_articles(articles), key=lambda article: article.id)
