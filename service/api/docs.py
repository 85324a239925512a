"""The OpenAPI docs page (Swagger UI) at /api/v1/docs, served from the ``swagger-ui-bundle-v2`` package
instead of a CDN: it works in an office without internet, and with no inline script it runs under the
pages' Content-Security-Policy (:mod:`service.http_security`). :func:`service.app.create_app` installs it."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["DOCS_PATH", "install_api_docs"]

DOCS_PATH = "/api/v1/docs"

_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{docs_path}/init.js"></script>
</body>
</html>
"""

_DOCS_INIT = """"use strict";
(function () {
  var box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: box.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
"""


def install_api_docs(app: Any, docs_path: str = DOCS_PATH) -> None:
    """The docs page, its init script and the Swagger UI assets, outside the OpenAPI schema."""
    assets = f"{docs_path}/assets"
    page = _DOCS_PAGE.format(title=escape(app.title), assets=assets, docs_path=docs_path,
                             openapi_url=escape(app.openapi_url or ""))

    async def docs() -> HTMLResponse:
        return HTMLResponse(page)

    async def init() -> Response:
        return Response(_DOCS_INIT, media_type="text/javascript")

    app.add_api_route(docs_path, docs, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route(f"{docs_path}/init.js", init, methods=["GET"], include_in_schema=False)
    app.mount(assets, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
