"""Issue 15 in a real browser: the secretary signs a generated order with her own key through NCALayer.

NCALayer itself cannot run here; :class:`samples.ncalayer.NCALayerDouble` speaks its protocol on a
loopback WebSocket (plain ws://) and signs with the test PKI's RSA and GOST keys. The page's real
JavaScript (service/web/static/sign.js) talks to it; the server points the page at it through
ATTEST_NCALAYER_URL. The signed PDF is then checked with `attest verify`.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from samples.ncalayer import NCALayerDouble
from samples.signatures.external import gost_cms, rsa_cms
from tests.browser.conftest import REPO, Session, _free_port

SECRETARY_IIN = "750312400789"  # the test PKI's "organisation" signer (САТПАЕВА ГУЛЬНАРА, BIN 990240001122)
GOST_IIN = "900101400123"  # the GOST 256 signer of samples/signatures/gost.py (ЖУМАБАЕВА АЙГЕРИМ)
_SERVER_DATA: list[Path] = []


@pytest.fixture(scope="module")
def keys(test_pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from samples.signatures.gost import build_gost_cases, gost_available

    trust = tmp_path_factory.mktemp("sign-trust")
    for f in test_pki.trust_dir.iterdir():
        shutil.copy(f, trust / f.name)
    gost = None
    if gost_available():
        gost = tmp_path_factory.mktemp("sign-gost")
        build_gost_cases(gost)
        shutil.copy(gost / "trust" / "gost_root.pem", trust / "gost_root.pem")
    return {"pki": test_pki, "trust": trust, "gost": gost}


@pytest.fixture(scope="module")
def ncalayer(keys: dict[str, Any]) -> Iterator[NCALayerDouble]:
    double = NCALayerDouble(lambda data: rsa_cms(data, keys["pki"], "organisation")).start()
    yield double
    double.stop()


@pytest.fixture(scope="module")
def sign_server(ncalayer: NCALayerDouble, keys: dict[str, Any],
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`attest serve --seed-demo` whose pages point at the NCALayer test server; the secretary's IIN set."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    data = tmp_path_factory.mktemp("sign-server")
    port = _free_port()
    env = {**os.environ, "ATTEST_DATA_DIR": str(data), "ATTEST_JOB_BACKEND": "inprocess",
           "ATTEST_NCALAYER_URL": ncalayer.url, "ATTEST_NCALAYER_TIMEOUT_S": "4",
           "ATTEST_TRUST_DIR": str(keys["trust"])}
    env.pop("ATTEST_DATABASE_URL", None)
    log = (data / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--seed-demo", "--port", str(port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"attest serve did not start: {(data / 'server.log').read_text()[-2000:]}")
        time.sleep(0.3)
    db = data / "attest.db"
    _SERVER_DATA[:] = [data]
    _set_secretary_iin(db, SECRETARY_IIN)
    try:
        yield {"base": base, "db": db}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
        log.close()


def _set_secretary_iin(db: Path, iin: str) -> None:
    """What the administrator does when she registers the official's IIN."""
    with sqlite3.connect(db) as conn:
        conn.execute("update users set iin = ? where username = 'secretary'", (iin,))


