from datetime import datetime, timedelta, timezone

import jwt
import pytest

from actions.identity import (
    InvalidCustomerToken,
    issue_customer_token,
    token_from_metadata,
    verify_customer_token,
)

SECRET = "test-web-secret"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


def test_a_fresh_token_names_the_customer():
    token = issue_customer_token("C0000042", SECRET, now=NOW)
    assert verify_customer_token(token, SECRET, now=NOW + timedelta(minutes=5)) == "C0000042"


def test_expired_token_is_refused():
    token = issue_customer_token("C0000042", SECRET, now=NOW)
    with pytest.raises(InvalidCustomerToken, match="expired"):
        verify_customer_token(token, SECRET, now=NOW + timedelta(minutes=20))


def test_token_signed_with_another_secret_is_refused():
    token = issue_customer_token("C0000042", "someone-elses-secret", now=NOW)
    with pytest.raises(InvalidCustomerToken, match="invalid token"):
        verify_customer_token(token, SECRET, now=NOW)


def test_tampered_subject_is_refused():
    header, _, signature = issue_customer_token("C0000042", SECRET, now=NOW).split(".")
    forged_claims = jwt.encode({"sub": "C0000001"}, "x", algorithm="HS256").split(".")[1]
    with pytest.raises(InvalidCustomerToken):
        verify_customer_token(f"{header}.{forged_claims}.{signature}", SECRET, now=NOW)


def test_unsigned_token_is_refused():
    claims = {
        "sub": "C0000042",
        "iss": "brightcart-web",
        "aud": "brightcart-assistant",
        "iat": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 60,
    }
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(InvalidCustomerToken):
        verify_customer_token(unsigned, SECRET, now=NOW)


def test_long_lived_token_is_refused():
    token = issue_customer_token("C0000042", SECRET, lifetime=timedelta(days=7), now=NOW)
    with pytest.raises(InvalidCustomerToken, match="lifetime"):
        verify_customer_token(token, SECRET, now=NOW)


def test_subject_must_be_a_customer_id():
    token = issue_customer_token("admin", SECRET, now=NOW)
    with pytest.raises(InvalidCustomerToken, match="customer id"):
        verify_customer_token(token, SECRET, now=NOW)


@pytest.mark.parametrize("token", ["", "not.a.token", "abc"])
def test_garbage_is_refused(token):
    with pytest.raises(InvalidCustomerToken):
        verify_customer_token(token, SECRET, now=NOW)


@pytest.mark.parametrize(
    "metadata, expected",
    [
        ({"customer_token": "t1"}, "t1"),
        ({"customData": {"customer_token": "t2"}}, "t2"),
        ({"customer_token": 42}, None),
        ({}, None),
        (None, None),
        ("customer_token", None),
    ],
)
def test_token_is_found_in_rest_and_widget_metadata(metadata, expected):
    assert token_from_metadata(metadata) == expected
