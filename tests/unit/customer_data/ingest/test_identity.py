from customer_data import models
from customer_data.ingest import formats
from customer_data.ingest.merge_candidates import name_similarity
from tests.unit.customer_data.ingest import rows
from tests.unit.customer_data.ingest.rows import count, load, rows_of

customers = models.Customer.__table__
identities = models.Identity.__table__
candidates = models.MergeCandidate.__table__
orders = models.Order.__table__

LENA = rows.customer()
JONAS = rows.customer(
    customer_id="C0000002",
    name="Jonas Weber",
    email="jonas@example.org",
    phone="0171 7654321",
    address="Hauptstraße 1, 20095 Hamburg",
)


def identities_of(engine, customer_id):
    return sorted(
        (row["channel"], row["external_id"])
        for row in rows_of(engine, identities, identities.c.customer_id == customer_id)
    )


def test_a_record_with_the_same_email_is_attached_to_the_existing_customer(engine, tmp_path):
    legacy = rows.customer(
        customer_id="C0000009",
        name="Lena Schmidt-Berg",
        email=" LENA.SCHMIDT@example.com ",
        phone="+44 7700 900123",
        address="Other Street 1, 10115 Berlin",
    )
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, JONAS, legacy])
    summary = load(engine, formats.CUSTOMERS, path)
    assert (summary.loaded, summary.merged) == (2, 1)
    assert count(engine, customers) == 2
    assert identities_of(engine, "C0000001") == [("crm", "C0000009"), ("phone", "+447700900123")]
    (lena,) = rows_of(engine, customers, customers.c.id == "C0000001")
    assert lena["name"] == "Lena Schmidt"  # the master keeps its own record's fields


def test_a_record_with_the_same_phone_in_another_notation_is_the_same_person(engine, tmp_path):
    legacy = rows.customer(
        customer_id="C0000009", email="lena.work@example.net", phone="+49 (0)151 234 5678"
    )
    summary = load(
        engine, formats.CUSTOMERS, rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, legacy])
    )
    assert (summary.loaded, summary.merged) == (1, 1)
    assert identities_of(engine, "C0000001") == [
        ("crm", "C0000009"),
        ("email", "lena.work@example.net"),
    ]


def test_a_duplicate_arriving_in_a_later_file_is_attached_too(engine, tmp_path):
    load(engine, formats.CUSTOMERS, rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA]))
    legacy = rows.customer(customer_id="C0000009", phone="")
    summary = load(
        engine,
        formats.CUSTOMERS,
        rows.write_csv(tmp_path, formats.CUSTOMERS, [legacy], name="delta.csv"),
    )
    assert summary.merged == 1
    assert identities_of(engine, "C0000001") == [("crm", "C0000009")]


def test_orders_of_the_attached_record_belong_to_the_master(engine, tmp_path):
    legacy = rows.customer(customer_id="C0000009", phone="")
    load(engine, formats.CUSTOMERS, rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, legacy]))
    path = rows.write_csv(tmp_path, formats.ORDERS, [rows.order(customer_id="C0000009")])
    summary = load(engine, formats.ORDERS, path)
    assert summary.loaded == 1
    assert rows_of(engine, orders)[0]["customer_id"] == "C0000001"
    assert load(engine, formats.ORDERS, path).unchanged == 1


def test_resolution_is_idempotent(engine, tmp_path):
    legacy = rows.customer(
        customer_id="C0000009", email="lena.work@example.net", phone="+49 151 2345678"
    )
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, JONAS, legacy])
    load(engine, formats.CUSTOMERS, path)
    before = (count(engine, customers), count(engine, identities))
    again = load(engine, formats.CUSTOMERS, path)
    assert (again.loaded, again.updated, again.merged, again.unchanged) == (0, 0, 0, 3)
    assert (count(engine, customers), count(engine, identities)) == before


def test_changing_an_email_to_one_of_another_customer_is_refused(engine, tmp_path):
    load(engine, formats.CUSTOMERS, rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, JONAS]))
    taken = dict(JONAS, email="lena.schmidt@example.com")
    summary = load(
        engine,
        formats.CUSTOMERS,
        rows.write_csv(tmp_path, formats.CUSTOMERS, [taken], name="change.csv"),
    )
    assert (summary.updated, summary.quarantined) == (0, 1)
    (row,) = rows.read_quarantine(summary.quarantine_path)
    assert row["reason"] == "email: lena.schmidt@example.com already belongs to customer C0000001"
    (jonas,) = rows_of(engine, customers, customers.c.id == "C0000002")
    assert jonas["email"] == "jonas@example.org"


def test_similar_names_at_one_address_are_reported_not_merged(engine, tmp_path):
    twin = rows.customer(
        customer_id="C0000003",
        name="Lnea Schmidt",
        email="l.s@example.org",
        phone="",
        address="Lindenstraße 12,  10115 Berlin",
    )
    neighbour = rows.customer(
        customer_id="C0000004", name="Paul Becker", email="pb@example.org", phone=""
    )
    path = rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA, JONAS, twin, neighbour])
    summary = load(engine, formats.CUSTOMERS, path)
    assert summary.loaded == 4  # nobody merged
    assert len(summary.merge_candidates) == 1
    assert summary.merge_candidates[0].startswith("C0000001 ~ C0000003: similar names")
    (candidate,) = rows_of(engine, candidates)
    assert (candidate["customer_id_a"], candidate["customer_id_b"]) == ("C0000001", "C0000003")
    assert "'Lena Schmidt' / 'Lnea Schmidt'" in candidate["reason"]
    again = load(engine, formats.CUSTOMERS, path)
    assert again.merge_candidates == []
    assert count(engine, candidates) == 1


def test_a_later_file_is_compared_with_customers_already_stored(engine, tmp_path):
    load(engine, formats.CUSTOMERS, rows.write_csv(tmp_path, formats.CUSTOMERS, [LENA]))
    twin = rows.customer(
        customer_id="C0000003",
        name="LENA SCHMIDT",
        email="l.s@example.org",
        phone="",
        address="LINDENSTRAßE 12, 10115 BERLIN",  # the same address in capitals
    )
    summary = load(
        engine,
        formats.CUSTOMERS,
        rows.write_csv(tmp_path, formats.CUSTOMERS, [twin], name="delta.csv"),
    )
    assert [line.split(":")[0] for line in summary.merge_candidates] == ["C0000001 ~ C0000003"]


def test_name_similarity():
    assert name_similarity("Müller, Anna", "ANNA MULLER") < 0.85  # word order differs
    assert name_similarity("Anna Müller", "anna muller") == 1.0
    assert name_similarity("Jonas Becker", "Jnas Becker") >= 0.85
    assert name_similarity("Anna Schmidt", "Paul Schmidt") < 0.85