def _signed_files(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from files where filename like '%.signed.pdf'").fetchone()[0])


@pytest.fixture
def session(browser: Any, sign_server: dict[str, Any]) -> Iterator[Any]:
    made: list[Session] = []

    def make(locale: str = "ru-RU", user: str = "secretary") -> Session:
        s = Session(browser, sign_server["base"], locale)
        made.append(s)
        s.login(user)
        return s

    yield make
    for s in made:
        assert not s.console_errors, f"JavaScript errors: {s.console_errors}"
        s.close()


@pytest.fixture(scope="module")
def order_file(browser: Any, sign_server: dict[str, Any]) -> str:
    """A generated, registered, unsigned order (its file id), made through the secretary's form."""
    s = Session(browser, sign_server["base"])
    try:
        s.login("secretary")
        s.goto("/documents/order?sample=1")
        s.page.click("button[value=generate]")
        s.page.wait_for_selector("[data-testid=issued]", timeout=120_000)
        href = s.page.get_attribute("[data-testid=sign-link]", "href")
        assert href is not None and href.startswith("/sign/")
        return href.rsplit("/", 1)[-1]
    finally:
        s.close()


def _press_sign(s: Session, file_id: str, lang: str = "ru") -> Any:
    if lang != "ru":
        s.goto(f"/sign/{file_id}?lang={lang}")
    else:
        s.goto(f"/sign/{file_id}")
    s.page.locator("#sign[data-ready=yes]").wait_for()
    s.page.click("[data-testid=sign-ncalayer]")
    status = s.page.locator("[data-testid=sign-status]")
    status.locator("xpath=self::*[@data-state='ok' or @data-state='bad' or @data-state='warn']").wait_for(timeout=20_000)
    return status


def _verify(path: Path, trust: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """`attest verify` on the machine of the service (its registry answers the QR code)."""
    env = {**os.environ, "ATTEST_DATA_DIR": str(_SERVER_DATA[0])}
    env.pop("ATTEST_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "service", "verify", "--json", "--trust", str(trust), "--kind", "order",
                          *extra, str(path)], check=False, cwd=REPO, env=env, capture_output=True, text=True,
                         timeout=300)
    report = json.loads(out.stdout)[0]
    report["not_passed"] = [(c["id"], c["status"], c.get("message")) for c in report["checks"]
                            if c["status"] not in ("pass", "skip")]
    return out.returncode, report


def _download_signed(s: Session, tmp_path: Path) -> Path:
    with s.page.expect_download() as d:
        s.page.click("[data-testid=sign-download]")
    path = tmp_path / "signed.pdf"
    d.value.save_as(str(path))
    return path


def test_secretary_signs_a_generated_order_with_ncalayer(session: Any, order_file: str, ncalayer: NCALayerDouble,
                                                         keys: dict[str, Any], sign_server: dict[str, Any],
                                                         tmp_path: Path) -> None:
    ncalayer.mode, ncalayer.requests[:] = "sign", []
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")
    s = session()
    status = _press_sign(s, order_file)
    assert status.get_attribute("data-state") == "ok"
    assert status.inner_text() == "Документ подписан ЭЦП (САТПАЕВА ГУЛЬНАРА) и зарегистрирован."
    [request] = ncalayer.requests
    assert (request["module"], request["method"]) == ("kz.gov.pki.knca.basics", "sign")
    assert request["args"]["signerParams"]["iin"] == SECRETARY_IIN
    assert request["args"]["signerParams"]["extKeyUsageOids"] == ["1.3.6.1.5.5.7.3.4"]
    assert request["args"]["signingParams"] == {"decode": True, "encapsulate": False, "digested": False,
                                                "tsaProfile": None}
    s.shot("sign-order-ru")
    signed = _download_signed(s, tmp_path)
    rc, report = _verify(signed, keys["trust"], "--expect-signer", f"head={SECRETARY_IIN}",
                         "--expect-org", "methodological_centre=990240001122")
    assert rc == 0, report["not_passed"]
    [sig] = report["signatures"]
    assert (sig["indication"], sig["signer"]["iin"], sig["signer"]["bin"]) == ("TOTAL_PASSED", SECRETARY_IIN,
                                                                                "990240001122")
    rule = [c for c in report["checks"] if c["id"] == "signature.signer_rule"]
    assert [c["status"] for c in rule] == ["pass"]


def test_kazakh_page_signs_with_a_gost_key(session: Any, order_file: str, ncalayer: NCALayerDouble,
                                           keys: dict[str, Any], sign_server: dict[str, Any], tmp_path: Path) -> None:
    if keys["gost"] is None:
        pytest.skip("openssl with the GOST engine is not installed")
    _set_secretary_iin(sign_server["db"], GOST_IIN)
    try:
        ncalayer.mode = "sign"
        ncalayer.signer = lambda data: gost_cms(data, keys["gost"], "gost256", 256)
        s = session("kk-KZ")
        status = _press_sign(s, order_file, "kk")
        assert status.get_attribute("data-state") == "ok", status.inner_text()
        assert status.inner_text() == "Құжатқа ЭЦҚ-мен қол қойылды (ЖУМАБАЕВА АЙГЕРИМ) және тіркелді."
        assert s.page.inner_text("[data-testid=sign-ncalayer]") == "ЭЦҚ-мен қол қою"
        s.shot("sign-order-kk-gost")
        rc, report = _verify(_download_signed(s, tmp_path), keys["trust"])
        assert rc == 0, report["not_passed"]
        [sig] = report["signatures"]
        assert (sig["indication"], sig["algorithm"], sig["signer"]["iin"]) == (
            "TOTAL_PASSED", "GOST R 34.10-2012 (256) with Streebog-256", GOST_IIN)
    finally:
        _set_secretary_iin(sign_server["db"], SECRETARY_IIN)


def test_older_ncalayer_without_basics_gets_the_common_utils_call(session: Any, order_file: str,
                                                                  ncalayer: NCALayerDouble, keys: dict[str, Any]) -> None:
    ncalayer.mode, ncalayer.requests[:] = "no_basics", []
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")
    s = session()
    status = _press_sign(s, order_file)
    assert status.get_attribute("data-state") == "ok", status.inner_text()
    assert [(r["module"], r["method"]) for r in ncalayer.requests] == [
        ("kz.gov.pki.knca.basics", "sign"), ("kz.gov.pki.knca.commonUtils", "createCAdESFromBase64")]
    assert ncalayer.requests[1]["args"][:2] == ["PKCS12", "SIGNATURE"] and ncalayer.requests[1]["args"][3] is False


def test_ncalayer_absent_says_what_to_install(session: Any, order_file: str, ncalayer: NCALayerDouble,
                                              sign_server: dict[str, Any]) -> None:
    before = _signed_files(sign_server["db"])
    ncalayer.stop()
    try:
        s = session()
        status = _press_sign(s, order_file)
        assert status.get_attribute("data-state") == "bad"
        assert status.inner_text().startswith("NCALayer не запущен или не установлен. Запустите NCALayer (или "
                                              "установите его с pki.gov.kz)")
        assert "pki.gov.kz" in s.page.inner_text("[data-testid=sign-elsewhere]")
        s.shot("sign-ncalayer-absent-ru")
    finally:
        ncalayer.start()
    assert _signed_files(sign_server["db"]) == before


def test_user_cancels_in_ncalayer(session: Any, order_file: str, ncalayer: NCALayerDouble,
                                  sign_server: dict[str, Any]) -> None:
    before = _signed_files(sign_server["db"])
    ncalayer.mode = "cancel"
    s = session("kk-KZ")
    status = _press_sign(s, order_file, "kk")
    assert status.get_attribute("data-state") == "warn"
    assert status.inner_text() == "Қол қою тоқтатылды. Құжатқа қол қойылмады; қайталап көруге болады."
    s.shot("sign-cancelled-kk")
    assert _signed_files(sign_server["db"]) == before


def test_ncalayer_that_never_answers_times_out(session: Any, order_file: str, ncalayer: NCALayerDouble) -> None:
    ncalayer.mode = "hang"
    s = session()
    status = _press_sign(s, order_file)
    assert status.inner_text().startswith("NCALayer не ответил вовремя.")


def test_someone_elses_key_is_refused_and_nothing_stored(session: Any, order_file: str, ncalayer: NCALayerDouble,
                                                         keys: dict[str, Any], sign_server: dict[str, Any]) -> None:
    before = _signed_files(sign_server["db"])
    ncalayer.mode = "sign"
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "signer")  # ЖУМАБАЕВА's key, not the secretary's
    s = session()
    status = _press_sign(s, order_file)
    assert status.get_attribute("data-state") == "bad"
    assert status.inner_text().startswith("Подпись сделана чужим ключом")
    assert s.page.is_hidden("[data-testid=sign-download]")
    s.shot("sign-wrong-key-ru")
    assert _signed_files(sign_server["db"]) == before


