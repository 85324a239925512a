"""The matching engine on synthetic reports: every profile complete, each requirement missing in turn,
places, duplicates (in the dossier and across dossiers), period, seals, signatures, links."""

from __future__ import annotations

import dataclasses

import pytest

from samples.dossier.reports import PERIOD, TEACHER, complete_evidence, make_report, phash_for, place
from service.attestation.ledger import MemoryLedger, entries_from_match
from service.attestation.matching import (
    Completeness,
    Evidence,
    Fit,
    RequirementStatus,
    match_evidence,
    phash_distance,
)
from service.attestation.profiles import load_profile, profile_ids
from verification.fields import text_digest
from verification.report import FieldValue, Indication, Report

PROFILES = profile_ids()
MET = RequirementStatus.MET
UNMET = RequirementStatus.UNMET
REVIEW = RequirementStatus.NEEDS_REVIEW


def run(profile_id: str, evidence: list[Evidence], ledger=None, dossier_id: str = "D-TEST"):  # type: ignore[no-untyped-def]
    return match_evidence(load_profile(profile_id), evidence, period=PERIOD, dossier_id=dossier_id, ledger=ledger)


def programme(i: int, pid: str | None = None, name: str | None = None, **kw):  # type: ignore[no-untyped-def]
    """A sealed, signed transmission programme held in one district of Zhambyl region."""
    args = {"seal": True, "handwritten": True, "level": "district",
            "places": [place(pid or f"zhambyl-d{i}", name or f"Район {i}", "district", "zhambyl")]}
    args.update(kw)
    return Evidence(f"programme_{i}.jpg", make_report(f"programme_{i}.jpg", "transmission_program", **args))


def researcher_base() -> list[Evidence]:
    """kz-researcher without its transmission programmes."""
    return [
        Evidence("order.pdf", make_report("order.pdf", "order", level="regional", media_type="application/pdf")),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate")),
        Evidence("protocol_extract.pdf", make_report("protocol_extract.pdf", "protocol_extract")),
    ]


@pytest.mark.parametrize("profile_id", PROFILES)
def test_complete_dossier_meets_every_requirement(profile_id: str) -> None:
    result = run(profile_id, list(complete_evidence(load_profile(profile_id)).evidence))
    assert result.summary() == {r.id: "met" for r in load_profile(profile_id).requirements}
    assert result.status is Completeness.COMPLETE
    for r in result.requirements:
        assert r.reason("ru").startswith("Выполнено: ")
        assert r.reason("en").startswith("Met by: ")


@pytest.mark.parametrize(
    ("profile_id", "requirement_id"),
    [(p, r.id) for p in PROFILES for r in load_profile(p).requirements],
)
def test_each_requirement_missing_in_turn(profile_id: str, requirement_id: str) -> None:
    profile = load_profile(profile_id)
    full = complete_evidence(profile)
    missing = profile.requirement(requirement_id)
    result = run(profile_id, full.without_kinds(missing.kinds))
    assert result.requirement(requirement_id).status is UNMET
    assert result.requirement(requirement_id).documents == ()
    assert result.requirement(requirement_id).reason("en").startswith("No document of the required kind")
    assert result.status is Completeness.INCOMPLETE
    for r in profile.requirements:  # requirements sharing no kind with the missing one stay met
        if not set(r.kinds) & set(missing.kinds):
            assert result.requirement(r.id).status is MET, r.id


def test_three_districts_met_with_places_named() -> None:
    result = run("kz-researcher", researcher_base() + [programme(1), programme(2), programme(3)])
    req = result.requirement("transmission_three_districts")
    assert req.status is MET
    assert req.documents == ("programme_1.jpg", "programme_2.jpg", "programme_3.jpg")
    assert [p.id for p in req.places] == ["zhambyl-d1", "zhambyl-d2", "zhambyl-d3"]
    assert req.reason("ru") == ("Выполнено: programme_1.jpg, programme_2.jpg, programme_3.jpg. "
                                "Засчитано районов/городов: 3 (Район 1, Район 2, Район 3), требуется не менее 3.")
    assert result.status is Completeness.COMPLETE


