"""Agent passwords for the desk: scrypt hashes, the `DESK_AGENTS` list, and a small CLI.

A hash reads `scrypt.<n>.<r>.<p>.<salt>.<key>` (base64url, no padding): no `$`, `#`, `:` or `,`,
so it sits unquoted in `DESK_AGENTS="sam:<hash>,kim:<hash>"` and in a Makefile include.
Standard library only: scripts/dev_env.sh runs this file with the system Python, before the
virtual environment exists.

    python -m customer_data.desk.passwords hash            # asks for the password
    python customer_data/desk/passwords.py hash --stdin    # reads it from standard input
"""

import argparse
import base64
import getpass
import hashlib
import hmac
import os
import re
import sys
from typing import Dict

SCHEME = "scrypt"
# ~16 MiB and ~50 ms per check: slow enough to make guessing expensive, fast enough for a login.
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MAX_MEMORY = 64 * 1024 * 1024
AGENT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # also in session cookies and audit actors


class InvalidAgentList(ValueError):
    """`DESK_AGENTS` is not a list of `name:hash` entries."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=KEY_BYTES
    )


def hash_password(password: str) -> str:
    """A new salted scrypt hash of `password`."""
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return ".".join([SCHEME, str(N), str(R), str(P), _b64(salt), _b64(key)])


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` matches `encoded`; a malformed hash never matches."""
    parts = encoded.split(".")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = (int(value) for value in parts[1:4])
        expected = _unb64(parts[5])
        key = _derive(password, _unb64(parts[4]), n, r, p)
    except ValueError:
        return False
    return hmac.compare_digest(key, expected)


def parse_agents(value: str) -> Dict[str, str]:
    """Maps agent name to password hash from `name:hash,name:hash`."""
    agents = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        name, _, encoded = (part.strip() for part in entry.partition(":"))
        if not AGENT_NAME.match(name) or not encoded.startswith(SCHEME + "."):
            raise InvalidAgentList(
                "DESK_AGENTS must be comma-separated 'name:scrypt....' entries, names of letters, "
                "digits, '_' and '-' (hash with: python -m customer_data.desk.passwords hash)"
            )
        agents[name] = encoded
    return agents


def main() -> int:
    """Prints the hash of a password read from the terminal or standard input."""
    parser = argparse.ArgumentParser(description="Hash an agent password for DESK_AGENTS.")
    parser.add_argument("command", choices=["hash"])
    parser.add_argument("--stdin", action="store_true", help="read the password from stdin")
    args = parser.parse_args()
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass()
    if not password:
        print("empty password", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
