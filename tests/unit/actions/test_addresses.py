import pytest

from actions.addresses import normalize_address


def test_tidies_whitespace_and_trailing_punctuation():
    assert (
        normalize_address("  12 Baker Street,\n  London  NW1 6XE. ")
        == "12 Baker Street, London NW1 6XE"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Hauptstr. 5, 10115 Berlin, Germany",
        "Flat 3, 221B Baker St, London NW1 6XE",
        "Rue de Rivoli 99, 75001 Paris",
    ],
)
def test_accepts_real_looking_addresses(text):
    assert normalize_address(text) is not None


@pytest.mark.parametrize("text", [None, "", "yes", "my house", "1234567890", "street " * 40])
def test_rejects_what_cannot_be_an_address(text):
    assert normalize_address(text) is None
