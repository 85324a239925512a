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
        "ru": "Текст на странице {page} не удалось распознать за отведённое время. Загрузите более чёткий скан или разделите файл на части.",
        "kk": "{page}-беттегі мәтін берілген уақытта танылмады. Анығырақ скан жүктеңіз немесе файлды бөліктерге бөліңіз.",
        "en": "The text on page {page} could not be read in the time allowed. Upload a clearer scan or split the file into parts.",
    },
    "scan.ocr_engine_failed": {
        "ru": "Текст на странице {page} не распознан из-за сбоя службы распознавания — это не ошибка вашего файла. Страница передана на ручную проверку.",
        "kk": "{page}-беттегі мәтін тану қызметінің ақауы салдарынан танылмады — бұл сіздің файлыңыздың қатесі емес. Бет қолмен тексеруге жіберілді.",
        "en": "The text on page {page} was not read because the text recognition service failed — this is not a fault in your file. The page was passed on for manual review.",
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
    "fields.person_name.surname_differs": {
        "ru": "В документе указано «{found}», а не «{expected}»: фамилия в документе — {found_part}, ожидалась {expected_part}. Загрузите документ, выданный на ваше имя.",
        "kk": "Құжатта «{expected}» емес, «{found}» көрсетілген: құжаттағы тегі — {found_part}, күтілгені — {expected_part}. Өз атыңызға берілген құжатты жүктеңіз.",
        "en": "The document names «{found}», not «{expected}»: the surname on the document is {found_part}, expected {expected_part}. Upload a document issued in your name.",
    },
    "fields.person_name.given_differs": {
        "ru": "В документе указано «{found}», а не «{expected}»: имя в документе — {found_part}, ожидалось {expected_part}. Загрузите документ, выданный на ваше имя.",
        "kk": "Құжатта «{expected}» емес, «{found}» көрсетілген: құжаттағы аты — {found_part}, күтілгені — {expected_part}. Өз атыңызға берілген құжатты жүктеңіз.",
        "en": "The document names «{found}», not «{expected}»: the given name on the document is {found_part}, expected {expected_part}. Upload a document issued in your name.",
    },
    "fields.person_name.patronymic_differs": {
        "ru": "В документе указано «{found}», а не «{expected}»: отчество в документе — {found_part}, ожидалось {expected_part}. Загрузите документ, выданный на ваше имя.",
        "kk": "Құжатта «{expected}» емес, «{found}» көрсетілген: құжаттағы әкесінің аты — {found_part}, күтілгені — {expected_part}. Өз атыңызға берілген құжатты жүктеңіз.",
        "en": "The document names «{found}», not «{expected}»: the patronymic on the document is {found_part}, expected {expected_part}. Upload a document issued in your name.",
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
    "qr.registry.qr_mismatch": {
        "ru": "QR-код называет документ № {registration_number}, но его контрольная сумма не совпадает с записью реестра. QR-код изменён или перенесён с другого документа.",
        "kk": "QR-код № {registration_number} құжатын атайды, бірақ оның бақылау сомасы тізілім жазбасымен сәйкес келмейді. QR-код өзгертілген немесе басқа құжаттан көшірілген.",
        "en": "The QR code names document No. {registration_number}, but its checksum does not match the registry record. The QR code was altered or copied from another document.",
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

# Why a document's level was chosen (verification.fields.level.judge_level): {level} and {issuer_level}
# are level titles in every language (verification.fields.level.LEVEL_TITLES).
register({
    "fields.level.issuer_and_text": {
        "ru": "Уровень: {level}. Почему: документ выдала организация уровня «{issuer_level}» ({issuer}), и в тексте сказано: «{words}».",
        "kk": "Деңгейі: {level}. Себебі: құжатты «{issuer_level}» деңгейіндегі ұйым берген ({issuer}), мәтінде де: «{words}».",
        "en": "Level: {level}. Why: the issuing organisation is at the “{issuer_level}” level ({issuer}), and the text says «{words}».",
    },
    "fields.level.issuer": {
        "ru": "Уровень: {level}. Почему: документ выдала организация уровня «{issuer_level}» ({issuer}); в тексте уровень мероприятия не назван.",
        "kk": "Деңгейі: {level}. Себебі: құжатты «{issuer_level}» деңгейіндегі ұйым берген ({issuer}); мәтінде іс-шараның деңгейі аталмаған.",
        "en": "Level: {level}. Why: the issuing organisation is at the “{issuer_level}” level ({issuer}); the text does not name the event's level.",
    },
    "fields.level.text": {
        "ru": "Уровень: {level}. Почему: в тексте сказано: «{words}».",
        "kk": "Деңгейі: {level}. Себебі: мәтінде: «{words}».",
        "en": "Level: {level}. Why: the text says «{words}».",
    },
    "fields.level.text_over_issuer": {
        "ru": "Уровень: {level}. Почему: в тексте сказано: «{words}» — это решает, хотя документ выдала организация уровня «{issuer_level}» ({issuer}).",
        "kk": "Деңгейі: {level}. Себебі: мәтінде «{words}» делінген — құжатты «{issuer_level}» деңгейіндегі ұйым берсе де ({issuer}), осы шешеді.",
        "en": "Level: {level}. Why: the text says «{words}», which decides it, although the issuing organisation is at the “{issuer_level}” level ({issuer}).",
    },
    "fields.level.text_only": {
        "ru": "Уровень: {level} (предположительно). Почему: в тексте есть слово «{words}», но не видно, что оно относится к мероприятию, а выдавшая организация уровень не подсказывает. Проверьте уровень.",
        "kk": "Деңгейі: {level} (болжам). Себебі: мәтінде «{words}» сөзі бар, бірақ оның іс-шараға қатысты екені көрінбейді, ал құжатты берген ұйым деңгейді көрсетпейді. Деңгейін тексеріңіз.",
        "en": "Level: {level} (a guess). Why: the text has the word «{words}», but it is not clearly about the event, and the issuing organisation does not tell the level. Check the level.",
    },
})

# A paper that is clearly no attestation evidence (verification.fields.kind.not_attestation): said once,
# instead of the fields such a paper lacks.
register({
    "document.kind.not_attestation": {
        "ru": "Документ не относится к аттестации (в нём: «{words}»), поэтому его реквизиты не проверялись и в чек-листе он не учитывается. Удалите его из папки и загрузите нужный документ.",
        "kk": "Құжаттың аттестацияға қатысы жоқ (онда: «{words}»), сондықтан оның деректемелері тексерілмеді және ол чек-парақта есептелмейді. Оны папкадан жойып, қажетті құжатты жүктеңіз.",
        "en": "This document is not an attestation paper (it says «{words}»), so its details were not checked and the checklist does not count it. Remove it from the dossier and upload the document you need.",
    },
    "document.kind.not_attestation_likely": {
        "ru": "Похоже, документ не относится к аттестации (в нём: «{words}»), поэтому его реквизиты не проверялись и в чек-листе он не учитывается. Если это ошибка, загрузите чёткий скан, на котором виден заголовок документа.",
        "kk": "Құжаттың аттестацияға қатысы жоқ сияқты (онда: «{words}»), сондықтан оның деректемелері тексерілмеді және ол чек-парақта есептелмейді. Егер бұл қате болса, құжаттың тақырыбы көрінетін анық сканды жүктеңіз.",
        "en": "This document does not look like an attestation paper (it says «{words}»), so its details were not checked and the checklist does not count it. If this is wrong, upload a clear scan that shows the document's title.",
    },
})

# An electronic copy (no scan, no digital signature) of a kind that must carry the head's seal and
# signature (a generated transmission programme, an act of implementation): how to meet the rule.
register({
    "scan.seal.electronic_unsigned": {
        "ru": "Это электронный файл без ЭЦП, а документ «{kind}» нужно заверить печатью и подписью руководителя. Как выполнить требование: распечатайте документ, подпишите его у руководителя и поставьте печать, отсканируйте и загрузите скан — или подпишите этот файл ЭЦП руководителя и загрузите подписанный файл.",
        "kk": "Бұл ЭЦҚ-сыз электрондық файл, ал «{kind}» құжатын басшының мөрімен және қолымен куәландыру қажет. Талапты орындау үшін: құжатты басып шығарып, басшыға қол қойғызып, мөр бастырыңыз, сканерлеп, сканды жүктеңіз — немесе осы файлға басшының ЭЦҚ-сын қойып, қол қойылған файлды жүктеңіз.",
        "en": "This is an electronic file without a digital signature, but a “{kind}” must be certified with the head's seal and signature. To meet the rule: print it, have the head sign and stamp it, scan it and upload the scan — or sign this file with the head's digital signature and upload the signed file.",
    },
})

# Uncertain findings and pages too poor to judge (issue 13): the check asks a person to look.
register({
    "scan.seal.uncertain": {
        "ru": "На странице {page} возможно есть печать, но распознать её уверенно не удалось (область обведена рамкой на изображении страницы). Проверьте её вручную.",
        "kk": "{page}-бетте мөр болуы мүмкін, бірақ оны сенімді түрде тану мүмкін болмады (аймақ бет суретінде жақтаумен белгіленген). Оны қолмен тексеріңіз.",
        "en": "Page {page} may carry a seal, but it could not be recognised with confidence (the area is framed on the page picture). Check it by eye.",
    },
    "scan.seal.poor_page": {
        "ru": "Страница {page} отсканирована слишком плохо, чтобы уверенно сказать, есть ли на ней печать. Отсканируйте документ чётче (300 dpi, целиком) или проверьте вручную.",
        "kk": "{page}-бет тым нашар сканерленген, онда мөрдің бар-жоғын сенімді айту мүмкін емес. Құжатты анығырақ сканерлеңіз (300 dpi, толық) немесе қолмен тексеріңіз.",
        "en": "Page {page} is scanned too poorly to say with confidence whether it carries a seal. Scan the document more clearly (300 dpi, whole page) or check it by eye.",
    },
    "scan.signature.uncertain": {
        "ru": "На странице {page} возможно есть подпись от руки, но распознать её уверенно не удалось (область обведена рамкой на изображении страницы). Проверьте её вручную.",
        "kk": "{page}-бетте қолмен қойылған қолтаңба болуы мүмкін, бірақ оны сенімді түрде тану мүмкін болмады (аймақ бет суретінде жақтаумен белгіленген). Оны қолмен тексеріңіз.",
        "en": "Page {page} may carry a handwritten signature, but it could not be recognised with confidence (the area is framed on the page picture). Check it by eye.",
    },
    "scan.signature.poor_page": {
        "ru": "Страница {page} отсканирована слишком плохо, чтобы уверенно сказать, есть ли на ней подпись от руки. Отсканируйте документ чётче (300 dpi, целиком) или проверьте вручную.",
        "kk": "{page}-бет тым нашар сканерленген, онда қолмен қойылған қолтаңбаның бар-жоғын сенімді айту мүмкін емес. Құжатты анығырақ сканерлеңіз (300 dpi, толық) немесе қолмен тексеріңіз.",
        "en": "Page {page} is scanned too poorly to say with confidence whether it carries a handwritten signature. Scan the document more clearly (300 dpi, whole page) or check it by eye.",
    },
})
