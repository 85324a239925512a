"""Refused rows of a batch table in the secretary's language: a real CSV through the batch reader and the
schemas (pydantic's English messages, as the job stores them), then the batch job page in Russian and
Kazakh — every message names the row and the column and says how to fix the cell."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.web.i18n import batch_row_problem, translate
from tests.demo_app import demo_client

GOOD = {
    "organization.code": "MC-ZHM", "organization.name": "Методический центр", "organization.city": "г. Тараз",
    "date": "2024-04-26", "participant": "Жумабаева Айгерим Сериковна", "event_title": "Семинар",
    "event_form": "областном семинаре", "event_date": "2024-04-01", "event_place": "г. Тараз",
    "head.full_name": "Абдрахманов Е.К.", "head.position": "Директор",
}
BAD_ROWS = [  # (what changes in an otherwise good row, the row number the spreadsheet shows)
    ({"hours": "шестнадцать"}, 2),
    ({"date": "26.13.2024"}, 3),
    ({"role": "guest"}, 4),
    ({"participant": "Ж" * 501}, 5),
    ({"organization.code": "МЦ Тараз!"}, 6),
    ({"event_end_date": "2024-03-01"}, 7),
    ({"hours": "0"}, 8),
    ({"participant": ""}, 9),
    ({"colour": "red"}, 10),
    ({"hours": "900"}, 11),
]

RU = {
    2: "Строка 2, столбец «Количество часов»: нужно целое число (например, 16). Запишите его цифрами, без букв, пробелов и "
       "единиц измерения.",
    3: "Строка 3, столбец «Дата документа»: не удалось прочитать дату. Запишите её как ГГГГ-ММ-ДД (например, 2024-04-26) или "
       "введите как дату в Excel.",
    4: "Строка 4, столбец «Роль участника»: такого значения нет в списке. Впишите одно из: участник или спикер (докладчик).",
    5: "Строка 5, столбец «ФИО участника»: текст длиннее 500 символов. Сократите его.",
    6: "Строка 6, столбец «Организация: Код организации в реестре»: в коде допустимы только латинские буквы, цифры, точка, дефис и "
       "подчёркивание, от 2 до 32 знаков (например, MC-KRG). Исправьте код.",
    7: "Строка 7, столбец «Дата окончания»: эта дата раньше даты в столбце «Дата мероприятия». Проверьте обе даты.",
    8: "Строка 8, столбец «Количество часов»: число должно быть не меньше 1. Исправьте его.",
    9: "Строка 9: не заполнен столбец «ФИО участника». Впишите значение в эту ячейку (если такого столбца нет, "
       "добавьте его, как в шаблоне таблицы).",
    10: "Строка 10: столбца «colour» нет среди полей этого документа. Исправьте название столбца по шаблону таблицы "
        "или удалите столбец.",
    11: "Строка 11, столбец «Количество часов»: число должно быть не больше 500. Исправьте его.",
}
KK = {
    2: "2-жол, «Сағат саны» бағаны: бүтін сан керек (мысалы, 16). Оны әріпсіз, бос орынсыз және өлшем бірлігінсіз "
       "цифрмен жазыңыз.",
    3: "3-жол, «Құжат күні» бағаны: күнді оқу мүмкін болмады. Оны ЖЖЖЖ-АА-КК түрінде жазыңыз (мысалы, 2024-04-26) немесе "
       "Excel-де күн ретінде енгізіңіз.",
    4: "4-жол, «Қатысушының рөлі» бағаны: мұндай мән тізімде жоқ. Мыналардың бірін жазыңыз: қатысушы немесе спикер (баяндамашы).",
    5: "5-жол, «Қатысушының аты-жөні» бағаны: мәтін 500 таңбадан ұзын. Оны қысқартыңыз.",
    6: "6-жол, «Ұйым: Ұйымның тізілімдегі коды» бағаны: кодта тек латын әріптері, цифрлар, нүкте, сызықша және астыңғы сызық "
       "болуы мүмкін, 2-ден 32 таңбаға дейін (мысалы, MC-KRG). Кодты түзетіңіз.",
    7: "7-жол, «Аяқталу күні» бағаны: бұл күн «Іс-шара күні» бағанындағы күннен ерте. Екі күнді де тексеріңіз.",
    8: "8-жол, «Сағат саны» бағаны: сан кемінде 1 болуы керек. Оны түзетіңіз.",
    9: "9-жол: «Қатысушының аты-жөні» бағаны толтырылмаған. Осы ұяшыққа мән жазыңыз (мұндай баған болмаса, оны кесте "
       "үлгісіндегідей қосыңыз).",
    10: "10-жол: «colour» бағаны осы құжаттың өрістерінің арасында жоқ. Баған атауын кесте үлгісі бойынша "
        "түзетіңіз немесе бағанды жойыңыз.",
    11: "11-жол, «Сағат саны» бағаны: сан 500 мәнінен аспауы керек. Оны түзетіңіз.",
}


def _table(path: Path) -> Path:
    columns = [*GOOD, "hours", "role", "event_end_date", "colour"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for change, _ in BAD_ROWS:
            writer.writerow({**GOOD, **change})
    return path


@pytest.fixture(scope="module")
def bad_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The batch's refused rows exactly as the job stores them (service.jobs.tasks: row, field, message)."""
    from service.generation.service import generate_batch

    folder = tmp_path_factory.mktemp("batch-messages")
    outcome = generate_batch("certificate", _table(folder / "participants.csv"), "ru", "docx", folder / "out.zip")
    assert outcome.written == () and outcome.total_rows == len(BAD_ROWS)
    return [{"row": e.row, "field": e.field, "message": e.message} for e in outcome.errors]


