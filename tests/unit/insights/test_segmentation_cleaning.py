import numpy as np
import pytest

from insights.cleaning import MAX_RESOLUTION_HOURS, Cleaner

NAMES = ("recency_days", "monetary_eur", "avg_resolution_hours", "channel_web")
NAN = np.nan
# Ten customers: a missing spend, a negative recency, an implausible and a missing resolution
# time, one huge spender (an outlier after log1p) and one very long recency.
TABLE = np.array(
    [
        [10, 50, 5, 1],
        [20, 60, 6, 0],
        [30, NAN, 7, 0],
        [-5, 55, NAN, 1],
        [25, 45, MAX_RESOLUTION_HOURS + 1, 0],
        [15, 65, 8, 0],
        [35, 52, 4, 1],
        [12, 58, 5, 0],
        [28, 100_000, 6, 0],
        [900, 48, 7, 0],
    ],
    dtype=float,
)


def test_counts_of_each_cleaning_step():
    cleaner = Cleaner.fit(TABLE, NAMES)
    scaled, counts = cleaner.transform(TABLE)
    assert counts.rows == 10
    assert counts.missing.tolist() == [0, 1, 1, 0]
    assert counts.implausible.tolist() == [1, 0, 1, 0]
    assert counts.capped_high.tolist() == [1, 1, 0, 0]
    assert counts.capped_low.tolist() == [0, 0, 0, 0]
    assert "channel_web" in counts.not_capped
    assert not np.isnan(scaled).any()
    np.testing.assert_allclose(scaled.mean(axis=0)[:3], 0, atol=1e-9)


def test_imputed_values_are_training_medians():
    cleaner = Cleaner.fit(TABLE, NAMES)
    imputed = cleaner.impute(TABLE)
    valid_recency = np.delete(TABLE[:, 0], 3)
    assert imputed[3, 0] == pytest.approx(np.median(valid_recency))  # negative: nullified
    assert imputed[4, 2] == pytest.approx(6)  # beyond the bound: nullified, median of 4..8
    assert imputed[2, 1] == pytest.approx(np.median(np.delete(TABLE[:, 1], 2)))


def test_new_data_is_cleaned_with_training_statistics():
    cleaner = Cleaner.fit(TABLE, NAMES)
    new = np.array([[NAN, 1e9, 5, 1]])
    _, counts = cleaner.transform(new)
    assert counts.missing.tolist() == [1, 0, 0, 0]
    assert counts.capped_high.tolist() == [0, 1, 0, 0]
    # Centroids come back in original units: the training centre of spend is a positive EUR sum.
    assert cleaner.inverse(np.zeros(4))[0, 1] > 0
