"""Encryption of contact-data slot values at rest in the tracker store.

Rasa reloads the conversation from the store on every message, so a flow that asks for an e-mail
in one turn and uses it in the next needs the value back. Such slots are stored encrypted
(Fernet: AES-128-CBC + HMAC-SHA256) with a key from `TRACKER_SLOT_ENCRYPTION_KEY`, and decrypted
when the conversation is loaded; the database never holds them in clear.
"""

import base64
import logging
import os
from typing import Any, Optional

from cryptography.fernet import Fernet, InvalidToken

logger = logging.getLogger(__name__)

KEY_ENV = "TRACKER_SLOT_ENCRYPTION_KEY"
PREFIX = "enc:v1:"


class SlotCipher:
    """Encrypts slot values for storage and decrypts them on load."""

    def __init__(self, key: Optional[str] = None) -> None:
        """Uses `key` (urlsafe base64 of 32 bytes); without one, a per-process key and a warning."""
        if not key:
            logger.warning(
                "%s is not set: contact slots are encrypted with a key that lives only as long "
                "as this process, so conversations reloaded after a restart or by another Rasa "
                "server lose them. Set it to 32 random bytes in urlsafe base64 (see README).",
                KEY_ENV,
            )
            key = Fernet.generate_key().decode()
        try:
            if len(base64.urlsafe_b64decode(key.encode())) != 32:
                raise ValueError("the key must decode to 32 bytes")
            self._fernet = Fernet(key.encode())
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{KEY_ENV} must be 32 random bytes in urlsafe base64 (44 characters): {error}"
            ) from error

    def encrypt(self, value: str) -> str:
        """The stored form of `value`."""
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, stored: Any) -> Any:
        """The original value of something `encrypt` produced; other values pass unchanged.

        A value encrypted under another key (a rotated key) can't be read and loads as None.
        """
        if not isinstance(stored, str) or not stored.startswith(PREFIX):
            return stored
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken:
            logger.warning("A stored slot value could not be decrypted (key changed?)")
            return None


def cipher_from_env() -> SlotCipher:
    """The cipher configured by `TRACKER_SLOT_ENCRYPTION_KEY`."""
    return SlotCipher(os.environ.get(KEY_ENV, "").strip() or None)