def test_the_table_gives_pydantics_english_messages_one_per_bad_row(bad_rows: list[dict[str, Any]]) -> None:
    assert [e["row"] for e in bad_rows] == [row for _, row in BAD_ROWS]
    assert {e["message"] for e in bad_rows} >= {"Field required", "Extra inputs are not permitted",
                                                "String should have at most 500 characters"}


@pytest.mark.parametrize(("lang", "expected"), [("ru", RU), ("kk", KK)])
def test_each_refused_row_in_plain_words(bad_rows: list[dict[str, Any]], lang: str, expected: dict[int, str]) -> None:
    got = {e["row"]: batch_row_problem(lang, e["row"], e["field"], e["message"]) for e in bad_rows}
    assert got == expected
    # the same through the catalog call the page makes
    e = bad_rows[0]
    assert translate(lang, "batch.row_problem", row=e["row"], field=e["field"], message=e["message"]) == expected[2]


def test_english_and_messages_that_are_not_recognised() -> None:
    assert batch_row_problem("en", 4, "role", "Input should be 'participant' or 'speaker'") == (
        "Row 4, column “role”: this value is not in the list. Write one of: participant or speaker.")
    assert batch_row_problem("ru", 5, "date", "Datetimes provided to dates should have zero time - e.g. be exact "
                                              "dates") == (
        "Строка 5, столбец «Дата документа»: указаны дата и время, а нужна только дата. Уберите время (например, 2024-04-26).")
    assert batch_row_problem("kk", 6, "number", "Input should be a valid string") == (
        "6-жол, «Құжат нөмірі» бағаны: мұнда мәтін керек, ал ұяшықта сан немесе басқа мән тұр. Excel-де ұяшыққа "
        "«Мәтіндік» пішімін беріп, мәнді қайта енгізіңіз.")
    assert batch_row_problem("ru", 7, "hours", "Input should be a valid integer, got a number with a fractional "
                                               "part") == (
        "Строка 7, столбец «Количество часов»: нужно целое число, а указано дробное. Округлите его до целого.")
    # not a choice although it starts like one: the generic sentence keeps the original words
    assert batch_row_problem("ru", 8, "(document)", "Input should be a valid boolean, unable to interpret input") == (
        "Строка 8, столбец «вся строка»: значение не подходит (Input should be a valid boolean, unable to "
        "interpret input). Исправьте ячейку по образцу из шаблона таблицы.")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with demo_client(tmp_path_factory.mktemp("web-batch-messages")) as c:
        yield c


def test_the_batch_job_page_shows_them_in_the_secretarys_language(client: Any, bad_rows: list[dict[str, Any]]) -> None:
    import html
    import re

    from service.accounts.models import User
    from service.db import session_scope
    from service.jobs.models import Job

    with session_scope() as db:
        secretary = db.query(User).filter_by(username="secretary").one()
        job = Job(kind="generate_batch", state="succeeded", payload={"kind": "certificate"}, progress=1.0,
                  progress_code="done", owner_user_id=secretary.id, organisation_id=secretary.organisation_id,
                  result={"documents": 0, "rows": len(bad_rows), "bad_rows": bad_rows, "zip_file_id": None,
                          "sha256": None, "size": 0, "filename": "certificate.zip"})
        db.add(job)
        db.flush()
        job_id = job.id
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "secretary", "password": "secretary-demo-2024", "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    for lang, expected in (("ru", RU), ("kk", KK)):
        page = client.get(f"/batch/jobs/{job_id}?lang={lang}")
        assert page.status_code == 200
        cells = re.findall(r'<tr data-row="(\d+)"><td>\d+</td><td>[^<]*</td><td>([^<]*)</td></tr>',
                           page.text)
        assert {int(row): html.unescape(text) for row, text in cells} == expected, lang
        assert "Field required" not in page.text and "Input should" not in page.text