def test_districts_of_documents_not_counted_are_named_as_such() -> None:
    # three programmes name three districts, but none carries a seal: the count is 0, and the reason says
    # where the three districts are, instead of «0» beside three districts listed on the file cards
    unsealed = [programme(i, seal=False) for i in (1, 2, 3)]
    req = run("kz-researcher", researcher_base() + unsealed).requirement("transmission_three_districts")
    assert req.status is UNMET
    reason = req.reason("ru")
    assert reason.startswith("Засчитано документов: 0, требуется не менее 1. Засчитано районов/городов: 0 (—), "
                             "требуется не менее 3. Ещё указаны в документах, которые пока не засчитаны: "
                             "Район 1, Район 2, Район 3.")
    assert "Әзірге есептелмеген құжаттарда тағы көрсетілген: Район 1, Район 2, Район 3." in req.reason("kk")


def test_two_districts_instead_of_three_is_unmet() -> None:
    result = run("kz-researcher", researcher_base() + [programme(1), programme(2)])
    req = result.requirement("transmission_three_districts")
    assert req.status is UNMET
    assert req.documents == ("programme_1.jpg", "programme_2.jpg")
    assert req.reason("ru") == "Засчитано районов/городов: 2 (Район 1, Район 2), требуется не менее 3."
    assert result.status is Completeness.INCOMPLETE


def test_two_spellings_of_one_district_count_once() -> None:
    evidence = researcher_base() + [
        programme(1, "zhambyl-baizak", "Байзакский район"),
        programme(2, "zhambyl-baizak", "Бәйзақ ауданы"),
        programme(3, "zhambyl-talas", "Таласский район"),
    ]
    req = run("kz-researcher", evidence).requirement("transmission_three_districts")
    assert req.status is UNMET
    assert [p.id for p in req.places] == ["zhambyl-baizak", "zhambyl-talas"]


def test_master_counts_regions_not_districts() -> None:
    base = [
        Evidence("order.pdf", make_report("order.pdf", "order", level="republican")),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate")),
        Evidence("conclusion.pdf", make_report("conclusion.pdf", "expert_conclusion")),
    ]
    two_regions = [programme(1, "zhambyl-d1"), programme(2, "zhambyl-d2"),
                   programme(3, "turkestan-d1")]
    two_regions[2] = Evidence("programme_3.jpg", make_report(
        "programme_3.jpg", "transmission_program", seal=True, handwritten=True,
        places=[place("turkestan-d1", "Сайрамский район", "district", "turkestan")]))
    req = run("kz-master", base + two_regions).requirement("transmission_three_regions")
    assert req.status is UNMET
    assert [p.id for p in req.places] == ["zhambyl", "turkestan"]
    almaty = Evidence("programme_4.jpg", make_report(
        "programme_4.jpg", "transmission_program", seal=True, handwritten=True,
        places=[place("almaty-city", "г. Алматы", "city", None)]))
    req = run("kz-master", base + two_regions + [almaty]).requirement("transmission_three_regions")
    assert req.status is MET
    assert [p.id for p in req.places] == ["zhambyl", "turkestan", "almaty-city"]


def test_tvet_republican_level_covers_without_three_districts() -> None:
    profile = load_profile("kz-tvet-researcher")
    full = complete_evidence(profile)
    evidence = full.without_kinds(profile.requirement("translation_coverage").kinds) + [
        Evidence("republican_seminar.pdf", make_report("republican_seminar.pdf", "event_program", level="republican",
                                                       seal=True, handwritten=True))]
    req = run("kz-tvet-researcher", evidence).requirement("translation_coverage")
    assert req.status is MET
    assert req.reason("en") == ("Met by: republican_seminar.pdf. Coverage is confirmed by a document of level "
                                "“republican”: republican_seminar.pdf.")


def test_unsealed_programme_where_seal_required() -> None:
    evidence = researcher_base() + [programme(1), programme(2), programme(3, seal=False)]
    result = run("kz-researcher", evidence)
    req = result.requirement("transmission_three_districts")
    assert req.status is UNMET
    assert req.documents == ("programme_1.jpg", "programme_2.jpg")
    assert "programme_3.jpg: печать не найдена." in req.reason("ru")
    assert result.document("programme_3.jpg").fits["transmission_three_districts"] is Fit.REJECTED


