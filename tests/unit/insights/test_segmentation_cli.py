import pytest
from sqlalchemy import func, select

from customer_data.db import build_engine, build_session_factory, create_schema, unit_of_work
from customer_data.models import Segment
from customer_data.profiles import build_profile
from customer_data.settings import get_settings
from insights import persistence
from insights.__main__ import EXIT_ERROR, main
from tests.unit.insights.seg_helpers import AS_OF, synthetic_database


@pytest.fixture
def shop(tmp_path, monkeypatch):
    url, engine, ids, _ = synthetic_database(tmp_path, customers=300)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield engine, ids
    engine.dispose()
    get_settings.cache_clear()


def _segment_rows(engine):
    with engine.connect() as connection:
        return connection.execute(
            select(Segment.model_version, func.count()).group_by(Segment.model_version)
        ).all()


def test_segment_writes_rows_model_and_report_and_the_profile_shows_it(shop, tmp_path, capsys):
    engine, ids = shop
    out = tmp_path / "out"
    assert main(["segment", "--as-of", "2026-11-01", "--k-max", "6", "--out", str(out)]) == 0
    version = persistence.latest_version(out / "models")
    assert _segment_rows(engine) == [(version, len(ids))]
    model = persistence.load(out / "models")
    printed = capsys.readouterr().out
    assert version in printed and f"k={model.k}" in printed
    report = (out / "reports" / version / "report.md").read_text()
    assert "## Cleaning" in report and "capped high" in report
    assert all(
        (out / "reports" / version / png).is_file()
        for png in ("sizes.png", "profile.png", "k_scores.png")
    )
    with unit_of_work(build_session_factory(engine)) as session:
        profile = build_profile(session, ids[0], AS_OF)
        with engine.connect() as connection:
            expected = connection.execute(
                select(Segment.segment).where(Segment.customer_id == ids[0])
            ).scalar_one()
    assert (profile.segment, profile.segment_model_version) == (expected, version)

    # A second run reports drift against the first model, and `drift` compares with it too.
    assert (
        main(["segment", "--as-of", "2026-11-01", "--k-max", "6", "--out", str(out), "--dry-run"])
        == 0
    )
    assert "dry run" in capsys.readouterr().out
    assert len(_segment_rows(engine)) == 1
    assert main(["drift", "--as-of", "2026-11-01", "--out", str(out)]) == 0
    assert "no re-segmentation needed" in capsys.readouterr().out


def test_dry_run_writes_no_segments_and_no_model(shop, tmp_path, capsys):
    engine, _ = shop
    out = tmp_path / "out"
    assert (
        main(["segment", "--dry-run", "--as-of", "2026-11-01", "--k-max", "4", "--out", str(out)])
        == 0
    )
    assert _segment_rows(engine) == []
    assert persistence.latest_version(out / "models") is None
    assert "dry run: nothing written" in capsys.readouterr().out


def test_empty_database_is_a_clear_error(tmp_path, monkeypatch, capsys):
    engine = build_engine(f"sqlite:///{tmp_path}/empty.sqlite")
    create_schema(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.sqlite")
    get_settings.cache_clear()
    try:
        assert main(["segment", "--out", str(tmp_path / "out")]) == EXIT_ERROR
        assert "no customers" in capsys.readouterr().err
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/unmigrated.sqlite")
        get_settings.cache_clear()
        assert main(["segment", "--out", str(tmp_path / "out")]) == EXIT_ERROR
        assert "migrate upgrade" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_unknown_model_path_is_a_clear_error(tmp_path, capsys):
    assert main(["drift", "--model", str(tmp_path / "missing")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("error: no segmentation model") and "Traceback" not in err


def test_if_unsegmented_segments_once_then_leaves_the_segments_alone(shop, tmp_path, capsys):
    engine, _ = shop
    command = ["segment", "--if-unsegmented", "--as-of", "2026-11-01", "--k-max", "4"]
    command += ["--out", str(tmp_path / "out")]
    assert main(command) == 0
    first = _segment_rows(engine)
    assert len(first) == 1 and first[0][0].startswith("seg-")
    assert main(command) == 0
    assert _segment_rows(engine) == first
    assert "already segmented" in capsys.readouterr().out
