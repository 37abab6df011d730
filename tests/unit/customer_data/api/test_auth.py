from customer_data.api.auth import TokenAuthenticator
from customer_data.settings import Settings


def test_tokens_map_to_their_clients():
    settings = Settings(api_tokens="action-server:s3cret, desk:other-token")
    authenticator = TokenAuthenticator.from_settings(settings)
    assert authenticator.configured
    assert authenticator.client_for("s3cret") == "action-server"
    assert authenticator.client_for("other-token") == "desk"
    assert authenticator.client_for("s3cre") is None
    assert authenticator.client_for("") is None


def test_no_tokens_configured():
    authenticator = TokenAuthenticator.from_settings(Settings(api_tokens=""))
    assert not authenticator.configured
    assert authenticator.client_for("anything") is None
