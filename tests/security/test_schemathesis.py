"""schemathesis against the service's own OpenAPI schema, in-process (ASGI), bounded: every operation gets
generated requests (valid and invalid by the schema) as nobody and as a teacher, a secretary, a commission
member and an administrator. No response may be a 5xx; every error has the service's error format."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.security.conftest import PASSWORDS

MAX_EXAMPLES = 10  # per operation; each example is sent once per identity
TIME_LIMIT_S = 150.0  # the whole run; generation stops (and says so) if the machine is too slow
IDENTITIES = ("anonymous", "teacher", "secretary", "commission", "admin")


def _session(app: Any, username: str) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    client = TestClient(app)
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert r.status_code == 200, r.text
    return {"cookies": {"attest_session": r.cookies["attest_session"]},
            "headers": {"X-CSRF-Token": r.json()["csrf_token"]}}


@pytest.mark.slow
def test_no_server_errors_for_generated_requests(app: Any) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    identities = {"anonymous": {"cookies": {}, "headers": {}}}
    identities.update({name: _session(app, name) for name in IDENTITIES[1:]})
    started = time.monotonic()
    counter = [0]
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(ops) for ops in app.openapi()["paths"].values())
    covered = 0
    for operation in operations:
        if time.monotonic() - started > TIME_LIMIT_S:
            break
        _runner(operation, identities, failures, counter)()
        covered += 1
    assert failures == [], "\n".join(failures[:20])
    assert covered == len(operations), f"only {covered}/{len(operations)} operations within {TIME_LIMIT_S} s"
    assert counter[0] >= len(operations) * len(IDENTITIES)
    print(f"\nschemathesis: {len(operations)} operations, {counter[0]} requests, {time.monotonic() - started:.1f} s")


def _runner(operation: Any, identities: dict[str, Any], failures: list[str], counter: list[int]) -> Any:
    from hypothesis import HealthCheck, Phase, given, settings

    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        for who, ident in identities.items():
            if label == "POST /api/v1/auth/logout" and who != "anonymous":
                continue  # would end the session the other operations use
            try:
                response = case.call(headers=ident["headers"], cookies=ident["cookies"])
            except Exception as exc:  # noqa: BLE001  (the app raised: a 500 in production)
                failures.append(f"{label} as {who}: {type(exc).__name__}: {exc}"[:400])
                continue
            counter[0] += 1
            if response.status_code >= 500:
                failures.append(f"{label} as {who}: {response.status_code} {response.text[:300]}")
            elif response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                body = response.json()
                if not (isinstance(body, dict) and {"error", "message"} <= set(body)):
                    failures.append(f"{label} as {who}: {response.status_code} without the error format")

    return run
