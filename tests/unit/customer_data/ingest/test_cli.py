import pytest

from customer_data.db import build_engine, create_schema
from customer_data.ingest import formats
from customer_data.ingest.cli import EXIT_OK, EXIT_UNUSABLE_INPUT, main
from tests.unit.customer_data.ingest import rows


@pytest.fixture
def database_url(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.db"
    engine = build_engine(url)
    create_schema(engine)
    engine.dispose()
    return url


def test_ingesting_a_file_prints_the_summary(tmp_path, database_url, capsys):
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [rows.customer(), rows.customer(tier="x")])
    quarantine = tmp_path / "rejected.csv"
    status = main(
        ["customers", str(path), "--database-url", database_url, "--quarantine", str(quarantine)]
    )
    out = capsys.readouterr().out
    assert status == EXIT_OK
    assert "read 2, loaded 1, updated 0, unchanged 0, merged 0, quarantined 1" in out
    assert f"quarantine: {quarantine}" in out
    assert rows.read_quarantine(quarantine)[0]["reason"].startswith("tier: unknown value 'x'")


def test_load_all_ingests_every_file_in_dependency_order(tmp_path, database_url, capsys):
    rows.write_csv(tmp_path, formats.ORDERS, [rows.order()])
    rows.write_csv(tmp_path, formats.CUSTOMERS, [rows.customer()])
    rows.write_jsonl(tmp_path, formats.TICKETS, [rows.ticket()])
    status = main(
        [
            "load-all",
            str(tmp_path),
            "--database-url",
            database_url,
            "--quarantine-dir",
            str(tmp_path / "q"),
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert status == EXIT_OK
    assert [line.split(" ")[0] for line in lines] == ["customers", "orders", "tickets", "total:"]
    assert all("loaded 1," in line for line in lines[:3])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["customers", "{tmp}/absent.csv"], "cannot open"),
        (["customers", "{tmp}/bad.csv"], "missing columns: name, email"),
        (["load-all", "{tmp}/nowhere"], "not a directory"),
    ],
)
def test_unusable_input_is_a_message_not_a_traceback(
    tmp_path, database_url, capsys, arguments, message
):
    (tmp_path / "bad.csv").write_text("customer_id\nC0000001\n")
    argv = [argument.format(tmp=tmp_path) for argument in arguments]
    status = main([*argv, "--database-url", database_url])
    err = capsys.readouterr().err
    assert status == EXIT_UNUSABLE_INPUT
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_a_database_without_schema_is_reported(tmp_path, capsys):
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [rows.customer()])
    status = main(["customers", str(path), "--database-url", f"sqlite:///{tmp_path}/empty.db"])
    assert status == EXIT_UNUSABLE_INPUT
    assert "create the schema first" in capsys.readouterr().err
