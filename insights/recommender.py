"""Hybrid help-article recommender: what the message says, plus what helped customers like this one.

Content signal: TF-IDF (word and character n-grams) cosine similarity between the message (plus
the predicted intent) and each article's title, intents and body, a bonus for articles that list
the predicted intent, and a smaller share for similarity to the customer's own past tickets.

Collaborative signal: customers are compared by their attributes (country, tier; one-hot cosine);
the articles that resolved similar customers' tickets, within the category the intent points to,
form a smoothed distribution. Tickets are too sparse per customer (most have one) for a
customer x article matrix alone, which is why neighbours are found by attributes.

The two are blended as `(1 - blend) * content + blend * collaborative`; `recommender_eval` picks
`blend` on a validation split. Anonymous or unknown customers get the content signal only.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from insights.articles import Article
from insights.resolution_history import History

DEFAULT_DIRECTORY = Path("var/insights/recommender")
META_FILE = "recommender.json"
ARRAYS_FILE = "recommender.npz"
FORMAT_VERSION = 1
DEFAULT_CONFIG: Dict[str, Any] = {
    "word_ngrams": [1, 2],  # word uni- and bigrams: "delivered", "not received"
    "char_ngrams": [3, 5],  # char_wb n-grams survive typos and inflections ("cancelled")
    "intent_bonus": 0.25,  # added to the content score of articles that list the intent
    "history_weight": 0.15,  # share of the content score from the customer's past tickets
    "sharpness": 4.0,  # neighbour weight = cosine ** sharpness: close neighbours dominate
    "smoothing": 1.0,  # pseudo-count spread over a category's articles (sparse neighbourhoods)
    "blend": 0.5,  # collaborative share; overwritten by the value chosen on validation
}
CUSTOMER_ATTRIBUTES = ("country", "tier")


class RecommenderNotFoundError(FileNotFoundError):
    """No trained recommender at the path (build one: `python -m insights recommend-train`)."""


@dataclass(frozen=True)
class Recommendation:
    """One recommended article."""

    article_id: str
    title: str
    url: str
    score: float


def _vectorizer(analyzer: str, ngrams: Sequence[int]) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer, ngram_range=tuple(ngrams), sublinear_tf=True, lowercase=True
    )


def _intent_words(intent: Optional[str]) -> str:
    return intent.replace("_", " ") if intent else ""


class HelpArticleRecommender:
    """Recommends help articles for a message, its predicted intent and (optionally) a customer."""

    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None:
        """An unfitted recommender; `config` overrides keys of `DEFAULT_CONFIG`."""
        self.config = {**DEFAULT_CONFIG, **(config or {})}
        self.articles: List[Article] = []
        self._word = _vectorizer("word", self.config["word_ngrams"])
        self._char = _vectorizer("char_wb", self.config["char_ngrams"])
        self._article_matrix = sparse.csr_matrix((0, 0))  # terms x articles, unit columns
        self._categories = np.zeros(0, dtype=object)
        self._intent_categories: Dict[str, Dict[str, float]] = {}
        self._history_rows: Dict[str, int] = {}  # customer id -> row of _history_scores
        self._history_scores = np.zeros((0, 0))
        self._feature_rows: Dict[str, int] = {}  # customer id -> row of _customer_features
        self._customer_features = np.zeros((0, 0))
        self._resolver_rows = np.zeros(0, dtype=int)  # rows of _customer_features that resolved
        self._resolver_counts = np.zeros((0, 0))  # resolvers x articles

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, articles: Sequence[Article], history: Optional[History] = None):
        """Learns article vectors, customers' ticket profiles and who was helped by what."""
        history = history or History(tickets=[])
        self.articles = sorted(articles, key=lambda article: article.id)
        texts = [article.text for article in self.articles]
        self._word.fit(texts)
        self._char.fit(texts)
        self._article_matrix = self._vectorize(texts).T.tocsr()
        self._categories = np.array([article.category for article in self.articles], dtype=object)
        self._intent_categories = self._intent_category_shares()
        self._fit_history_profiles(history)
        self._fit_neighbourhood(history)
        return self

    def _intent_category_shares(self) -> Dict[str, Dict[str, float]]:
        """Maps intent -> {category: share of the articles answering it}: where it points."""
        counts: Dict[str, Counter] = defaultdict(Counter)
        for article in self.articles:
            for intent in article.intents:
                counts[intent][article.category] += 1
        return {
            intent: {category: n / sum(c.values()) for category, n in c.items()}
            for intent, c in counts.items()
        }

    def _fit_history_profiles(self, history: History) -> None:
        texts: Dict[str, List[str]] = defaultdict(list)
        for ticket in history.tickets:
            texts[ticket.customer_id].append(f"{ticket.subject}. {ticket.category}")
        ids = sorted(texts)
        self._history_rows = {customer_id: row for row, customer_id in enumerate(ids)}
        if not ids:
            self._history_scores = np.zeros((0, len(self.articles)))
            return
        profiles = self._vectorize([" ".join(texts[customer_id]) for customer_id in ids])
        self._history_scores = (profiles @ self._article_matrix).toarray()

    def _fit_neighbourhood(self, history: History) -> None:
        ids = sorted(history.customers)
        values = sorted(
            {
                (name, str(getattr(history.customers[i], name)))
                for i in ids
                for name in CUSTOMER_ATTRIBUTES
            }
        )
        columns = {value: column for column, value in enumerate(values)}
        features = np.zeros((len(ids), len(values)))
        for row, customer_id in enumerate(ids):
            for name in CUSTOMER_ATTRIBUTES:
                features[
                    row, columns[(name, str(getattr(history.customers[customer_id], name)))]
                ] = 1
        norms = np.linalg.norm(features, axis=1, keepdims=True)
        self._customer_features = features / np.where(norms == 0, 1, norms)
        self._feature_rows = {customer_id: row for row, customer_id in enumerate(ids)}
        article_columns = {article.id: column for column, article in enumerate(self.articles)}
        counts: Dict[int, np.ndarray] = {}
        tickets = {ticket.ticket_id: ticket for ticket in history.tickets}
        for ticket_id, article_id in history.resolutions.items():
            ticket = tickets.get(ticket_id)
            if ticket is None or article_id not in article_columns:
                continue
            row = self._feature_rows.get(ticket.customer_id)
            if row is None:
                continue
            counts.setdefault(row, np.zeros(len(self.articles)))[article_columns[article_id]] += 1
        self._resolver_rows = np.array(sorted(counts), dtype=int)
        self._resolver_counts = np.array([counts[row] for row in self._resolver_rows]).reshape(
            len(counts), len(self.articles)
        )

    # -- scoring -------------------------------------------------------------------------------

    def _vectorize(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # Each half is L2-normalised; scaling by 1/sqrt(2) keeps the joined vector at unit norm.
        halves = [self._word.transform(texts), self._char.transform(texts)]
        return sparse.hstack(halves, format="csr") * (1 / np.sqrt(2))

    def content_scores(
        self, message: str, intent: Optional[str], customer_id: Optional[str] = None
    ) -> np.ndarray:
        """Content score of every article (in `self.articles` order)."""
        query = self._vectorize([f"{message} {_intent_words(intent)}"])
        scores = (query @ self._article_matrix).toarray().ravel()
        if intent:
            listed = np.array([intent in article.intents for article in self.articles])
            scores = scores + self.config["intent_bonus"] * listed
        row = self._history_rows.get(customer_id) if customer_id else None
        if row is not None:
            weight = self.config["history_weight"]
            scores = (1 - weight) * scores + weight * self._history_scores[row]
        return scores

    def collaborative_scores(
        self, customer_id: Optional[str], intent: Optional[str], content: np.ndarray
    ) -> Optional[np.ndarray]:
        """P(article | similar customers, query category); None for unknown customers."""
        row = self._feature_rows.get(customer_id) if customer_id else None
        if row is None or len(self._resolver_rows) == 0:
            return None
        cosine = self._customer_features[self._resolver_rows] @ self._customer_features[row]
        weighted = (cosine ** self.config["sharpness"]) @ self._resolver_counts
        shares = self._intent_categories.get(intent or "")
        if not shares:  # no usable intent: trust the category of the best content match
            shares = {self._categories[int(np.argmax(content))]: 1.0}
        scores = np.zeros(len(self.articles))
        smoothing = self.config["smoothing"]
        for category, share in shares.items():
            members = self._categories == category
            total = weighted[members].sum()
            scores[members] = (
                share * (weighted[members] + smoothing / members.sum()) / (total + smoothing)
            )
        return scores

    def scores(
        self, message: str, intent: Optional[str], customer_id: Optional[str] = None
    ) -> np.ndarray:
        """Blended score of every article (content only when the customer is unknown)."""
        content = self.content_scores(message, intent, customer_id)
        collaborative = self.collaborative_scores(customer_id, intent, content)
        if collaborative is None:
            return content
        blend = self.config["blend"]
        return (1 - blend) * content + blend * collaborative

    def recommend(
        self, message: str, intent: Optional[str], customer_id: Optional[str] = None, k: int = 3
    ) -> List[Recommendation]:
        """The `k` best articles for `message`, best first."""
        if not self.articles:
            return []
        scores = self.scores(message, intent, customer_id)
        best = np.argsort(-scores, kind="stable")[:k]
        return [
            Recommendation(
                self.articles[i].id, self.articles[i].title, self.articles[i].url, float(scores[i])
            )
            for i in best
        ]

    # -- persistence (JSON + npz, no pickle) ---------------------------------------------------

    def save(self, directory: Path = DEFAULT_DIRECTORY) -> Path:
        """Writes the fitted model to `directory` (created); returns the directory."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format_version": FORMAT_VERSION,
            "config": self.config,
            "articles": [
                {**vars(article), "intents": list(article.intents)} for article in self.articles
            ],
            "word_vocabulary": {term: int(i) for term, i in self._word.vocabulary_.items()},
            "char_vocabulary": {term: int(i) for term, i in self._char.vocabulary_.items()},
            "history_customers": sorted(self._history_rows, key=self._history_rows.get),
            "feature_customers": sorted(self._feature_rows, key=self._feature_rows.get),
        }
        (directory / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        np.savez_compressed(
            directory / ARRAYS_FILE,
            word_idf=self._word.idf_,
            char_idf=self._char.idf_,
            history_scores=self._history_scores,
            customer_features=self._customer_features,
            resolver_rows=self._resolver_rows,
            resolver_counts=self._resolver_counts,
        )
        return directory

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIRECTORY) -> "HelpArticleRecommender":
        """Reads a model written by `save`; raises `RecommenderNotFoundError` when absent."""
        directory = Path(directory)
        if not (directory / META_FILE).is_file() or not (directory / ARRAYS_FILE).is_file():
            raise RecommenderNotFoundError(f"no recommender model in {directory}")
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        model = cls(meta["config"])
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            model._word.vocabulary_ = meta["word_vocabulary"]
            model._word.idf_ = arrays["word_idf"]
            model._char.vocabulary_ = meta["char_vocabulary"]
            model._char.idf_ = arrays["char_idf"]
            model._history_scores = arrays["history_scores"]
            model._customer_features = arrays["customer_features"]
            model._resolver_rows = arrays["resolver_rows"]
            model._resolver_counts = arrays["resolver_counts"]
        model.articles = [
            Article(**{**fields, "intents": tuple(fields["intents"])})
            for fields in meta["articles"]
        ]
        texts = [article.text for article in model.articles]
        model._article_matrix = model._vectorize(texts).T.tocsr()
        model._categories = np.array([a.category for a in model.articles], dtype=object)
        model._intent_categories = model._intent_category_shares()
        model._history_rows = {c: row for row, c in enumerate(meta["history_customers"])}
        model._feature_rows = {c: row for row, c in enumerate(meta["feature_customers"])}
        return model


def load_recommender(directory: Path = DEFAULT_DIRECTORY) -> Optional[HelpArticleRecommender]:
    """The saved recommender, or None when none was built (callers then recommend nothing)."""
    try:
        return HelpArticleRecommender.load(directory)
    except RecommenderNotFoundError:
        return None
