import pytest

from customer_data.desk.sessions import SessionSigner

NOW = 1_700_000_000.0


def test_a_cookie_names_its_agent_until_it_expires():
    signer = SessionSigner("secret", lifetime_seconds=60)
    value = signer.issue("sam", now=NOW)
    assert signer.agent(value, now=NOW + 59) == "sam"
    assert signer.agent(value, now=NOW + 61) is None


def test_a_forged_or_foreign_cookie_names_nobody():
    signer = SessionSigner("secret", lifetime_seconds=60)
    value = signer.issue("sam", now=NOW)
    agent, expires, signature = value.split(".")
    assert signer.agent(f"kim.{expires}.{signature}", now=NOW) is None
    assert signer.agent(f"{agent}.{int(expires) + 999}.{signature}", now=NOW) is None
    assert SessionSigner("other", 60).agent(value, now=NOW) is None
    for junk in (None, "", "sam", "a.b.c", "sam.notanumber.sig"):
        assert signer.agent(junk, now=NOW) is None


def test_without_a_secret_each_signer_has_its_own_key():
    value = SessionSigner("", 60).issue("sam", now=NOW)
    assert SessionSigner("", 60).agent(value, now=NOW) is None


def test_agent_names_that_would_break_the_cookie_are_refused():
    with pytest.raises(ValueError):
        SessionSigner("secret", 60).issue("sam.smith")
