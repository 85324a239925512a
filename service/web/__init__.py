"""The web UI: server-side pages (Jinja2) for secretaries, teachers, commissions and the public
check, in Russian, Kazakh and English, on top of the same services as the REST API.

``router`` is included by :func:`service.app.create_app`; static files are served at ``/static``.
"""

from service.web.router import router

__all__ = ["router"]
