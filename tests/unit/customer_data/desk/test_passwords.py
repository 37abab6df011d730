import subprocess
import sys
from pathlib import Path

import pytest

from customer_data.desk import passwords
from customer_data.desk.passwords import (
    InvalidAgentList,
    hash_password,
    parse_agents,
    verify_password,
)

ROOT = Path(__file__).resolve().parents[4]


def test_a_hash_verifies_its_password_only():
    encoded = hash_password("correct horse")
    assert verify_password("correct horse", encoded)
    assert not verify_password("correct horse ", encoded)
    assert encoded != hash_password("correct horse")  # salted


@pytest.mark.parametrize(
    "encoded", ["", "plain", "scrypt.1.2.3", "bcrypt.a.b.c.d.e", "scrypt.x.8.1.a.b"]
)
def test_a_malformed_hash_never_matches(encoded):
    assert not verify_password("anything", encoded)


def test_hashes_fit_unquoted_in_the_agent_list_and_a_makefile():
    encoded = hash_password("pw")
    assert not set("$#:, ") & set(encoded)
    assert parse_agents(f"sam:{encoded}, kim:{encoded}") == {"sam": encoded, "kim": encoded}
    assert parse_agents("") == {}


@pytest.mark.parametrize("value", ["sam", "sam:plain", ":scrypt.1", "sam smith:scrypt.1.1.1.a.b"])
def test_a_bad_agent_list_is_refused(value):
    with pytest.raises(InvalidAgentList):
        parse_agents(value)


def test_the_cli_runs_by_path_with_the_standard_library_only():
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            str(ROOT / "customer_data" / "desk" / "passwords.py"),
            "hash",
            "--stdin",
        ],
        input="s3cret\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert passwords.verify_password("s3cret", result.stdout.strip())
