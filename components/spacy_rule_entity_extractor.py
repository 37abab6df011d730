"""Rule-based extractor on a blank spaCy pipeline: order ids, e-mails, phones, amounts, products.

Why rules and not a model: these entities have closed formats (docs/intents.md), so token patterns
with a little context find them without training examples for every spelling, and a blank "en"
tokenizer needs no downloaded model. Overlaps are resolved longest-first, so a phone number is
never also read as an order number, and bare six-digit runs only count as order ids after a word
such as "order" or "parcel".

The class is not called `SpacyEntityExtractor`: Rasa treats a component of that name as its own
pretrained extractor and leaves it out of `rasa test nlu`'s entity evaluation.
"""

import json
import logging
import re
from typing import Any, Dict, List, Optional

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from customer_data.demo_data.catalogue import PRODUCTS

logger = logging.getLogger(__name__)

PATTERNS_FILE = "spacy_rule_entity_extractor.json"
ORDER_ID = "order_id"
EMAIL = "email"
PHONE_NUMBER = "phone_number"
AMOUNT = "amount"
PRODUCT = "product"
ENTITY_TYPES_KEY = "entity_types"
CONTEXT_WORDS_KEY = "order_context_words"
CONTEXT_WINDOW_KEY = "order_context_window"
PHONE_DIGITS_KEY = "phone_digits"
LOOKUP_TABLES_KEY = "product_lookup_tables"
PRODUCTS_KEY = "extra_products"
# Matcher labels for digit-only order ids, which need a check beyond the token pattern.
BARE_ORDER = "bare_order_id"
SPACED_ORDER = "spaced_order_id"


def digits(count: int) -> Dict[str, Any]:
    """A token of exactly `count` digits."""
    return {"TEXT": {"REGEX": rf"^\d{{{count}}}$"}}


DIGITS_6 = digits(6)
NUMBER = {"TEXT": {"REGEX": r"^(\d{1,3}(,\d{3})+|\d+)([.,]\d{1,2})?$"}}
CURRENCY_SYMBOLS = ["€", "£", "$", "¥", "kr", "chf"]
CURRENCY_WORDS = [
    "eur", "euro", "euros", "usd", "dollar", "dollars", "gbp", "pound", "pounds", "quid",
    "chf", "francs", "sek", "nok", "dkk", "kr", "pln", "zloty", "cents",
]  # fmt: skip
# Trailing sizes and pack counts that customers leave out ("Cast Iron Skillet 28 cm").
PRODUCT_SUFFIX = re.compile(r"\s*(\([^)]*\)|\d[\d.,]*\s*(l|cm|w|mah|ml))$", re.IGNORECASE)


def order_patterns() -> List[List[Dict[str, Any]]]:
    """Token patterns for the shop's order-number formats that need no context."""
    return [
        [{"TEXT": {"REGEX": r"(?i)^(ord-?|no\.)\d{6}$"}}],  # ORD-583920, ord583920, no.583920
        [{"LOWER": "ord"}, {"ORTH": "-", "OP": "?"}, DIGITS_6],  # ORD 583920
        [{"ORTH": "#"}, DIGITS_6],  # #583920
        [{"LOWER": {"IN": ["no", "nr", "no.", "nr."]}}, {"ORTH": ".", "OP": "?"}, DIGITS_6],
    ]


def phone_patterns() -> List[List[Dict[str, Any]]]:
    """Token patterns for international (+CC) and national phone numbers."""
    group = {"TEXT": {"REGEX": r"^\d{2,9}$"}}
    separator = {"ORTH": {"IN": ["-", "/", "."]}, "OP": "?"}
    starts = [
        [{"TEXT": {"REGEX": r"^\+\d{1,3}$"}}],  # +44 7700 900123
        [{"TEXT": {"REGEX": r"^0\d{2,4}$"}}],  # 0176 55512345
        [{"ORTH": "("}, {"TEXT": {"REGEX": r"^\d{3,5}$"}}, {"ORTH": ")"}],  # (555) 010-2233
        [{"ORTH": "("}, {"TEXT": {"REGEX": r"^\d{3}\)\d{3}$"}}],  # (555)010-2233
    ]
    dashed = [{"ORTH": "-"}]
    patterns = [
        [{"TEXT": {"REGEX": r"^\+\d{8,15}$"}}],
        [digits(3), *dashed, digits(3), *dashed, digits(4)],  # 555-010-2233
        [{"TEXT": {"REGEX": r"^0\d{2,4}[/-]?\d{4,9}$"}}],
    ]
    for start in starts:
        for groups in range(1, 5):
            patterns.append(start + [separator, group] * groups)
    return patterns


def amount_patterns() -> List[List[Dict[str, Any]]]:
    """Token patterns for an amount with a currency symbol, code or word on either side."""
    currency = {"LOWER": {"IN": CURRENCY_SYMBOLS + CURRENCY_WORDS}}
    return [[currency, NUMBER], [NUMBER, currency]]