def test_a_cms_over_other_bytes_is_refused_and_nothing_stored(session: Any, order_file: str,
                                                              ncalayer: NCALayerDouble, keys: dict[str, Any],
                                                              sign_server: dict[str, Any]) -> None:
    before = _signed_files(sign_server["db"])
    ncalayer.mode = "other_bytes"
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")
    s = session()
    status = _press_sign(s, order_file)
    assert status.get_attribute("data-state") == "bad"
    assert status.inner_text() == ("Подпись сделана для других данных, не для этого документа. Ничего не сохранено; "
                                   "подпишите заново.")
    assert _signed_files(sign_server["db"]) == before


def test_signature_made_elsewhere_is_uploaded(session: Any, order_file: str, keys: dict[str, Any],
                                              sign_server: dict[str, Any], tmp_path: Path) -> None:
    before = _signed_files(sign_server["db"])
    s = session()
    s.goto(f"/sign/{order_file}")
    s.page.locator("#sign[data-ready=yes]").wait_for()
    with s.page.expect_download() as d:
        s.page.click("[data-testid=sign-tbs]")
    tbs = tmp_path / "document-to-sign.bin"
    d.value.save_as(str(tbs))
    sig = tmp_path / "order.p7s"
    sig.write_bytes(rsa_cms(tbs.read_bytes(), keys["pki"], "organisation", outform="PEM"))
    s.page.set_input_files("[data-testid=sign-upload]", str(sig))
    s.page.click("[data-testid=sign-upload-submit]")
    status = s.page.locator("[data-testid=sign-status][data-state=ok]")
    status.wait_for(timeout=20_000)
    assert _signed_files(sign_server["db"]) == before + 1
    rc, report = _verify(_download_signed(s, tmp_path), keys["trust"])
    assert rc == 0 and report["signatures"][0]["signer"]["iin"] == SECRETARY_IIN


