"""Texts of the scan and field checks in Russian, Kazakh and English (plain words, what to do)."""

from __future__ import annotations

from verification.messages import register

__all__: list[str] = []

register({
    "scan.seal.found": {
        "ru": "Печать найдена (страница {page}).",
        "kk": "Мөр табылды ({page}-бет).",
        "en": "A seal was found (page {page}).",
    },
    "scan.seal.missing_required": {
        "ru": "На документе не найдена печать, а для этого документа ({kind}) она обязательна. Загрузите копию, заверенную печатью и подписью руководителя.",
        "kk": "Құжатта мөр табылмады, ал бұл құжат ({kind}) үшін мөр міндетті. Басшының мөрімен және қолымен куәландырылған көшірмені жүктеңіз.",
        "en": "No seal was found, but this document ({kind}) must carry one. Upload a copy certified with the head's seal and signature.",
    },
    "scan.seal.missing_expected": {
        "ru": "Печать не найдена. Если на бумажном документе она есть, отсканируйте его чётче (300 dpi, целиком); иначе заверьте копию печатью.",
        "kk": "Мөр табылмады. Қағаз құжатта мөр болса, оны анығырақ сканерлеңіз (300 dpi, толық); болмаса көшірмені мөрмен куәландырыңыз.",
        "en": "No seal was found. If the paper document has one, scan it more clearly (300 dpi, whole page); otherwise have the copy sealed.",
    },
    "scan.seal.not_required": {
        "ru": "Печать для этого документа не требуется.",
        "kk": "Бұл құжат үшін мөр талап етілмейді.",
        "en": "A seal is not required for this document.",
    },
    "scan.seal.digital": {
        "ru": "Документ подписан действительной электронной подписью, печать не нужна.",
        "kk": "Құжат жарамды электрондық қолтаңбамен қол қойылған, мөр қажет емес.",
        "en": "The document carries a valid digital signature, so no seal is needed.",
    },
    "scan.seal.not_a_scan": {
        "ru": "Это электронный документ, а не скан: печать на изображении не проверяется.",
        "kk": "Бұл скан емес, электрондық құжат: суреттегі мөр тексерілмейді.",
        "en": "This is an electronic document, not a scan: a stamped seal is not checked.",
    },
    "scan.signature.not_a_scan": {
        "ru": "Это электронный документ, а не скан: подпись от руки не проверяется.",
        "kk": "Бұл скан емес, электрондық құжат: қолмен қойылған қолтаңба тексерілмейді.",
        "en": "This is an electronic document, not a scan: a handwritten signature is not checked.",
    },
    "scan.signature.found": {
        "ru": "Подпись от руки найдена (страница {page}).",
        "kk": "Қолмен қойылған қолтаңба табылды ({page}-бет).",
        "en": "A handwritten signature was found (page {page}).",
    },
    "scan.signature.missing_required": {
        "ru": "Не найдена подпись руководителя, а для этого документа ({kind}) она обязательна. Загрузите копию с подписью и печатью.",
        "kk": "Басшының қолы табылмады, ал бұл құжат ({kind}) үшін ол міндетті. Қолы мен мөрі бар көшірмені жүктеңіз.",
        "en": "No signature of the head was found, but this document ({kind}) must be signed. Upload a signed and sealed copy.",
    },
    "scan.signature.missing_expected": {
        "ru": "Подпись от руки не найдена. Проверьте, что документ подписан и отсканирован целиком.",
        "kk": "Қолмен қойылған қолтаңба табылмады. Құжатқа қол қойылғанын және толық сканерленгенін тексеріңіз.",
        "en": "No handwritten signature was found. Check that the document is signed and scanned in full.",
    },
    "scan.signature.not_required": {
        "ru": "Подпись от руки для этого документа не требуется.",
        "kk": "Бұл құжат үшін қолмен қойылған қолтаңба талап етілмейді.",
        "en": "A handwritten signature is not required for this document.",
    },
    "scan.signature.digital": {
        "ru": "Документ подписан действительной электронной подписью.",
        "kk": "Құжатқа жарамды электрондық қолтаңба қойылған.",
        "en": "The document carries a valid digital signature.",
    },
    "scan.pages_limited": {
        "ru": "В файле {total} страниц; проверены только первые {checked}. Загрузите нужные страницы отдельным файлом.",
        "kk": "Файлда {total} бет бар; тек алғашқы {checked} беті тексерілді. Қажетті беттерді бөлек файлмен жүктеңіз.",
        "en": "The file has {total} pages; only the first {checked} were checked. Upload the pages that matter as a separate file.",
    },
    "scan.time_budget": {
        "ru": "Проверка заняла слишком много времени; проверены {checked} из {total} страниц. Документ передан на ручную проверку.",
        "kk": "Тексеру тым ұзаққа созылды; {total} беттің {checked} беті тексерілді. Құжат қолмен тексеруге жіберілді.",
        "en": "Checking took too long; {checked} of {total} pages were checked. The document needs manual review.",
    },
    "scan.ocr_failed": {
        "ru": "Текст на странице {page} не удалось распознать ({reason}). Загрузите более чёткий скан.",
        "kk": "{page}-беттегі мәтін танылмады ({reason}). Анығырақ скан жүктеңіз.",
        "en": "The text on page {page} could not be read ({reason}). Upload a clearer scan.",
    },
    "scan.no_text": {
        "ru": "На документе не удалось прочитать текст. Отсканируйте его с разрешением 300 dpi, ровно и без бликов.",
        "kk": "Құжаттағы мәтінді оқу мүмкін болмады. Оны 300 dpi ажыратымдылықпен, тегіс және жарқылсыз сканерлеңіз.",
        "en": "No text could be read on the document. Scan it at 300 dpi, straight and without glare.",
    },
    "fields.person_name.ok": {
        "ru": "ФИО педагога указано: «{found}».",
        "kk": "Педагогтің аты-жөні көрсетілген: «{found}».",
        "en": "The teacher's name is on the document: «{found}».",
    },
    "fields.person_name.mismatch": {
        "ru": "В документе указано другое имя («{found}»), а не «{expected}». Загрузите документ, выданный на ваше имя.",
        "kk": "Құжатта басқа есім көрсетілген («{found}»), «{expected}» емес. Өз атыңызға берілген құжатты жүктеңіз.",
        "en": "The document names someone else («{found}»), not «{expected}». Upload a document issued in your name.",
    },
    "fields.person_name.missing": {
        "ru": "В документе не найдено ФИО «{expected}». Проверьте, что это ваш документ и что скан чёткий.",
        "kk": "Құжатта «{expected}» аты-жөні табылмады. Бұл сіздің құжатыңыз екенін және скан анық екенін тексеріңіз.",
        "en": "The name «{expected}» was not found on the document. Check that it is yours and that the scan is clear.",
    },
    "fields.date.ok": {
        "ru": "Дата документа: {date}.",
        "kk": "Құжат күні: {date}.",
        "en": "Document date: {date}.",
    },
    "fields.date.missing": {
        "ru": "Дата документа не найдена. Проверьте, что дата видна на скане.",
        "kk": "Құжаттың күні табылмады. Күннің сканда көрінетінін тексеріңіз.",
        "en": "The document date was not found. Check that the date is visible on the scan.",
    },
    "fields.date.out_of_period": {
        "ru": "Дата документа {date} вне межаттестационного периода ({start} — {end}). Такой документ не засчитывается.",
        "kk": "Құжат күні {date} аттестацияаралық кезеңнен тыс ({start} — {end}). Мұндай құжат есептелмейді.",
        "en": "The document date {date} is outside the attestation period ({start} to {end}), so it does not count.",
    },
    "fields.number.ok": {
        "ru": "Номер документа: № {number}.",
        "kk": "Құжат нөмірі: № {number}.",
        "en": "Document number: No. {number}.",
    },
    "fields.number.missing": {
        "ru": "Номер документа (№) не найден. Проверьте, что номер виден на скане.",
        "kk": "Құжат нөмірі (№) табылмады. Нөмірдің сканда көрінетінін тексеріңіз.",
        "en": "The document number (No.) was not found. Check that it is visible on the scan.",
    },
    "fields.number.not_required": {
        "ru": "Номер для этого документа не обязателен.",
        "kk": "Бұл құжат үшін нөмір міндетті емес.",
        "en": "A number is not required for this document.",
    },
    "fields.issuer.ok": {
        "ru": "Организация, выдавшая документ: {issuer}.",
        "kk": "Құжатты берген ұйым: {issuer}.",
        "en": "Issued by: {issuer}.",
    },
    "fields.issuer.missing": {
        "ru": "Не найдено, какая организация выдала документ. Проверьте, что шапка документа видна на скане.",
        "kk": "Құжатты қай ұйым бергені табылмады. Құжаттың жоғарғы бөлігі сканда көрінетінін тексеріңіз.",
        "en": "The issuing organisation was not found. Check that the document's header is on the scan.",
    },
    "document.kind.ok": {
        "ru": "Вид документа соответствует: {detected}.",
        "kk": "Құжат түрі сәйкес: {detected}.",
        "en": "The document kind matches: {detected}.",
    },
    "document.kind.mismatch": {
        "ru": "Ожидался документ вида «{expected}», а загружен «{detected}». Проверьте, что загружен нужный документ.",
        "kk": "«{expected}» түріндегі құжат күтілген, ал «{detected}» жүктелген. Қажетті құжат жүктелгенін тексеріңіз.",
        "en": "A «{expected}» was expected, but this looks like a «{detected}». Check that you uploaded the right document.",
    },
    "document.kind.unknown": {
        "ru": "Не удалось определить вид документа (ожидался «{expected}»). Документ будет проверен вручную.",
        "kk": "Құжат түрін анықтау мүмкін болмады («{expected}» күтілген). Құжат қолмен тексеріледі.",
        "en": "The document kind could not be recognised (expected «{expected}»). It will be reviewed by a person.",
    },
    "qr.registry.issued_unchanged": {
        "ru": "QR-код: документ выдан в системе и не изменён.",
        "kk": "QR-код: құжат жүйеде берілген және өзгертілмеген.",
        "en": "QR code: the document was issued by this system and is unchanged.",
    },
    "qr.registry.issued_altered": {
        "ru": "QR-код: документ выдан в системе, но этот файл отличается от выданного. Загрузите исходный файл без изменений.",
        "kk": "QR-код: құжат жүйеде берілген, бірақ бұл файл берілгеннен өзгеше. Өзгертілмеген бастапқы файлды жүктеңіз.",
        "en": "QR code: the document was issued by this system, but this file differs from the issued one. Upload the original file.",
    },
    "qr.registry.issued_here": {
        "ru": "QR-код: документ № {registration_number} выдан в системе; это бумажная копия, поэтому сверяется только номер.",
        "kk": "QR-код: № {registration_number} құжат жүйеде берілген; бұл қағаз көшірме, сондықтан тек нөмір салыстырылады.",
        "en": "QR code: document No. {registration_number} was issued by this system; this is a paper copy, so only its record is compared.",
    },
    "qr.registry.unknown_id": {
        "ru": "QR-код похож на код системы, но такой документ в реестре не найден. Документ может быть поддельным.",
        "kk": "QR-код жүйенің кодына ұқсайды, бірақ мұндай құжат тізілімде табылмады. Құжат жалған болуы мүмкін.",
        "en": "The QR code looks like one of ours, but no such document is in the registry. The document may be forged.",
    },
    "qr.registry.unavailable": {
        "ru": "QR-код системы найден, но реестр здесь недоступен, поэтому проверить его нельзя.",
        "kk": "Жүйенің QR-коды табылды, бірақ мұнда тізілім қолжетімсіз, сондықтан оны тексеру мүмкін емес.",
        "en": "A QR code of this system was found, but the registry is not available here, so it cannot be checked.",
    },
})

