from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from insights import persistence
from insights.errors import InsightsError, ModelNotFoundError, NoCustomersError
from insights.features import FEATURE_NAMES, FeatureMatrix, featurize
from insights.pipeline import fit_segmentation
from insights.synthetic import PLANTED_PERSONAS
from tests.unit.insights.seg_helpers import AS_OF, synthetic_database


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    _, engine, ids, groups = synthetic_database(tmp_path_factory.mktemp("planted"))
    features = featurize(engine, AS_OF)
    engine.dispose()
    assert features.customer_ids.tolist() == ids.tolist()
    return features, groups, fit_segmentation(features, AS_OF, AS_OF)


def test_planted_groups_get_their_persona(fitted):
    _, groups, fit = fitted
    for group, persona in PLANTED_PERSONAS.items():
        majority, _ = Counter(fit.segments[groups == group]).most_common(1)[0]
        assert majority == persona, group
    assert adjusted_rand_score(groups, fit.segments) > 0.6


def test_every_cluster_has_a_persona_and_a_reason(fitted):
    _, _, fit = fitted
    assert 3 <= fit.model.k <= 8
    assert [a.cluster for a in fit.model.personas] == list(range(fit.model.k))
    assert all(a.reason for a in fit.model.personas)
    assert [s.k for s in fit.model.scores] == list(range(3, 9))
    assert fit.model.version.startswith("seg-20261101000000-")


def test_persistence_round_trip_predicts_the_same(fitted, tmp_path):
    features, _, fit = fitted
    directory = persistence.save(fit.model, tmp_path)
    loaded = persistence.load(tmp_path)  # via LATEST
    assert directory.name == loaded.version == fit.model.version
    assert loaded.predict(features.values).tolist() == fit.labels.tolist()
    assert loaded.segments(features.values).tolist() == fit.segments.tolist()
    assert [a.persona for a in loaded.personas] == [a.persona for a in fit.model.personas]
    assert persistence.load(directory / persistence.METADATA_FILE).version == fit.model.version


def test_unknown_or_broken_model_paths_are_clear_errors(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no segmentation model"):
        persistence.load(tmp_path / "nowhere")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / persistence.METADATA_FILE).write_text("{not json")
    (tmp_path / "m" / persistence.ARRAYS_FILE).write_bytes(b"")
    with pytest.raises(ModelNotFoundError, match="unreadable"):
        persistence.load(tmp_path / "m")


def test_no_customers_and_too_few_customers_are_clear_errors():
    empty = FeatureMatrix(np.array([], dtype=str), np.empty((0, len(FEATURE_NAMES))))
    with pytest.raises(NoCustomersError, match="load a CRM export"):
        fit_segmentation(empty, AS_OF, AS_OF)
    two = FeatureMatrix(np.array(["a", "b"]), np.ones((2, len(FEATURE_NAMES))))
    with pytest.raises(InsightsError, match="too few"):
        fit_segmentation(two, AS_OF, AS_OF)
