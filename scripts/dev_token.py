"""Print a signed customer token for local testing, as the shop's web page would issue it.

Usage: make -s token CUSTOMER=C0000136   (uses WEB_TOKEN_SECRET from var/dev.env)
"""

import argparse
import sys

from actions.identity import issue_customer_token, web_token_secret


def main() -> int:
    """Prints the token, or explains what is missing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("customer_id", help="a customer id such as C0000136")
    args = parser.parse_args()
    secret = web_token_secret()
    if secret is None:
        print("WEB_TOKEN_SECRET is not set (run through `make token`)", file=sys.stderr)
        return 1
    print(issue_customer_token(args.customer_id, secret))
    return 0


if __name__ == "__main__":
    sys.exit(main())