def product_names(name: str) -> List[str]:
    """A catalogue name and its shorter forms without trailing size or pack count."""
    names = [name]
    short = PRODUCT_SUFFIX.sub("", name)
    while short != names[-1] and short:
        names.append(short)
        short = PRODUCT_SUFFIX.sub("", short)
    return names


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SpacyRuleEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts order ids, e-mails, phone numbers, amounts and product names with spaCy rules."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """The component's default config."""
        return {
            # Which entity types to extract; leave one out to switch its rules off.
            ENTITY_TYPES_KEY: [ORDER_ID, EMAIL, PHONE_NUMBER, AMOUNT, PRODUCT],
            # A bare six-digit run is an order id only after a token starting with one of these.
            CONTEXT_WORDS_KEY: ["order", "purchase", "parcel", "package", "number"],
            # How many tokens before a bare six-digit run are searched for a context word.
            CONTEXT_WINDOW_KEY: 3,
            # Smallest and largest count of digits in a phone number (order ids have six).
            PHONE_DIGITS_KEY: [8, 15],
            # Lookup tables in the training data whose elements are added as product names.
            LOOKUP_TABLES_KEY: ["product"],
            # Product names besides the catalogue's; train() fills it from the lookup tables.
            PRODUCTS_KEY: [],
        }

    def __init__(
        self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        """Builds the blank pipeline and its matchers from `config`."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._nlp = spacy.blank("en")
        self._build_matchers()

    def _build_matchers(self) -> None:
        enabled = set(self.config[ENTITY_TYPES_KEY])
        self._matcher = Matcher(self._nlp.vocab)
        rules = {
            ORDER_ID: order_patterns(),
            BARE_ORDER: [[DIGITS_6]],
            SPACED_ORDER: [[digits(3), digits(3)]],  # 583 920
            EMAIL: [[{"LIKE_EMAIL": True}]],
            PHONE_NUMBER: phone_patterns(),
            AMOUNT: amount_patterns(),
        }
        for label, patterns in rules.items():
            if label in enabled or (label in (BARE_ORDER, SPACED_ORDER) and ORDER_ID in enabled):
                self._matcher.add(label, patterns, greedy="LONGEST")
        self._products: Dict[str, str] = {}
        self._phrase_matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        if PRODUCT in enabled:
            for name in [p.name for p in PRODUCTS] + list(self.config[PRODUCTS_KEY]):
                for variant in product_names(name):
                    self._products.setdefault(variant.lower(), name)
            docs = [self._nlp.make_doc(variant) for variant in self._products]
            self._phrase_matcher.add(PRODUCT, docs)

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SpacyRuleEntityExtractor":
        """Creates an extractor with the catalogue's products."""
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> List[str]:
        """Extra Python packages this component needs."""
        return ["spacy"]

    def train(self, training_data: TrainingData) -> Resource:
        """Adds product names from the configured lookup tables, then persists the patterns."""
        tables = set(self.config[LOOKUP_TABLES_KEY])
        extra = list(self.config[PRODUCTS_KEY])
        for table in training_data.lookup_tables:
            elements = table.get("elements")
            if table.get("name") in tables and isinstance(elements, list):
                extra.extend(str(e) for e in elements if str(e) not in extra)
        self.config[PRODUCTS_KEY] = extra
        self._build_matchers()
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Appends the entities found in each message's text to its `entities`."""
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = self.add_extractor_name(self.extract(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def extract(self, text: str) -> List[Dict[str, Any]]:
        """The entities in `text`, in Rasa's format without the extractor name."""
        doc = self._nlp.make_doc(text)
        spans = []
        for match_id, start, end in self._matcher(doc):
            label = self._nlp.vocab.strings[match_id]
            if label in (BARE_ORDER, SPACED_ORDER):
                if not self._is_isolated(doc, start, end) or (
                    label == BARE_ORDER and not self._has_order_context(doc, start)
                ):
                    continue
                label = ORDER_ID
            if label == PHONE_NUMBER and not self._is_phone(doc[start:end].text):
                continue
            spans.append(Span(doc, start, end, label))
        for _, start, end in self._phrase_matcher(doc):
            spans.append(Span(doc, start, end, PRODUCT))
        return [self._entity(span) for span in sorted(filter_spans(spans))]

    def _has_order_context(self, doc: Doc, start: int) -> bool:
        window = doc[max(0, start - self.config[CONTEXT_WINDOW_KEY]) : start]
        words = tuple(self.config[CONTEXT_WORDS_KEY])
        return any(token.lower_.startswith(words) for token in window)

    @staticmethod
    def _is_isolated(doc: Doc, start: int, end: int) -> bool:
        """No digits or "+" right around the run: then it is part of a phone number or amount."""
        around = [doc[i] for i in (start - 1, end) if 0 <= i < len(doc)]
        return not any(token.is_digit or token.text.startswith("+") for token in around)

    def _is_phone(self, raw: str) -> bool:
        low, high = self.config[PHONE_DIGITS_KEY]
        return low <= sum(c.isdigit() for c in raw) <= high

    def _entity(self, span: Span) -> Dict[str, Any]:
        value = normalize(span.label_, span.text, self._products)
        return {
            ENTITY_ATTRIBUTE_TYPE: span.label_,
            ENTITY_ATTRIBUTE_START: span.start_char,
            ENTITY_ATTRIBUTE_END: span.end_char,
            ENTITY_ATTRIBUTE_VALUE: value,
        }

    def persist(self) -> None:
        """Writes the pattern config as JSON."""
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / PATTERNS_FILE).write_text(json.dumps(self.config, indent=2))

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SpacyRuleEntityExtractor":
        """Loads the persisted pattern config; without one, the defaults and a warning."""
        try:
            with model_storage.read_from(resource) as model_dir:
                persisted = json.loads((model_dir / PATTERNS_FILE).read_text())
        except (ValueError, FileNotFoundError) as error:
            logger.warning(f"{cls.__name__} could not load its patterns ({error}); using defaults.")
            return cls(config, model_storage, resource)
        return cls({**config, **persisted}, model_storage, resource)


def normalize(label: str, raw: str, products: Optional[Dict[str, str]] = None) -> str:
    """The canonical value of an entity: ORD-XXXXXX, a lower-cased e-mail, the catalogue name."""
    if label == ORDER_ID:
        return f"ORD-{''.join(c for c in raw if c.isdigit())}"
    if label == EMAIL:
        return raw.lower()
    if label == PRODUCT and products:
        return products.get(raw.lower(), raw)
    return raw
