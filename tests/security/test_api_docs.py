"""The API docs page (Swagger UI) works without internet and under the pages' policy: its script and
styles come from the swagger-ui-bundle-v2 package through this server, its start-up code is a file,
and nothing on the page points to another host. (tests/browser/test_csp.py renders it in Chromium.)"""

from __future__ import annotations

import re
from typing import Any

from tests.security.conftest import make_client


def test_api_docs_are_served_from_the_package_with_no_inline_code(app: Any) -> None:
    from swagger_ui_bundle import swagger_ui_path

    from service.http_security import CONTENT_SECURITY_POLICY

    client = make_client(app)
    r = client.get("/api/v1/docs")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    html = r.text
    assert re.findall(r"""(?:src|href)="([^"]+)\"""", html) == [
        "/api/v1/docs/assets/swagger-ui.css", "/api/v1/docs/assets/favicon-32x32.png",
        "/api/v1/docs/assets/swagger-ui-bundle.js", "/api/v1/docs/init.js"]
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # every script is a file
    assert re.search(r"\sstyle=|<style|\son[a-z]+=", html) is None

    bundle = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
    assert bundle.content == (swagger_ui_path / "swagger-ui-bundle.js").read_bytes()
    assert bundle.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    css = client.get("/api/v1/docs/assets/swagger-ui.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    init = client.get("/api/v1/docs/init.js")
    assert init.status_code == 200 and init.headers["content-type"].startswith("text/javascript")
    assert 'SwaggerUIBundle({' in init.text and 'getAttribute("data-openapi-url")' in init.text
    assert "validatorUrl: null" in init.text  # no call to the public validator
    assert client.get("/api/v1/docs/assets/../../../service/settings.py").status_code == 404