def test_tvet_copy_without_head_signature_is_rejected() -> None:
    profile = load_profile("kz-tvet-expert")
    full = complete_evidence(profile)
    only = [e for e in full.evidence if e.report.kind not in ("protocol",)]
    only.append(Evidence("protocol.jpg", make_report("protocol.jpg", "protocol", seal=True, handwritten=False)))
    req = run("kz-tvet-expert", only).requirement("council_conclusion")
    assert req.status is UNMET
    assert req.reason("en") == ("Documents counted: 0; at least 1 required. "
                                "protocol.jpg: no handwritten signature of the head found. "
                                "Upload a scan of a copy signed and sealed by the head.")


def test_valid_digital_signature_replaces_seal() -> None:
    evidence = researcher_base() + [programme(1), programme(2),
                                    programme(3, seal=False, handwritten=False, digital=Indication.TOTAL_PASSED)]
    assert run("kz-researcher", evidence).requirement("transmission_three_districts").status is MET


def test_undecided_digital_signature_needs_review() -> None:
    evidence = researcher_base() + [programme(1), programme(2),
                                    programme(3, seal=False, handwritten=False, digital=Indication.INDETERMINATE)]
    result = run("kz-researcher", evidence)
    req = result.requirement("transmission_three_districts")
    assert req.status is REVIEW
    assert req.review_documents == ("programme_3.jpg",)
    assert "programme_3.jpg: the digital signature could not be confirmed (NO_CERTIFICATE_CHAIN_FOUND)" in req.reason("en")
    assert result.status is Completeness.NEEDS_REVIEW