def test_registry_row_leads_to_the_signing_page(session: Any, order_file: str) -> None:
    s = session()
    s.goto(f"/sign/{order_file}")
    document_id = s.page.inner_text("#sign dd.mono").strip()
    s.goto("/registry")
    s.page.click(f"a[href='/sign/document/{document_id}']")
    s.page.wait_for_selector("[data-testid=sign-ncalayer]")
    assert s.page.url.split("/sign/", 1)[1] != f"document/{document_id}"
    assert s.page.inner_text("#sign dd.mono").strip() == document_id


TEACHER_IIN = "900101400123"  # the demo teacher Жумабаева: the test PKI's "signer" key is hers


def test_teacher_signs_her_dossier_submission_and_the_commission_signs_its_decision(
        session: Any, ncalayer: NCALayerDouble, keys: dict[str, Any], sign_server: dict[str, Any],
        tmp_path: Path) -> None:
    from samples.signatures.documents import certificate_pdf

    evidence = tmp_path / "certificate.pdf"
    evidence.write_bytes(certificate_pdf("СЕРТИФИКАТ УЧАСТНИКА"))
    t = session(user="teacher")
    t.goto("/dossiers")
    t.page.select_option("#f-profile", "kz-researcher")
    t.page.fill("#f-period_start", "2022-09-01")
    t.page.fill("#f-period_end", "2027-08-31")
    t.page.click("form[action='/dossiers'] button[type=submit]")
    t.page.wait_for_url("**/dossiers/*")
    dossier_id = t.page.url.split("/dossiers/", 1)[1].split("?", 1)[0].split("/", 1)[0]
    t.page.set_input_files("#files-input", [str(evidence)])
    t.page.locator("[data-testid=file]").first.wait_for()
    t.page.locator("#live[data-pending='0']").wait_for(state="attached", timeout=150_000)

    ncalayer.mode, ncalayer.requests[:] = "sign", []
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")  # someone else's key first
    t.page.click("[data-testid=sign-submit-link]")
    t.page.locator("#sign[data-ready=yes]").wait_for()
    t.page.click("[data-testid=sign-ncalayer]")
    status = t.page.locator("[data-testid=sign-status]")
    status.locator("xpath=self::*[@data-state='ok' or @data-state='bad']").wait_for(timeout=20_000)
    assert status.inner_text().startswith("Подпись сделана чужим ключом")
    manifest = json.loads(__import__("base64").b64decode(ncalayer.requests[0]["args"]["data"]))
    assert (manifest["type"], manifest["teacher_iin"], [f["name"] for f in manifest["files"]]) == (
        "attest.dossier.submission", TEACHER_IIN, ["certificate.pdf"])
    assert ncalayer.requests[0]["args"]["signerParams"]["iin"] == TEACHER_IIN

    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "signer")
    t.page.click("[data-testid=sign-ncalayer]")
    status.locator("xpath=self::*[@data-state='ok']").wait_for(timeout=20_000)
    assert status.inner_text() == "Портфолио подписано ЭЦП (ЖУМАБАЕВА АЙГЕРИМ) и отправлено в комиссию."
    t.shot("sign-dossier-submission-ru")
    t.page.click("[data-testid=sign-download]")
    t.page.wait_for_url(f"**/dossiers/{dossier_id}")
    assert t.page.locator("[data-testid=sign-submit-link]").count() == 0  # submitted: no longer editable

    c = session(user="commission")
    c.goto(f"/review/{dossier_id}")
    notice = c.page.locator("[data-testid=submission-signature]")
    assert notice.get_attribute("class") == "notice ok"
    assert notice.inner_text().startswith("Подано и подписано ЭЦП: ЖУМАБАЕВА АЙГЕРИМ, ИИН ********0123, ")
    c.shot("sign-dossier-commission-ru")

    # the commission member signs the decision with her own key (the administrator registered her IIN)
    with sqlite3.connect(sign_server["db"]) as conn:
        conn.execute("update users set iin = ? where username = 'commission'", (SECRETARY_IIN,))
    ncalayer.requests[:] = []
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")
    c.page.check("input[name=decision][value=approved]")
    c.page.click("[data-testid=sign-decision]")
    c.page.locator("#sign[data-ready=yes]").wait_for()
    c.page.click("[data-testid=sign-ncalayer]")
    status = c.page.locator("[data-testid=sign-status]")
    status.locator("xpath=self::*[@data-state='ok' or @data-state='bad']").wait_for(timeout=20_000)
    assert status.inner_text() == "Решение подписано ЭЦП (САТПАЕВА ГУЛЬНАРА) и записано.", status.inner_text()
    decision = json.loads(__import__("base64").b64decode(ncalayer.requests[0]["args"]["data"]))
    assert (decision["type"], decision["decision"], decision["member_iin"]) == (
        "attest.dossier.decision", "approved", SECRETARY_IIN)
    assert len(decision["submission_manifest_sha256"]) == 64
    c.shot("sign-decision-ru")
    c.page.click("[data-testid=sign-download]")
    c.page.wait_for_url(f"**/review/{dossier_id}")
    assert c.page.inner_text("[data-testid=decision-signature]").startswith(
        "Решение подписано ЭЦП: САТПАЕВА ГУЛЬНАРА, ИИН ********0789, ")
    assert c.page.locator("[data-testid=decision]").count() == 1


