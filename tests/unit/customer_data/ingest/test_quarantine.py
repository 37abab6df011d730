import json

from customer_data.ingest.quarantine import QuarantineFile, default_path
from customer_data.ingest.readers import SourceRow
from tests.unit.customer_data.ingest import rows


def test_default_path_is_under_var_quarantine(tmp_path):
    assert str(default_path(tmp_path / "customers.csv", jsonl=False)) == (
        "var/quarantine/customers.quarantine.csv"
    )
    assert default_path(tmp_path / "orders.jsonl", jsonl=True).name == "orders.quarantine.jsonl"


def test_csv_quarantine_keeps_the_original_fields_the_line_and_every_reason(tmp_path):
    path = tmp_path / "q" / "customers.quarantine.csv"
    original = rows.customer(email="  Lena@@Example.com ")
    with QuarantineFile(path, list(original), jsonl=False) as quarantine:
        quarantine.write(SourceRow(7, original, original), ["email: bad", "tier: unknown"])
    (written,) = rows.read_quarantine(path)
    assert written == {**original, "source_line": "7", "reason": "email: bad; tier: unknown"}


def test_a_reason_column_in_the_input_is_not_overwritten(tmp_path):
    path = tmp_path / "refunds.quarantine.csv"
    original = {"refund_id": "RF-1", "reason": "damaged"}
    with QuarantineFile(path, list(original), jsonl=False) as quarantine:
        quarantine.write(SourceRow(2, original, original), ["refund_id: malformed"])
    (written,) = rows.read_quarantine(path)
    assert written["reason"] == "damaged"
    assert written["quarantine_reason"] == "refund_id: malformed"


def test_json_lines_quarantine_keeps_the_original_object(tmp_path):
    path = tmp_path / "orders.quarantine.jsonl"
    with QuarantineFile(path, (), jsonl=True) as quarantine:
        quarantine.write(SourceRow(3, {}, {"order_id": "ORD-1", "total": -1}), ["bad"])
        quarantine.write(SourceRow(4, {}, "not json"), ["not valid JSON"])
    first, second = (json.loads(line) for line in path.read_text().splitlines())
    assert first == {"order_id": "ORD-1", "total": -1, "source_line": 3, "reason": "bad"}
    assert second == {"raw": "not json", "source_line": 4, "reason": "not valid JSON"}


def test_a_clean_run_leaves_no_quarantine_file_and_removes_a_stale_one(tmp_path):
    path = tmp_path / "customers.quarantine.csv"
    path.write_text("stale from an earlier run\n")
    with QuarantineFile(path, ["customer_id"], jsonl=False) as quarantine:
        assert quarantine.count == 0
    assert not path.exists()
