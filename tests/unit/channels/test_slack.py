from rasa.core.channels.slack import SlackInput

from channels.slack import (
    DisabledSlackInput,
    EnvironmentSlackInput,
    slack_settings_from_env,
)


def test_slack_is_off_without_token_and_secret(monkeypatch):
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    channel = EnvironmentSlackInput.from_credentials({"use_threads": False})
    assert isinstance(channel, DisabledSlackInput)
    assert channel.name() == "slack"  # same webhook URL as the real channel


def test_a_token_without_signing_secret_is_not_enough(monkeypatch):
    # Without the signing secret requests could not be verified, so Slack stays off.
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "  ")
    assert slack_settings_from_env() is None


def test_slack_is_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-secret")
    monkeypatch.setenv("SLACK_CHANNEL", "C0123")
    channel = EnvironmentSlackInput.from_credentials({"use_threads": True})
    assert isinstance(channel, SlackInput)
    assert channel.slack_token == "xoxb-test"
    assert channel.slack_signing_secret == "signing-secret"
    assert channel.slack_channel == "C0123"
    assert channel.use_threads is True
