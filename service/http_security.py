"""Security headers on every response (Content-Security-Policy, nosniff, frame-ancestors/X-Frame-Options,
Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy). The policy allows scripts and styles
only from this site's files, the API docs page included (Swagger UI served from a package, no CDN:
:mod:`service.api.docs`). :func:`service.app.create_app` adds the middleware.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CONTENT_SECURITY_POLICY", "SecurityHeadersMiddleware", "content_security_policy", "security_headers"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
"""The policy of every response, the API docs page included: scripts and styles only from this site's files
(no inline script, handler or ``style`` attribute: the UI sets dynamic sizes through the CSSOM from
``app.js``), no plugins, no framing, forms only to this site."""


def content_security_policy() -> str:
    return CONTENT_SECURITY_POLICY


_STATIC_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def security_headers() -> dict[str, str]:
    """The security headers of every response.

    The middleware adds them to every response that goes through the application; the last-resort 500
    handler (``service.app``) sets them itself, because starlette's ServerErrorMiddleware answers outside
    every middleware added with ``add_middleware``."""
    return {"content-security-policy": CONTENT_SECURITY_POLICY, **{k.decode(): v.decode() for k, v in _STATIC_HEADERS}}


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (streaming-safe): adds the security headers a response does not set itself."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = [(k.encode(), v.encode()) for k, v in security_headers().items()]

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in wanted:
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