# ------------------------------------------------------------------ CryptoPro (Russia), through a test double

CRYPTOPRO_DOUBLE = REPO / "samples" / "cryptopro_double.js"


def _with_cryptopro(s: Session, keys: dict[str, Any], mode: str = "sign") -> list[str]:
    """The CryptoPro plug-in double in this page: one GOST 512 certificate (the GOST engine's Russian key)."""
    signed_with: list[str] = []

    def sign(data_b64: str, thumbprint: str) -> str:
        import base64

        signed_with.append(thumbprint)
        return base64.b64encode(gost_cms(base64.b64decode(data_b64), keys["gost"], "gost512", 512)).decode()

    config = {"mode": mode, "certificates": [
        {"subject": "CN=Иванова Мария Петровна, O=МБОУ СОШ № 5, C=RU", "thumbprint": "A1B2C3", "validTo": "2044-01-01",
         "hasPrivateKey": False, "keyAlgorithm": "1.2.643.7.1.1.1.2"},  # no private key here: skipped
        {"subject": "CN=Иванова Мария Петровна, O=МБОУ СОШ № 5, C=RU", "thumbprint": "D4E5F6", "validTo": "2044-01-01",
         "hasPrivateKey": True, "keyAlgorithm": "1.2.643.7.1.1.1.2"}]}
    s.page.expose_function("__cadesSign", sign)
    s.page.add_init_script(f"window.__cadesConfig = {json.dumps(config)};")
    s.page.add_init_script(path=str(CRYPTOPRO_DOUBLE))
    return signed_with


