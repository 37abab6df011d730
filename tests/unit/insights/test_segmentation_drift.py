import numpy as np

from insights.drift import SIGNIFICANT, compare, fit_reference, psi, should_resegment

NAMES = ("spend", "tickets", "web")


def _sample(seed, n=5000, spend_shift=0.0):
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [
            rng.lognormal(4 + spend_shift, 0.8, n),
            rng.poisson(0.3, n).astype(float),
            (rng.uniform(size=n) < 0.3).astype(float),
        ]
    )


def test_same_distribution_other_seed_is_stable():
    reference = fit_reference(_sample(1))
    drifts = compare(reference, _sample(2), NAMES)
    assert max(d.psi for d in drifts) < 0.05
    assert not should_resegment(drifts)


def test_shifted_feature_is_flagged_significant():
    reference = fit_reference(_sample(1))
    drifts = compare(reference, _sample(2, spend_shift=0.8), NAMES)
    by_name = {d.feature: d for d in drifts}
    assert by_name["spend"].level == SIGNIFICANT
    assert by_name["tickets"].psi < 0.05
    assert should_resegment(drifts)


def test_psi_of_identical_shares_is_zero_and_empty_bins_are_finite():
    assert psi(np.array([0.5, 0.5]), np.array([0.5, 0.5])) == 0
    assert np.isfinite(psi(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
