"""The insights models the actions use (help-article recommender, escalation risk), loaded once.

Both are optional: when their files are missing (`make seed` builds them) the assistant simply
recommends nothing and offers a human on its usual schedule. Tests install their own models or
none with `use_insights_models`, so a model file on the developer's disk never changes a test.
"""

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from insights.escalation import EscalationRiskModel, load_escalation_model
from insights.recommender import HelpArticleRecommender, load_recommender

logger = logging.getLogger(__name__)

INSIGHTS_DIR_ENV = "INSIGHTS_DIR"
DEFAULT_INSIGHTS_DIR = Path("var/insights")
_UNSET: Any = object()
_overrides = {"recommender": _UNSET, "escalation": _UNSET}


def use_insights_models(recommender: Any = _UNSET, escalation: Any = _UNSET) -> None:
    """Replaces the loaded models (None: no model); call with no arguments to restore loading."""
    _overrides["recommender"], _overrides["escalation"] = recommender, escalation


def _directory() -> Path:
    return Path(os.environ.get(INSIGHTS_DIR_ENV, "").strip() or DEFAULT_INSIGHTS_DIR)


@lru_cache(maxsize=1)
def _loaded_recommender() -> Optional[HelpArticleRecommender]:
    model = load_recommender(_directory() / "recommender")
    if model is None:
        logger.warning("No help-article recommender under %s: run `make seed`.", _directory())
    return model


@lru_cache(maxsize=1)
def _loaded_escalation() -> Optional[EscalationRiskModel]:
    model = load_escalation_model(_directory() / "escalation" / "model.json")
    if model is None:
        logger.warning("No escalation-risk model under %s: run `make seed`.", _directory())
    return model


def recommender() -> Optional[HelpArticleRecommender]:
    """The help-article recommender, or None."""
    override = _overrides["recommender"]
    return _loaded_recommender() if override is _UNSET else override


def escalation_model() -> Optional[EscalationRiskModel]:
    """The escalation-risk model, or None."""
    override = _overrides["escalation"]
    return _loaded_escalation() if override is _UNSET else override