def test_document_outside_the_period() -> None:
    evidence = [e for e in researcher_base() if e.name != "certificate.jpg"] + [
        programme(1), programme(2), programme(3),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate", date="2019-05-20"))]
    result = run("kz-researcher", evidence)
    req = result.requirement("confirming_document")
    assert req.status is UNMET
    assert req.reason("ru") == ("Засчитано документов: 0, требуется не менее 1. certificate.jpg: дата 20.05.2019 "
                                "вне периода аттестации 01.09.2021 — 31.08.2026.")  # the reader's date format
    assert "20.05.2019" in req.reason("kk") and "2019-05-20" in req.reason("en")
    assert result.status is Completeness.INCOMPLETE


def test_missing_date_needs_review() -> None:
    evidence = [e for e in researcher_base() if e.name != "certificate.jpg"] + [
        programme(1), programme(2), programme(3),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate", date=None))]
    req = run("kz-researcher", evidence).requirement("confirming_document")
    assert req.status is REVIEW
    assert req.reason("en") == ("Documents counted: 0; at least 1 required. certificate.jpg: no date found — check "
                                "by hand. A person must check: certificate.jpg.")


def test_other_persons_document_is_rejected() -> None:
    evidence = [e for e in researcher_base() if e.name != "certificate.jpg"] + [
        programme(1), programme(2), programme(3),
        Evidence("certificate.jpg", make_report("certificate.jpg", "certificate", person=False))]
    req = run("kz-researcher", evidence).requirement("confirming_document")
    assert req.status is UNMET
    assert "certificate.jpg: the name in the document (Иванов Иван Иванович) is not the teacher's." in req.reason("en")


def test_failed_verification_is_not_counted() -> None:
    evidence = [e for e in researcher_base() if e.name != "order.pdf"] + [
        programme(1), programme(2), programme(3),
        Evidence("order.pdf", make_report("order.pdf", "order", level="regional", failed=True))]
    req = run("kz-researcher", evidence).requirement("participation_events")
    assert req.status is UNMET
    assert "order.pdf: verification failed (digital signature)." in req.reason("en")
    assert "order.pdf: проверка не пройдена (электронная подпись)." in req.reason("ru")  # words, not check ids


def test_same_file_twice_is_counted_once() -> None:
    copy = programme(2)
    copy = Evidence("programme_2_copy.jpg", dataclasses.replace(copy.report, file="programme_2_copy.jpg"))
    result = run("kz-researcher", researcher_base() + [programme(1), programme(2), copy])
    req = result.requirement("transmission_three_districts")
    assert req.status is UNMET
    assert req.documents == ("programme_1.jpg", "programme_2.jpg")
    dup = result.document("programme_2_copy.jpg").duplicate
    assert dup is not None and (dup.other, dup.source, dup.how) == ("programme_2.jpg", "dossier", "sha256")
    assert "programme_2_copy.jpg: the same file as programme_2.jpg (SHA-256), counted once." in req.reason("en")


def test_rephotographed_scan_is_counted_once() -> None:
    first = programme(1, phashes=["f0f0f0f0aaaa5555"])
    # the same paper photographed again: other bytes, pHash 3 bits away, the same number and district read
    again = Evidence("programme_1_photo.jpg", make_report(
        "programme_1_photo.jpg", "transmission_program", seal=True, handwritten=True,
        places=[place("zhambyl-d1", "Район 1")], phashes=["f0f0f0f0aaaa5552"],
        number=first.report.fields["number"].value))
    assert phash_distance("f0f0f0f0aaaa5555", "f0f0f0f0aaaa5552") == 3
    result = run("kz-researcher", researcher_base() + [first, programme(2), again])
    dup = result.document("programme_1_photo.jpg").duplicate
    assert dup is not None and (dup.other, dup.how, dup.distance) == ("programme_1.jpg", "perceptual", 3)
    assert result.requirement("transmission_three_districts").status is UNMET


# Text of one school form; the district and the language are what differ between its programmes.
FORM_RU = ("КГУ Школа-гимназия № 5 города Тараз ПРОГРАММА трансляции педагогического опыта учителя "
           "Жумабаевой Айгерим Сериковны тема Читательская грамотность на уроках место проведения {place} "
           "дата проведения 14.03.2024 регламент открытие мастер-класс обсуждение итоги директор школы")
FORM_KK = ("Тараз қаласының № 5 мектеп-гимназиясы КММ Жұмабаева Айгерім Серікқызының педагогикалық тәжірибесін "
           "тарату БАҒДАРЛАМАСЫ тақырыбы сабақтағы оқу сауаттылығы өткізілетін орны {place} өткізілу күні "
           "14.03.2024 регламенті ашылуы шеберлік сынып талқылау қорытынды мектеп директоры")


def _read(ev: Evidence, text: str, **fields: object) -> Evidence:
    """``ev`` as the scan step reads a paper with ``text`` on it (its text fingerprint and fields)."""
    extra = {"text_digest": FieldValue(text_digest(text).to_value(), 1.0)}  # type: ignore[union-attr]
    extra.update({k: FieldValue(v, 0.8) for k, v in fields.items()})
    return Evidence(ev.name, dataclasses.replace(ev.report, fields={**ev.report.fields, **extra}))


def _form_programme(i: int, pid: str, name: str, text: str, phash: str = "f0f0f0f0aaaa5555",
                    **kw: object) -> Evidence:
    ev = programme(i, pid, name, phashes=[phash], number=None, **kw)
    report = dataclasses.replace(ev.report, fields={**ev.report.fields, "number": FieldValue(None)})
    return _read(Evidence(ev.name, report), text)


def test_three_programmes_on_one_form_in_two_languages_are_three_documents() -> None:
    # one school form: the pictures are a few bits apart, no number, one date; three districts, ru and kk
    a = _form_programme(1, "kz-zhambyl/baizakskii", "Байзакский район", FORM_RU.format(place="Байзакский район"))
    b = _form_programme(2, "kz-zhambyl/talasskii", "Таласский район", FORM_RU.format(place="Таласский район"),
                        "f0f0f0f0aaaa5554")
    c = _form_programme(3, "kz-zhambyl/zhambylskii", "Жамбылский район", FORM_KK.format(place="Жамбыл ауданы"),
                        "f0f0f0f0aaaa5557")
    result = run("kz-researcher", researcher_base() + [a, b, c])
    assert [result.document(e.name).duplicate for e in (a, b, c)] == [None, None, None]
    assert result.requirement("transmission_three_districts").status is MET
    assert result.status is Completeness.COMPLETE


def test_one_district_in_russian_and_kazakh_is_two_documents_counted_once_as_a_place() -> None:
    a = _form_programme(1, "kz-zhambyl/baizakskii", "Байзакский район", FORM_RU.format(place="Байзакский район"))
    b = _form_programme(2, "kz-zhambyl/baizakskii", "Бәйзақ ауданы", FORM_KK.format(place="Бәйзақ ауданы"),
                        "f0f0f0f0aaaa5554")
    c = _form_programme(3, "kz-zhambyl/talasskii", "Таласский район", FORM_RU.format(place="Таласский район"))
    result = run("kz-researcher", researcher_base() + [a, b, c])
    assert result.document(b.name).duplicate is None  # another language: another paper
    req = result.requirement("transmission_three_districts")
    assert req.status is UNMET
    assert result.status is Completeness.INCOMPLETE


def test_rotated_or_cropped_rescan_reads_the_same_and_is_one_document() -> None:
    text = FORM_RU.format(place="Байзакский район")
    a = _form_programme(1, "kz-zhambyl/baizakskii", "Байзакский район", text)
    # turned and cropped: the picture's hash is far away, a few words of the margin are lost to the crop
    b = _form_programme(2, "kz-zhambyl/baizakskii", "Байзакский район", text.replace("КГУ Школа-гимназия", ""),
                        phash_for("rotated"))
    result = run("kz-researcher", researcher_base() + [a, b])
    dup = result.document(b.name).duplicate
    assert dup is not None and (dup.other, dup.how) == (a.name, "content")
    assert "programme_2.jpg: the same document as programme_1.jpg" in result.requirement(
        "transmission_three_districts").reason("en")


def test_alike_pictures_with_other_text_or_no_common_fact_are_two_documents() -> None:
    a = _form_programme(1, "kz-zhambyl/baizakskii", "Байзакский район", FORM_RU.format(place="Байзакский район"))
    other = _read(programme(2, "kz-zhambyl/baizakskii", "Байзакский район", phashes=["f0f0f0f0aaaa5555"]),
                  "Сертификат участника областного семинара по функциональной грамотности выдан учителю "
                  "за активное участие Байзакский район 14.03.2024 директор методического центра")
    # the same picture without any text or fact read on both: a look-alike form alone never merges
    blank_a = programme(4, phashes=["0f0f0f0f55550000"], number=None, date=None, person=None)
    blank_b = programme(5, phashes=["0f0f0f0f55550001"], number=None, date=None, person=None)
    blank_a = Evidence(blank_a.name, dataclasses.replace(blank_a.report, fields={
        **blank_a.report.fields, "number": FieldValue(None)}))
    blank_b = Evidence(blank_b.name, dataclasses.replace(blank_b.report, fields={
        **blank_b.report.fields, "number": FieldValue(None)}))
    result = run("kz-researcher", researcher_base() + [a, other, blank_a, blank_b])
    assert [result.document(n).duplicate for n in (other.name, blank_b.name)] == [None, None]


def test_the_same_registry_id_is_one_document_whatever_the_picture() -> None:
    from verification.report import QRCode

    a, b = programme(1), programme(2, "zhambyl-d1", "Район 1")
    b = Evidence(b.name, dataclasses.replace(b.report, fields={**b.report.fields,
                                                               "number": a.report.fields["number"]}))
    with_qr = [Evidence(e.name, dataclasses.replace(e.report, qr_codes=(QRCode(1, "x", None, "issued_here", "DOC1"),)))
               for e in (a, b)]
    dup = run("kz-researcher", researcher_base() + with_qr).document(b.name).duplicate
    assert dup is not None and (dup.other, dup.how) == (a.name, "registry")
    other_id = Evidence(b.name, dataclasses.replace(with_qr[1].report,
                                                    qr_codes=(QRCode(1, "y", None, "issued_here", "DOC2"),)))
    assert run("kz-researcher", researcher_base() + [with_qr[0], other_id]).document(b.name).duplicate is None


def test_lookalike_from_one_template_with_other_number_is_not_a_duplicate() -> None:
    a = programme(1, phashes=["f0f0f0f0aaaa5555"], number="№ 12")
    b = programme(2, phashes=["f0f0f0f0aaaa5554"], number="№ 13")
    result = run("kz-researcher", researcher_base() + [a, b, programme(3)])
    assert result.document("programme_2.jpg").duplicate is None
    assert result.requirement("transmission_three_districts").status is MET


def test_document_counted_in_another_dossier_is_flagged() -> None:
    ledger = MemoryLedger()
    evidence = researcher_base() + [programme(1), programme(2), programme(3)]
    first = run("kz-researcher", evidence, ledger, dossier_id="D-OTHER")
    assert first.status is Completeness.COMPLETE
    ledger.record("D-OTHER", "kz-researcher", TEACHER, entries_from_match(first, {e.name: e.report for e in evidence}))
    # the same teacher rebuilding the same dossier: nothing is flagged
    assert run("kz-researcher", evidence, ledger, dossier_id="D-OTHER").status is Completeness.COMPLETE
    # a new dossier re-using the certificate, re-photographed
    cert = evidence[1].report
    again = Evidence("cert_photo.jpg", dataclasses.replace(cert, file="cert_photo.jpg", sha256="0" * 64,
                                                           perceptual_hashes=(phash_for("certificate.jpg#0")[:-1] + "0",)))
    result = run("kz-researcher", [evidence[0], again, evidence[2]] + evidence[3:], ledger, dossier_id="D-NEW")
    dup = result.document("cert_photo.jpg").duplicate
    assert dup is not None and (dup.other, dup.source, dup.how) == ("D-OTHER", "ledger", "perceptual")
    req = result.requirement("confirming_document")
    assert req.status is UNMET
    assert req.reason("en").endswith("cert_photo.jpg: the same scan is already counted in dossier D-OTHER "
                                     "(Жумабаева Айгерим Сериковна); the commission reviews confirming documents once.")
    # the order file itself, byte for byte
    assert result.document("order.pdf").duplicate.how == "sha256"  # type: ignore[union-attr]


def test_links_required_for_russian_post_course() -> None:
    profile = load_profile("ru-postcourse-first")
    full = complete_evidence(profile)
    evidence = [Evidence(e.name, e.report, ()) if e.name.startswith("school_events") else e for e in full.evidence]
    req = run("ru-postcourse-first", evidence).requirement("school_events")
    assert req.status is UNMET
    assert "school_events_1.jpg: no link to the materials in open access (1 required)" in req.reason("en")


def test_kz_postcourse_needs_three_events() -> None:
    profile = load_profile("kz-postcourse")
    full = complete_evidence(profile)
    evidence = [e for e in full.evidence if e.name != "three_events_3.jpg"]
    req = run("kz-postcourse", evidence).requirement("three_events")
    assert req.status is UNMET
    assert req.reason("ru") == "Засчитано документов: 2, требуется не менее 3."


def test_document_of_unknown_kind_turns_unmet_into_review() -> None:
    evidence = [e for e in researcher_base() if e.name != "certificate.jpg"] + [
        programme(1), programme(2), programme(3),
        Evidence("scan_0001.jpg", make_report("scan_0001.jpg", None))]
    result = run("kz-researcher", evidence)
    req = result.requirement("confirming_document")
    assert req.status is REVIEW
    assert req.reason("en") == ("No document of the required kind (Certificate / reference / diploma). Document kind not recognised: "
                                "scan_0001.jpg — set kind in the manifest or check by hand.")


def test_reports_from_json_give_the_same_verdicts() -> None:
    for profile_id in PROFILES:
        evidence = list(complete_evidence(load_profile(profile_id)).evidence)
        evidence[0] = Evidence(evidence[0].name, dataclasses.replace(evidence[0].report, seals=()), evidence[0].links)
        again = [Evidence(e.name, Report.from_dict(e.report.to_dict()), e.links) for e in evidence]
        assert run(profile_id, again).summary() == run(profile_id, evidence).summary()


def test_manifest_dict_of_a_requirement() -> None:
    d = run("kz-researcher", researcher_base() + [programme(1), programme(2)]).requirement(
        "transmission_three_districts").to_dict("en")
    assert d["id"] == "transmission_three_districts"
    assert d["status"] == "unmet"
    assert d["documents"] == ["programme_1.jpg", "programme_2.jpg"]
    assert d["reason"] == "Districts/cities counted: 2 (Район 1, Район 2); at least 3 required."
    assert d["reasons"]["kk"] == "Есептелген аудандар/қалалар: 2 (Район 1, Район 2), кемінде 3 қажет."


def test_a_missing_kind_is_named_in_words_not_codes() -> None:
    from service.attestation.matching import Reason, _kinds_text

    reason = Reason("dossier.req.no_documents", {"kinds": _kinds_text(["event_program", "order", "transmission_program"])})
    assert reason.text("ru") == ("Нет документа нужного вида (Программа мероприятия, Приказ, "
                                 "Программа трансляции опыта).")
    assert "event_program" not in reason.text("kk") and "order" not in reason.text("en")
