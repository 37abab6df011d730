import pytest

from customer_data.ingest import formats
from customer_data.ingest.errors import MalformedFileError
from customer_data.ingest.readers import RowReader
from tests.unit.customer_data.ingest import rows

COLUMNS = formats.FILE_COLUMNS[formats.CUSTOMERS]


def read_all(path):
    with RowReader(path, COLUMNS) as reader:
        return list(reader)


def test_csv_rows_come_with_line_numbers_and_fields(tmp_path):
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [rows.customer(), rows.customer()])
    read = read_all(path)
    assert [row.line for row in read] == [2, 3]
    assert read[0].fields["email"] == "lena.schmidt@example.com"
    assert read[0].problem is None


def test_header_names_are_matched_case_and_space_insensitively_and_extra_columns_ignored(tmp_path):
    path = tmp_path / "customers.csv"
    header = ",".join(f" {name.upper()} " for name in COLUMNS) + ",loyalty_points"
    values = ",".join(rows.customer()[name].replace(",", "") for name in COLUMNS) + ",12"
    path.write_text(f"\ufeff{header}\n{values}\n", encoding="utf-8")  # with a byte-order mark
    (row,) = read_all(path)
    assert row.fields["customer_id"] == "C0000001"
    assert row.fields["loyalty_points"] == "12"


def test_missing_header_columns_are_a_clear_error(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,name,e-mail\nC0000001,Lena,lena@example.com\n", encoding="utf-8")
    with pytest.raises(MalformedFileError) as error:
        read_all(path)
    message = str(error.value)
    assert "customers.csv: missing columns: email, phone, country, address, tier, created_at" in (
        message
    )
    assert "(the header has: customer_id, name, e-mail)" in message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty file; expected a header row"),
        ("\n\n", "empty file; expected a header row"),
        (",".join(COLUMNS) + ",email\n", "duplicate columns: email"),
    ],
)
def test_unusable_headers_are_errors(tmp_path, content, reason):
    path = tmp_path / "customers.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MalformedFileError, match=reason):
        read_all(path)


def test_rows_with_the_wrong_number_of_fields_carry_a_problem(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        ",".join(COLUMNS) + "\nC0000001,Lena\n\nC1,a,b,c,d,e,f,g,EXTRA\n", encoding="utf-8"
    )
    short, long = read_all(path)
    assert short.problem == "row has 2 fields, the header has 8"
    assert short.fields["email"] == ""
    assert long.problem == "row has 9 fields, the header has 8 (extra values: ['EXTRA'])"
    assert long.line == 4  # the blank line is skipped but still counted


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(",".join(COLUMNS).encode() + b"\nC0000001,M\xfcller\n")
    with pytest.raises(MalformedFileError, match="not UTF-8"):
        read_all(path)


def test_unknown_file_types_and_missing_files_are_errors(tmp_path):
    with pytest.raises(MalformedFileError, match="unknown file type '.xlsx'"):
        RowReader(tmp_path / "customers.xlsx", COLUMNS)
    with pytest.raises(MalformedFileError, match="cannot open"):
        RowReader(tmp_path / "absent.csv", COLUMNS)


def test_json_lines_values_become_text_and_bad_lines_carry_problems(tmp_path):
    path = tmp_path / "customers.jsonl"
    path.write_text(
        '{"customer_id": "C0000001", "tier": null, "vip": true, "visits": 3, "score": 2.5}\n'
        "\n"
        "not json\n"
        "[1, 2]\n"
        '{"customer_id": "C0000002", "tags": ["a"]}\n',
        encoding="utf-8",
    )
    first, broken, listed, nested = read_all(path)
    assert first.fields == {
        "customer_id": "C0000001",
        "tier": "",
        "vip": "true",
        "visits": "3",
        "score": "2.5",
    }
    assert first.line == 1
    assert broken.line == 3 and broken.problem.startswith("not valid JSON")
    assert broken.original == "not json"
    assert listed.problem == "not a JSON object"
    assert nested.problem == "nested values are not supported: tags"
