"""Escalation risk: how likely a conversation is to need a human agent, and whether to offer one.

Inputs are two plain dicts, so the action server can call it with what it already has:

- `profile`: keys of `PROFILE_DEFAULTS` (`profile_from_api` maps the data service's profile);
- `conversation`: keys of `CONVERSATION_DEFAULTS` (intent, turns, fallbacks, ...).

Missing or malformed values fall back to the defaults, and an intent the model never saw only
loses its own weight, so bad input lowers confidence instead of raising. The model is a
standardised logistic regression (`build_pipeline`), persisted as JSON with the decision
threshold chosen at training time (see `insights.escalation_eval`).
"""

import json
import math
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

DEFAULT_PATH = Path("var/insights/escalation/model.json")
FORMAT_VERSION = 1
DEFAULT_CONFIG: Dict[str, Any] = {
    "C": 0.5,  # mild L2: a dozen features, thousands of examples
    "class_weight": None,  # the threshold, not re-weighting, handles the class imbalance
    "max_iter": 1000,
    "random_state": 0,
}
DEFAULT_THRESHOLD = 0.5
PROFILE_DEFAULTS: Dict[str, Any] = {
    "tier": "bronze",
    "segment": "unknown",  # None until segmentation ran
    "order_count": 0,
    "refund_count": 0,
    "refund_rate": 0.0,  # refunds per order
    "open_tickets": 0,
    "tickets_last_90_days": 0,
    "days_since_last_order": 365,  # also for customers without orders
    "past_satisfaction": None,  # mean 1-5 rating of resolved tickets, None when never rated
}
CONVERSATION_DEFAULTS: Dict[str, Any] = {
    "intent": "unknown",
    "turns": 1,  # customer messages so far
    "fallbacks": 0,  # turns the assistant did not understand
    "clarifications": 0,  # clarifying questions asked
    "negative_words": None,  # counted from `text` when not given
    "text": "",  # the customer's messages so far, only to count negative words
    "service_error": False,  # the customer data service failed during the conversation
}
COMPLAINT_INTENT = "complaint"
NEGATIVE_WORDS = frozenset(
    "angry annoyed awful bad broken complaint disappointed disgusting furious horrible "
    "ridiculous rubbish scam terrible unacceptable upset useless worst never again lawyer "
    "refund-now cheated lied waste frustrated hopeless".split()
)
WORD = re.compile(r"[a-z][a-z'-]*")
CAPS = {"order_count": 1000, "refund_count": 50, "open_tickets": 20, "tickets_last_90_days": 50}
CAPS.update({"days_since_last_order": 3650, "turns": 100, "fallbacks": 20, "clarifications": 20})
CAPS["negative_words"] = 20


class EscalationModelNotFoundError(FileNotFoundError):
    """No trained escalation model at the path (`python -m insights escalation-train`)."""


def count_negative_words(text: str) -> int:
    """How many words of `text` express anger or disappointment (a small fixed lexicon)."""
    return sum(word in NEGATIVE_WORDS for word in WORD.findall((text or "").lower()))