# The same findings for the one who reviews the document (a commission member): what was found, without
# asking the reader to upload anything (verification.messages.render_for).
register({
    "fields.person_name.mismatch@reviewer": {
        "ru": "В документе указано другое имя («{found}»), а не имя педагога «{expected}».",
        "kk": "Құжатта педагогтың аты-жөні «{expected}» емес, басқа аты-жөні («{found}») көрсетілген.",
        "en": "The document names someone else («{found}»), not the teacher «{expected}».",
    },
    "fields.person_name.missing@reviewer": {
        "ru": "ФИО педагога «{expected}» в документе не найдено: сверьте документ с оригиналом.",
        "kk": "Құжатта педагогтың аты-жөні «{expected}» табылмады: құжатты түпнұсқамен салыстырыңыз.",
        "en": "The teacher's name «{expected}» was not found in the document: compare it with the original.",
    },
    "scan.seal.missing_required@reviewer": {
        "ru": "Печать на документе не найдена, а для этого документа ({kind}) она обязательна.",
        "kk": "Құжатта мөр табылмады, ал бұл құжат ({kind}) үшін мөр міндетті.",
        "en": "No seal was found, and this document ({kind}) must carry one.",
    },
    "scan.seal.missing_expected@reviewer": {
        "ru": "Печать на скане не найдена: проверьте страницу сами.",
        "kk": "Сканнан мөр табылмады: бетті өзіңіз тексеріңіз.",
        "en": "No seal was found on the scan: check the page yourself.",
    },
    "scan.signature.missing_required@reviewer": {
        "ru": "Подпись руководителя не найдена, а для этого документа ({kind}) она обязательна.",
        "kk": "Басшының қолы табылмады, ал бұл құжат ({kind}) үшін ол міндетті.",
        "en": "No signature of the head was found, and this document ({kind}) must be signed.",
    },
    "scan.no_text@reviewer": {
        "ru": "Текст на документе не удалось прочитать: проверьте его по изображению страницы.",
        "kk": "Құжаттағы мәтінді оқу мүмкін болмады: оны бет суреті бойынша тексеріңіз.",
        "en": "The text of the document could not be read: check it on the page picture.",
    },
})
