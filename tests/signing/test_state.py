"""The signing state token between prepare and finish: it cannot be forged, moved or kept forever."""

from __future__ import annotations

import pytest

from service.errors import BadInput
from service.signing.state import read_token, sign_token

SECRET = "a-test-secret-of-some-length"


def test_the_token_gives_back_its_payload() -> None:
    token = sign_token(SECRET, {"prepared_sha256": "ab" * 32}, user=7, subject="file:x")
    payload = read_token(SECRET, token, user=7, subject="file:x")
    assert (payload["prepared_sha256"], payload["user"], payload["subject"]) == ("ab" * 32, 7, "file:x")


@pytest.mark.parametrize(("user", "subject", "secret", "message"), [
    (8, "file:x", SECRET, "belongs to another document"),
    (7, "file:y", SECRET, "belongs to another document"),
    (7, "file:x", "another-secret", "not valid"),
])
def test_another_user_object_or_secret_is_refused(user: int, subject: str, secret: str, message: str) -> None:
    token = sign_token(SECRET, {"a": 1}, user=7, subject="file:x")
    with pytest.raises(BadInput, match=message):
        read_token(secret, token, user=user, subject=subject)


def test_a_changed_payload_or_an_expired_token_is_refused() -> None:
    body, _, mac = sign_token(SECRET, {"a": 1}, user=7, subject="file:x").partition(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac
    with pytest.raises(BadInput, match="not valid"):
        read_token(SECRET, forged, user=7, subject="file:x")
    old = sign_token(SECRET, {"a": 1}, user=7, subject="file:x", ttl_s=-1)
    with pytest.raises(BadInput, match="expired"):
        read_token(SECRET, old, user=7, subject="file:x")