def _press_cryptopro(s: Session, file_id: str, lang: str = "ru") -> Any:
    s.goto(f"/sign/{file_id}?lang={lang}")
    s.page.locator("#sign[data-ready=yes]").wait_for()
    s.page.click("[data-testid=sign-cryptopro]")
    status = s.page.locator("[data-testid=sign-status]")
    status.locator("xpath=self::*[@data-state='ok' or @data-state='bad' or @data-state='warn']").wait_for(timeout=20_000)
    return status


def test_russian_official_signs_with_cryptopro_gost_2012_512(session: Any, order_file: str, keys: dict[str, Any],
                                                             sign_server: dict[str, Any], tmp_path: Path) -> None:
    if keys["gost"] is None:
        pytest.skip("openssl with the GOST engine is not installed")
    with sqlite3.connect(sign_server["db"]) as conn:  # a Russian official: no IIN on her account
        conn.execute("update users set iin = null where username = 'secretary'")
    try:
        s = session()
        used = _with_cryptopro(s, keys)
        status = _press_cryptopro(s, order_file)
        assert status.get_attribute("data-state") == "ok", status.inner_text()
        assert status.inner_text() == "Документ подписан ЭЦП (Иванова Мария Петровна) и зарегистрирован."
        assert used == ["D4E5F6"]
        calls = s.page.evaluate("window.__cadesCalls")
        assert calls[0] == ["Store.Open", 2, "My", 2]
        assert calls[-1] == ["SignHash", 102, 1, 1, "D4E5F6"]  # Streebog-512 for the 512-bit key, base64, CAdES-BES
        s.shot("sign-cryptopro-ru")
        rc, report = _verify(_download_signed(s, tmp_path), keys["trust"])
        assert rc == 0, report["not_passed"]
        [sig] = report["signatures"]
        assert (sig["indication"], sig["algorithm"], sig["signer"]["common_name"]) == (
            "TOTAL_PASSED", "GOST R 34.10-2012 (512) with Streebog-512", "Иванова Мария Петровна")
    finally:
        _set_secretary_iin(sign_server["db"], SECRETARY_IIN)