def _number(value: Any, default: float, cap: Optional[float] = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float(default)
    if math.isnan(number) or number < 0:
        return float(default)
    return min(number, cap) if cap is not None else number


def _label(value: Any, default: str) -> str:
    return str(value).strip().lower() if isinstance(value, str) and value.strip() else default


def encode(profile: Optional[Mapping], conversation: Optional[Mapping]) -> Dict[str, float]:
    """The feature dict of one conversation (defaults for anything missing or malformed)."""
    profile, conversation = profile or {}, conversation or {}
    p = {key: profile.get(key, default) for key, default in PROFILE_DEFAULTS.items()}
    c = {key: conversation.get(key, default) for key, default in CONVERSATION_DEFAULTS.items()}

    def num(values: Mapping, key: str, defaults: Mapping) -> float:
        return _number(values[key], defaults[key] or 0, CAPS.get(key))

    intent = _label(c["intent"], CONVERSATION_DEFAULTS["intent"])
    negative = c["negative_words"]
    negative = count_negative_words(str(c["text"])) if negative is None else negative
    satisfaction = _number(p["past_satisfaction"], -1, 5)
    return {
        f"tier={_label(p['tier'], PROFILE_DEFAULTS['tier'])}": 1.0,
        f"segment={_label(p['segment'], PROFILE_DEFAULTS['segment'])}": 1.0,
        f"intent={intent}": 1.0,
        "complaint": float(intent == COMPLAINT_INTENT),
        "log_orders": math.log1p(num(p, "order_count", PROFILE_DEFAULTS)),
        "refund_count": num(p, "refund_count", PROFILE_DEFAULTS),
        "refund_rate": min(_number(p["refund_rate"], 0.0), 1.0),
        "open_tickets": num(p, "open_tickets", PROFILE_DEFAULTS),
        "recent_tickets": num(p, "tickets_last_90_days", PROFILE_DEFAULTS),
        "log_days_since_order": math.log1p(num(p, "days_since_last_order", PROFILE_DEFAULTS)),
        "satisfaction_known": float(satisfaction >= 1),
        "dissatisfaction": max(0.0, 3.0 - satisfaction) if satisfaction >= 1 else 0.0,
        "turns": num(c, "turns", CONVERSATION_DEFAULTS),
        "fallbacks": num(c, "fallbacks", CONVERSATION_DEFAULTS),
        "clarifications": num(c, "clarifications", CONVERSATION_DEFAULTS),
        "negative_words": _number(negative, 0, CAPS["negative_words"]),
        "service_error": float(bool(c["service_error"])),
    }


def profile_from_api(profile: Mapping, now: Optional[datetime] = None) -> Dict[str, Any]:
    """Maps the data service's `Profile` JSON onto `PROFILE_DEFAULTS` keys.

    The API lists only the 5 newest refunds, so `refund_count` is capped there; it does not
    expose past satisfaction, which then stays unknown.
    """
    orders = int(profile.get("order_count") or 0)
    refunds = len(profile.get("recent_refunds") or [])
    days = PROFILE_DEFAULTS["days_since_last_order"]
    last = (profile.get("last_order") or {}).get("placed_at")
    if last:
        placed = datetime.fromisoformat(str(last).replace("Z", "+00:00"))
        placed = placed if placed.tzinfo else placed.replace(tzinfo=timezone.utc)
        days = max(0, ((now or datetime.now(timezone.utc)) - placed).days)
    return {
        "tier": profile.get("tier"),
        "segment": profile.get("segment"),
        "order_count": orders,
        "refund_count": refunds,
        "refund_rate": refunds / orders if orders else 0.0,
        "open_tickets": len(profile.get("open_tickets") or []),
        "tickets_last_90_days": profile.get("tickets_last_90_days") or 0,
        "days_since_last_order": days,
    }


def build_pipeline(config: Optional[Mapping] = None) -> Pipeline:
    """One-hot + numeric features -> standardisation -> logistic regression (all pinned)."""
    config = {**DEFAULT_CONFIG, **(config or {})}
    return Pipeline(
        [
            ("vectorize", DictVectorizer(sparse=False)),
            ("scale", StandardScaler()),
            (
                "classify",
                LogisticRegression(
                    C=config["C"],
                    class_weight=config["class_weight"],
                    max_iter=config["max_iter"],
                    random_state=config["random_state"],
                ),
            ),
        ]
    )


class EscalationRiskModel:
    """A fitted pipeline and the probability above which a human is offered."""

    def __init__(
        self,
        pipeline: Pipeline,
        threshold: float = DEFAULT_THRESHOLD,
        config: Optional[Mapping] = None,
        metrics: Optional[Mapping] = None,
    ) -> None:
        """Wraps a fitted `build_pipeline` result; `metrics` are kept for the record."""
        self.pipeline = pipeline
        self.threshold = float(threshold)
        self.config = {**DEFAULT_CONFIG, **(config or {})}
        self.metrics = dict(metrics or {})

    def predict_proba(self, profile: Optional[Mapping], conversation: Optional[Mapping]) -> float:
        """Probability that this conversation needs a human."""
        return float(self.pipeline.predict_proba([encode(profile, conversation)])[0, 1])

    def should_offer_human(
        self, profile: Optional[Mapping], conversation: Optional[Mapping]
    ) -> bool:
        """Whether the risk reaches the persisted decision threshold."""
        return self.predict_proba(profile, conversation) >= self.threshold

    def save(self, path: Path = DEFAULT_PATH) -> Path:
        """Writes the model as JSON (no pickle); returns the path."""
        vectorize, scale, classify = (self.pipeline.named_steps[s] for s in self._steps())
        state = {
            "format_version": FORMAT_VERSION,
            "config": self.config,
            "threshold": self.threshold,
            "metrics": self.metrics,
            "feature_names": list(vectorize.feature_names_),
            "scale_mean": scale.mean_.tolist(),
            "scale_scale": scale.scale_.tolist(),
            "scale_var": scale.var_.tolist(),
            "coef": classify.coef_.tolist(),
            "intercept": classify.intercept_.tolist(),
            "classes": classify.classes_.tolist(),
        }
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "EscalationRiskModel":
        """Reads a model written by `save`; raises `EscalationModelNotFoundError` when absent."""
        path = Path(path)
        if not path.is_file():
            raise EscalationModelNotFoundError(f"no escalation model at {path}")
        state = json.loads(path.read_text(encoding="utf-8"))
        pipeline = build_pipeline(state["config"])
        vectorize, scale, classify = (pipeline.named_steps[s] for s in cls._steps())
        names = state["feature_names"]
        vectorize.feature_names_ = names
        vectorize.vocabulary_ = {name: index for index, name in enumerate(names)}
        scale.mean_ = np.array(state["scale_mean"])
        scale.scale_ = np.array(state["scale_scale"])
        scale.var_ = np.array(state["scale_var"])
        scale.n_features_in_ = len(names)
        classify.coef_ = np.array(state["coef"])
        classify.intercept_ = np.array(state["intercept"])
        classify.classes_ = np.array(state["classes"])
        classify.n_features_in_ = len(names)
        return cls(pipeline, state["threshold"], state["config"], state["metrics"])

    @staticmethod
    def _steps():
        return ("vectorize", "scale", "classify")


def load_escalation_model(path: Path = DEFAULT_PATH) -> Optional[EscalationRiskModel]:
    """The saved model, or None when none was built (callers then skip the risk check)."""
    try:
        return EscalationRiskModel.load(path)
    except EscalationModelNotFoundError:
        return None
