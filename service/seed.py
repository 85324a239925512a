"""Demo organisations, accounts and data for `attest serve --seed-demo` (idempotent).

The demo passwords are printed by `attest serve`; they are for a local demonstration only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts.models import Organisation, User
from service.accounts.security import hash_password
from service.reference.models import CouncilMember, District, Event, Region

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "seed_demo", "seed_regions"]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    full_name: str
    organisation: str
    iin: str | None = None


REGIONS: tuple[tuple[str, str, str], ...] = (
    ("KZ-ABY", "Абайская область", "Абай облысы"),
    ("KZ-AKM", "Акмолинская область", "Ақмола облысы"),
    ("KZ-AKT", "Актюбинская область", "Ақтөбе облысы"),
    ("KZ-ALM", "Алматинская область", "Алматы облысы"),
    ("KZ-ATY", "Атырауская область", "Атырау облысы"),
    ("KZ-VOS", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы"),
    ("KZ-ZHA", "Жамбылская область", "Жамбыл облысы"),
    ("KZ-JET", "Жетысуская область", "Жетісу облысы"),
    ("KZ-ZAP", "Западно-Казахстанская область", "Батыс Қазақстан облысы"),
    ("KZ-KAR", "Карагандинская область", "Қарағанды облысы"),
    ("KZ-KUS", "Костанайская область", "Қостанай облысы"),
    ("KZ-KZY", "Кызылординская область", "Қызылорда облысы"),
    ("KZ-MAN", "Мангистауская область", "Маңғыстау облысы"),
    ("KZ-PAV", "Павлодарская область", "Павлодар облысы"),
    ("KZ-SEV", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы"),
    ("KZ-TUR", "Туркестанская область", "Түркістан облысы"),
    ("KZ-ULT", "Улытауская область", "Ұлытау облысы"),
    ("KZ-AST", "г. Астана", "Астана қ."),
    ("KZ-ALA", "г. Алматы", "Алматы қ."),
    ("KZ-SHY", "г. Шымкент", "Шымкент қ."),
)

ZHAMBYL_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("г. Тараз", "Тараз қ."),
    ("Байзакский район", "Байзақ ауданы"),
    ("Жамбылский район", "Жамбыл ауданы"),
    ("Кордайский район", "Қордай ауданы"),
    ("Меркенский район", "Меркі ауданы"),
    ("Таласский район", "Талас ауданы"),
)

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("secretary", "secretary-demo-2024", "secretary", "Ахметова Гульнара Сериковна", "MC-ZHA"),
    DemoAccount("teacher", "teacher-demo-2024", "teacher", "Жумабаева Айгерим Сериковна", "SCH-TARAZ-12",
                "900101400123"),
    DemoAccount("teacher2", "teacher2-demo-2024", "teacher", "Иванов Сергей Петрович", "SCH-TARAZ-12",
                "850505300456"),
    DemoAccount("commission", "commission-demo-2024", "commission", "Садыков Ерлан Маратович", "AC-ZHA"),
    DemoAccount("admin", "admin-demo-2024", "admin", "Администратор системы", "MC-ZHA"),
)

_ZHA_PARENT = ("Управление образования акимата Жамбылской области", "Жамбыл облысы әкімдігінің білім басқармасы")
LETTERHEADS: dict[str, dict[str, str]] = {
    "MC-ZHA": {
        "name_kk": "Жамбыл облысы білім басқармасының әдістемелік орталығы",
        "parent_ru": _ZHA_PARENT[0], "parent_kk": _ZHA_PARENT[1],
        "city_ru": "г. Тараз", "city_kk": "Тараз қ.",
        "council_ru": "учебно-методического совета при Методическом центре Управления образования Жамбылской области",
        "council_kk": "Жамбыл облысы білім басқармасының әдістемелік орталығы жанындағы оқу-әдістемелік кеңес",
    },
    "SCH-TARAZ-12": {
        "name_kk": "Тараз қаласының «№ 12 орта мектеп» КММ",
        "parent_ru": "Отдел образования по городу Тараз Управления образования акимата Жамбылской области",
        "parent_kk": "Жамбыл облысы әкімдігі білім басқармасының Тараз қаласы бойынша білім бөлімі",
        "city_ru": "г. Тараз", "city_kk": "Тараз қ.",
    },
    "AC-ZHA": {
        "name_kk": "Жамбыл облысы білім басқармасының аттестаттау комиссиясы",
        "parent_ru": _ZHA_PARENT[0], "parent_kk": _ZHA_PARENT[1],
        "city_ru": "г. Тараз", "city_kk": "Тараз қ.",
    },
}
"""The demo organisations' letterheads in Russian and Kazakh (the Russian name is ``ORGANISATIONS``')."""

ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("MC-ZHA", "Методический центр Управления образования Жамбылской области", "KZ-ZHA"),
    ("SCH-TARAZ-12", "КГУ «Средняя школа №12» г. Тараз", "KZ-ZHA"),
    ("AC-ZHA", "Аттестационная комиссия Управления образования Жамбылской области", "KZ-ZHA"),
)


def seed_regions(db: Session) -> dict[str, Region]:
    existing = {r.code: r for r in db.scalars(select(Region).where(Region.organisation_id.is_(None)))}
    for code, ru, kk in REGIONS:
        if code not in existing:
            existing[code] = Region(code=code, name_ru=ru, name_kk=kk, organisation_id=None)
            db.add(existing[code])
    db.flush()
    return existing


def seed_demo(db: Session) -> list[DemoAccount]:
    """Create the demo organisations, accounts and reference data if they are missing."""
    regions = seed_regions(db)
    zha = regions["KZ-ZHA"]
    if not db.scalar(select(District.id).where(District.region_id == zha.id, District.organisation_id.is_(None))):
        for ru, kk in ZHAMBYL_DISTRICTS:
            db.add(District(region_id=zha.id, name_ru=ru, name_kk=kk, organisation_id=None))
    orgs = {o.code: o for o in db.scalars(select(Organisation))}
    for code, name, region in ORGANISATIONS:
        if code not in orgs:
            orgs[code] = Organisation(code=code, name=name, region_id=regions[region].id)
            db.add(orgs[code])
        for field, value in LETTERHEADS.get(code, {}).items():
            if not getattr(orgs[code], field, ""):  # never over what a secretary typed
                setattr(orgs[code], field, value)
    db.flush()
    for acc in DEMO_ACCOUNTS:
        if db.scalar(select(User.id).where(User.username == acc.username)) is None:
            db.add(User(username=acc.username, password_hash=hash_password(acc.password), full_name=acc.full_name,
                        role=acc.role, organisation_id=orgs[acc.organisation].id, iin=acc.iin))
    mc = orgs["MC-ZHA"]
    if not db.scalar(select(CouncilMember.id).where(CouncilMember.organisation_id == mc.id)):
        for name, position, position_kk, role in (
            ("Бекова Сауле Кайратовна", "директор Методического центра", "Әдістемелік орталықтың директоры", "chair"),
            ("Ахметова Гульнара Сериковна", "методист", "әдіскер", "secretary"),
            ("Оспанов Нурлан Болатович", "методист по математике", "математика пәні бойынша әдіскер", "member"),
        ):
            db.add(CouncilMember(organisation_id=mc.id, full_name=name, position=position, position_kk=position_kk,
                                 council_role=role))
    if not db.scalar(select(Event.id).where(Event.organisation_id == mc.id)):
        taraz = db.scalar(select(District).where(District.region_id == zha.id, District.name_ru == "г. Тараз"))
        db.add(Event(organisation_id=mc.id, title="Областной семинар «Функциональная грамотность на уроках математики»",
                     date=dt.date(2024, 3, 15), form="seminar", level="regional",
                     district_id=taraz.id if taraz else None))
        db.add(Event(organisation_id=mc.id, title="Вебинар «Формативное оценивание»", date=dt.date(2024, 4, 10),
                     form="webinar", level="district"))
    db.flush()
    return list(DEMO_ACCOUNTS)
