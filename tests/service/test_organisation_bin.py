"""An organisation's BIN (issue 15): the Kazakh control digit, the column (migration 0005 on SQLite and
PostgreSQL, the demo organisations seeded with valid BINs), the secretary's «Бланк организации» form with
a plain ru/kk error, and the BIN the signer rules compare with (signing: NCALayer's signerParams and the
refusal of another organisation's key; uploads: the region's Methodological Centre)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo_app import demo_client
from tests.service.conftest import BACKENDS, _database_url, seeded_database
from verification.signatures.identity import iin_bin_valid


@pytest.mark.parametrize(("value", "valid"), [
    ("971240001315", True),   # a published bank BIN (weights 1…11)
    ("940140000385", True),   # another
    ("990240001128", True),   # the test PKI's organisation (samples/pki.py)
    ("971240001316", False),  # the last digit changed
    ("971240001351", False),  # two digits swapped
    ("97124000131", False),   # 11 digits
    ("9712400013150", False),  # 13 digits
    ("97124000131a", False),
    ("９７１２４０００１３１５", False),  # full-width digits are not typed into a BIN
    ("000000000000", True),
    ("000000000100", False),  # weighted 1…11 the sum is 10: weighted 3…11, 1, 2 it is 1, the control digit
    ("000000000101", True),
])
def test_control_digit(value: str, valid: bool) -> None:
    assert iin_bin_valid(value) is valid


@pytest.fixture(scope="module", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = _database_url(request.param, tmp_path_factory.mktemp(f"bin-{request.param}"))
    with seeded_database(url):
        yield request.param


def test_migration_adds_the_column_and_the_demo_organisations_have_valid_bins(database: str) -> None:
    import sqlalchemy as sa

    from service.db import get_engine, session_scope
    from service.reference.service import expected_organisations

    columns = {c["name"]: c for c in sa.inspect(get_engine()).get_columns("organisations")}
    assert "bin" in columns and columns["bin"]["nullable"] is False
    with get_engine().connect() as conn:
        bins = dict(conn.execute(sa.text("select code, bin from organisations order by code")).all())
        revision = conn.execute(sa.text("select version_num from alembic_version")).scalar()
    assert revision == "0005_organisation_bin"
    assert bins == {"AC-ZHA": "981140001006", "MC-ZHA": "990240001128", "SCH-TARAZ-12": "120340011001"}
    assert all(iin_bin_valid(b) for b in bins.values())
    with session_scope() as db:
        from service.accounts.models import Organisation

        region = db.scalar(sa.select(Organisation.region_id).where(Organisation.code == "SCH-TARAZ-12"))
        assert expected_organisations(db, region) == {"methodological_centre": "990240001128"}
        assert expected_organisations(db, None) == {}


def test_uploads_to_a_dossier_are_checked_against_the_regions_methodological_centre(database: str) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from service.accounts.models import Organisation, User
    from service.db import session_scope
    from service.dossier.models import Dossier
    from service.dossier.tasks import _expected_signers
    from verification.signatures.signer_rule import ExpectedSigners

    with session_scope() as db:
        teacher = db.scalar(sa.select(User).where(User.username == "teacher"))
        dossier = Dossier(teacher_user_id=teacher.id, organisation_id=teacher.organisation_id, profile="kz-researcher",
                          period_start=dt.date(2022, 9, 1), period_end=dt.date(2027, 8, 31))
        db.add(dossier)
        db.flush()
        dossier_id = dossier.id
    assert _expected_signers(dossier_id) == ExpectedSigners(organisations={"methodological_centre": "990240001128"})
    assert _expected_signers(None) is None and _expected_signers("no-such-dossier") is None
    with session_scope() as db:  # a centre whose BIN is not entered: nothing to compare with
        db.execute(sa.update(Organisation).where(Organisation.code == "MC-ZHA").values(bin=""))
    try:
        assert _expected_signers(dossier_id) is None
    finally:
        with session_scope() as db:
            db.execute(sa.update(Organisation).where(Organisation.code == "MC-ZHA").values(bin="990240001128"))


def test_migration_downgrades_and_upgrades_again(database: str) -> None:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from service.db import MIGRATIONS_DIR, get_engine

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", get_engine().url.render_as_string(hide_password=False))
    command.downgrade(cfg, "0004_letterheads")
    assert "bin" not in {c["name"] for c in sa.inspect(get_engine()).get_columns("organisations")}
    command.upgrade(cfg, "head")
    assert "bin" in {c["name"] for c in sa.inspect(get_engine()).get_columns("organisations")}


# ------------------------------------------------------------------ the secretary's form


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with demo_client(tmp_path_factory.mktemp("bin-pages")) as c:
        yield c


def _token(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match
    return match.group(1)


def _form(text: str) -> dict[str, str]:
    """The letterhead form's current values (inputs and textareas)."""
    values = {m[0]: html.unescape(m[1]) for m in re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', text)}
    values.update({m[0]: html.unescape(m[1]) for m in
                   re.findall(r'<textarea[^>]*name="([a-z_]+)"[^>]*>([^<]*)</textarea>', text)})
    return values


def test_the_secretary_sets_the_bin_and_a_wrong_one_is_explained(client: Any) -> None:
    from service.accounts.models import Organisation
    from service.db import session_scope

    client.cookies.clear()
    token = _token(client.get("/login").text)
    client.post("/login", data={"username": "secretary", "password": "secretary-demo-2024", "csrf_token": token})
    page = client.get("/reference?kind=organisation")
    assert page.status_code == 200
    values = _form(page.text)
    assert values["bin"] == "990240001128"
    assert "БИН организации" in page.text

    for lang, message in (
        ("ru", ("Это не БИН: нужно 12 цифр, и последняя — контрольная цифра первых одиннадцати. "
                "Проверьте номер по свидетельству о регистрации.")),
        ("kk", ("Бұл БСН емес: 12 цифр қажет, соңғысы — алғашқы он бірінің бақылау цифры. "
                "Нөмірді тіркеу туралы куәлік бойынша тексеріңіз.")),
    ):
        for wrong in ("990240001122", "99024000112", "BIN990240001128"):
            r = client.post(f"/reference/organisation?lang={lang}",
                            data={**values, "bin": wrong, "csrf_token": _token(page.text)})
            assert r.status_code == 422, (lang, wrong)
            assert 'id="err-bin"' in r.text
            assert message in html.unescape(r.text)
            assert f'value="{wrong}"' in r.text  # what she typed stays in the field
    with session_scope() as db:
        assert db.scalar(__import__("sqlalchemy").select(Organisation.bin).where(Organisation.code == "MC-ZHA")) \
            == "990240001128"

    r = client.post("/reference/organisation", data={**values, "bin": "9712 4000 1315",
                                                     "csrf_token": _token(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _form(client.get("/reference?kind=organisation").text)["bin"] == "971240001315"
    r = client.post("/reference/organisation", data={**values, "bin": "", "csrf_token": _token(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    with session_scope() as db:
        assert db.scalar(__import__("sqlalchemy").select(Organisation.bin).where(Organisation.code == "MC-ZHA")) == ""