def test_cryptopro_cancel_and_absent(session: Any, order_file: str, keys: dict[str, Any],
                                     sign_server: dict[str, Any]) -> None:
    before = _signed_files(sign_server["db"])
    s = session()
    _with_cryptopro(s, keys, mode="cancel")
    with sqlite3.connect(sign_server["db"]) as conn:
        conn.execute("update users set iin = null where username = 'secretary'")
    try:
        status = _press_cryptopro(s, order_file)
        assert (status.get_attribute("data-state"), status.inner_text()) == (
            "warn", "Подписание отменено. Документ не подписан; можно попробовать снова.")
        bare = session("kk-KZ")  # no plug-in in this browser
        status = _press_cryptopro(bare, order_file, "kk")
        assert status.get_attribute("data-state") == "bad"
        assert status.inner_text().startswith("КриптоПро ЭЦП Browser plug-in табылмады.")
        bare.shot("sign-cryptopro-absent-kk")
    finally:
        _set_secretary_iin(sign_server["db"], SECRETARY_IIN)
    assert _signed_files(sign_server["db"]) == before


def test_a_batch_of_five_certificates_is_signed_without_reloading(session: Any, ncalayer: NCALayerDouble,
                                                                  keys: dict[str, Any], sign_server: dict[str, Any],
                                                                  tmp_path: Path) -> None:
    s = session()
    template = s.page.request.get(s.base + "/batch/template/certificate.csv?lang=ru")
    header, example = template.text().lstrip("\ufeff").splitlines()[:2]
    names = ["Жумабаева Айгерим Сериковна", "Ермеков Нурлан Бахытович", "Садыкова Динара Ериковна",
             "Оспанов Арман Кайратович", "Ким Елена Викторовна"]
    table = tmp_path / "participants.csv"
    table.write_text("\n".join([header] + [example.replace(names[0], n) for n in names]) + "\n", encoding="utf-8")
    s.goto("/batch")
    s.page.set_input_files("#f-file", str(table))
    s.page.click("#batch-form button[type=submit]")
    s.page.wait_for_url("**/batch/jobs/**")
    s.page.locator("[data-testid=batch-job][data-state=succeeded]").wait_for(timeout=180_000)
    s.page.reload()
    s.page.click("[data-testid=sign-batch-link]")
    s.page.locator("#sign[data-ready=yes]").wait_for()
    assert s.page.locator("tr[data-sign-file]").count() == 5
    url = s.page.url

    ncalayer.mode, ncalayer.requests[:] = "sign", []
    ncalayer.signer = lambda data: rsa_cms(data, keys["pki"], "organisation")
    before = _signed_files(sign_server["db"])
    s.page.click("[data-testid=sign-ncalayer]")
    s.page.locator("[data-testid=sign-status][data-state=ok]").wait_for(timeout=60_000)
    assert s.page.url == url  # no reload
    assert s.page.inner_text("[data-testid=sign-status]") == "Подписано документов: 5 из 5."
    assert s.page.get_attribute("[data-testid=sign-progress]", "value") == "5"
    assert len(ncalayer.requests) == 5  # NCALayer asked once per document
    assert _signed_files(sign_server["db"]) == before + 5
    s.shot("sign-batch-ru")
    paths = []
    for i, link in enumerate(s.page.locator("[data-testid=sign-row-download]").all()):
        body = s.page.request.get(s.base + str(link.get_attribute("href"))).body()
        paths.append(tmp_path / f"signed-{i}.pdf")
        paths[-1].write_bytes(body)
    env = {**os.environ, "ATTEST_DATA_DIR": str(_SERVER_DATA[0])}
    env.pop("ATTEST_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "service", "verify", "--json", "--trust", str(keys["trust"]),
                          "--kind", "certificate", *map(str, paths)], check=False, cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=600)
    reports = json.loads(out.stdout)
    assert [r["signatures"][0]["indication"] for r in reports] == ["TOTAL_PASSED"] * 5
    assert {r["signatures"][0]["signer"]["iin"] for r in reports} == {SECRETARY_IIN}
    assert [c["status"] for r in reports for c in r["checks"] if c["id"] == "qr.registry"] == ["pass"] * 5
