"""Russian, Kazakh and English texts of the signature checks, in words a teacher understands."""

from __future__ import annotations

from verification.messages import register

__all__ = ["MESSAGES"]

MESSAGES: dict[str, dict[str, str]] = {
    # -- who must sign (signer_rule.py, issue 15) --------------------------------------------------
    "signature.signer_rule.pass": {
        "ru": "Подписал тот, кто должен: {kind} подписывает {who}; подпись {signer} (ИИН {iin}, БИН {bin}) соответствует.",
        "kk": "Тиісті адам қол қойған: {kind} құжатына {who} қол қояды; {signer} қолтаңбасы (ЖСН {iin}, БСН {bin}) сәйкес келеді.",
        "en": "Signed by the right person: “{kind}” is signed by {who}; the signature of {signer} (IIN {iin}, BIN {bin}) fits.",
    },
    "signature.signer_rule.wrong_person": {
        "ru": "Подпись {signer} (ИИН {iin}) действительна, но поставлена не тем человеком: {kind} должен подписать {who}. Документ проверит комиссия.",
        "kk": "{signer} қолтаңбасы (ЖСН {iin}) жарамды, бірақ басқа адам қойған: {kind} құжатына {who} қол қоюы тиіс. Құжатты комиссия тексереді.",
        "en": "The signature of {signer} (IIN {iin}) is valid but from the wrong person: “{kind}” must be signed by {who}. The commission will review the document.",
    },
    "signature.signer_rule.wrong_organisation": {
        "ru": "Подпись {signer} действительна, но поставлена от другой организации (БИН {bin}, а нужен БИН {expected_bin}): {kind} должен подписать {who}. Документ проверит комиссия.",
        "kk": "{signer} қолтаңбасы жарамды, бірақ басқа ұйымнан қойылған (БСН {bin}, ал қажеті — БСН {expected_bin}): {kind} құжатына {who} қол қоюы тиіс. Құжатты комиссия тексереді.",
        "en": "The signature of {signer} is valid but made for another organisation (BIN {bin}, expected BIN {expected_bin}): “{kind}” must be signed by {who}. The commission will review the document.",
    },
    "signature.signer_rule.personal_key": {
        "ru": "Подпись {signer} действительна, но поставлена личным ключом физического лица (в сертификате нет БИН), а {kind} подписывает {who} ключом организации (БИН {expected_bin}). Документ проверит комиссия.",
        "kk": "{signer} қолтаңбасы жарамды, бірақ жеке тұлғаның кілтімен қойылған (сертификатта БСН жоқ), ал {kind} құжатына {who} ұйым кілтімен (БСН {expected_bin}) қол қояды. Құжатты комиссия тексереді.",
        "en": "The signature of {signer} is valid but made with a private person's key (no BIN in the certificate), while “{kind}” is signed by {who} with the organisation's key (BIN {expected_bin}). The commission will review the document.",
    },
    "signature.signer_rule.not_configured": {
        "ru": "{kind} подписывает {who}; ожидаемые ИИН и БИН не заданы, поэтому подписант {signer} с ними не сверялся.",
        "kk": "{kind} құжатына {who} қол қояды; күтілетін ЖСН мен БСН берілмеген, сондықтан {signer} қол қоюшысы олармен салыстырылмады.",
        "en": "“{kind}” is signed by {who}; the expected IIN and BIN were not given, so the signer {signer} was not compared with them.",
    },
    "signature.absent": {
        "ru": "Электронной подписи в файле нет. Печать и подпись на скане проверяются отдельно.",
        "kk": "Файлда электрондық қолтаңба жоқ. Сканердегі мөр мен қолтаңба бөлек тексеріледі.",
        "en": "The file has no electronic signature. A seal and signature on a scan are checked separately.",
    },
    "signature.present": {
        "ru": "В файле найдено электронных подписей: {count}.",
        "kk": "Файлда табылған электрондық қолтаңбалар саны: {count}.",
        "en": "Electronic signatures found in the file: {count}.",
    },
    "signature.detached_without_document": {
        "ru": "Это файл отдельной подписи без документа. Загрузите документ и укажите к нему этот файл подписи.",
        "kk": "Бұл құжатсыз бөлек қолтаңба файлы. Құжатты жүктеп, осы қолтаңба файлын соған көрсетіңіз.",
        "en": "This is a detached signature without its document. Upload the document and attach this signature file to it.",
    },
    "signature.unreadable": {
        "ru": "Файл подписи не удалось прочитать: {reason}. Загрузите файл подписи (.sig, .p7s, .cms) заново.",
        "kk": "Қолтаңба файлын оқу мүмкін болмады: {reason}. Қолтаңба файлын (.sig, .p7s, .cms) қайта жүктеңіз.",
        "en": "The signature file could not be read: {reason}. Upload the signature file (.sig, .p7s, .cms) again.",
    },
    "signature.format_failure": {
        "ru": "Подпись «{field}» повреждена или имеет неизвестный формат ({reason}). Подпишите документ заново.",
        "kk": "«{field}» қолтаңбасы бүлінген немесе пішімі белгісіз ({reason}). Құжатқа қайта қол қойыңыз.",
        "en": "Signature “{field}” is damaged or in an unknown format ({reason}). Sign the document again.",
    },
    "signature.integrity.pass": {
        "ru": "Подпись {signer} математически верна: подписанная версия документа не изменена.",
        "kk": "{signer} қолтаңбасы математикалық тұрғыдан дұрыс: құжаттың қол қойылған нұсқасы өзгертілмеген.",
        "en": "The signature of {signer} is mathematically correct: the signed version of the document is unchanged.",
    },
    "signature.integrity.hash_failure": {
        "ru": "Документ изменён после подписания {signer}: подпись к нему не подходит. Запросите у автора исходный подписанный файл.",
        "kk": "Құжат {signer} қол қойғаннан кейін өзгертілген: қолтаңба оған сәйкес емес. Авторынан бастапқы қол қойылған файлды сұраңыз.",
        "en": "The document was changed after {signer} signed it: the signature does not match. Ask the author for the original signed file.",
    },
    "signature.integrity.sig_crypto_failure": {
        "ru": "Подпись {signer} недействительна: значение подписи повреждено. Документ нужно подписать заново.",
        "kk": "{signer} қолтаңбасы жарамсыз: қолтаңба мәні бүлінген. Құжатқа қайта қол қою қажет.",
        "en": "The signature of {signer} is invalid: the signature value is corrupted. The document must be signed again.",
    },
    "signature.integrity.partial": {
        "ru": "Подпись {signer} покрывает только часть документа. Такой подписи доверять нельзя.",
        "kk": "{signer} қолтаңбасы құжаттың бір бөлігін ғана қамтиды. Мұндай қолтаңбаға сенуге болмайды.",
        "en": "The signature of {signer} covers only part of the document. It cannot be trusted.",
    },
    "signature.algorithm.pass": {
        "ru": "Алгоритм подписи надёжен ({algorithm}).",
        "kk": "Қолтаңба алгоритмі сенімді ({algorithm}).",
        "en": "The signature algorithm is acceptable ({algorithm}).",
    },
    "signature.algorithm.weak": {
        "ru": "Подпись {signer} сделана устаревшим ненадёжным алгоритмом ({algorithm}: SHA-1 или ключ RSA короче 2048 бит). Нужна новая подпись действующим ключом ЭЦП.",
        "kk": "{signer} қолтаңбасы ескірген сенімсіз алгоритммен жасалған ({algorithm}: SHA-1 немесе 2048 биттен қысқа RSA кілті). Жарамды ЭЦҚ кілтімен жаңа қолтаңба қажет.",
        "en": "The signature of {signer} uses an outdated, weak algorithm ({algorithm}: SHA-1 or an RSA key shorter than 2048 bits). A new signature with a current key is needed.",
    },
    "signature.algorithm.unsupported": {
        "ru": "Алгоритм подписи {signer} не поддерживается: {algorithm}. Подлинность нельзя проверить автоматически — документ проверит комиссия.",
        "kk": "{signer} қолтаңбасының алгоритміне қолдау көрсетілмейді: {algorithm}. Түпнұсқалығын автоматты тексеру мүмкін емес — құжатты комиссия тексереді.",
        "en": "The signature algorithm of {signer} is not supported: {algorithm}. Authenticity cannot be checked automatically; the commission will review it.",
    },
    "signature.trust.pass": {
        "ru": "Сертификат {signer} выдан доверенным удостоверяющим центром ({issuer}).",
        "kk": "{signer} сертификатын сенімді куәландырушы орталық берген ({issuer}).",
        "en": "The certificate of {signer} was issued by a trusted certification authority ({issuer}).",
    },
    "signature.trust.no_chain": {
        "ru": "Сертификат {signer} выдан центром «{issuer}», которого нет среди доверенных. Подпись проверит комиссия.",
        "kk": "{signer} сертификатын сенімділер қатарында жоқ «{issuer}» орталығы берген. Қолтаңбаны комиссия тексереді.",
        "en": "The certificate of {signer} was issued by “{issuer}”, which is not a trusted authority. The commission will review the signature.",
    },
    "signature.trust.not_configured": {
        "ru": "Список доверенных удостоверяющих центров не задан, поэтому сертификат {signer} нельзя признать доверенным.",
        "kk": "Сенімді куәландырушы орталықтар тізімі берілмеген, сондықтан {signer} сертификатын сенімді деп тану мүмкін емес.",
        "en": "No trusted certification authorities are configured, so the certificate of {signer} cannot be trusted.",
    },
    "signature.trust.chain_problem": {
        "ru": "Цепочку сертификатов {signer} не удалось проверить ({reason}). Подпись проверит комиссия.",
        "kk": "{signer} сертификаттар тізбегін тексеру мүмкін болмады ({reason}). Қолтаңбаны комиссия тексереді.",
        "en": "The certificate chain of {signer} could not be verified ({reason}). The commission will review the signature.",
    },
    "signature.not_evaluated": {
        "ru": "Не проверялось из-за проблемы, указанной выше.",
        "kk": "Жоғарыда көрсетілген мәселеге байланысты тексерілмеді.",
        "en": "Not checked because of the problem above.",
    },
    "signature.validity_period.pass": {
        "ru": "Сертификат {signer} действует.",
        "kk": "{signer} сертификаты жарамды.",
        "en": "The certificate of {signer} is within its validity period.",
    },
    "signature.validity_period.expired": {
        "ru": "Срок действия сертификата {signer} истёк (или ещё не начался), а доказательства времени подписания (метки времени) нет. Подпись проверит комиссия.",
        "kk": "{signer} сертификатының мерзімі өтіп кеткен (немесе әлі басталмаған), ал қол қойылған уақыттың дәлелі (уақыт белгісі) жоқ. Қолтаңбаны комиссия тексереді.",
        "en": "The certificate of {signer} has expired (or is not yet valid) and there is no proof of signing time (timestamp). The commission will review the signature.",
    },
    "signature.validity_period.poe": {
        "ru": "Сертификат {signer} истёк {not_after}, но метка времени доказывает, что подпись сделана {time}, когда сертификат действовал.",
        "kk": "{signer} сертификатының мерзімі {not_after} өтті, бірақ уақыт белгісі қолтаңбаның сертификат жарамды кезде, {time} қойылғанын дәлелдейді.",
        "en": "The certificate of {signer} expired on {not_after}, but the timestamp proves the signature was made on {time}, while the certificate was valid.",
    },
    "signature.validity_period.timestamp_outside": {
        "ru": "Сертификат {signer} уже не действовал (или ещё не действовал) на момент метки времени {time}: нет доказательства, что подпись сделана в срок действия сертификата. Подпись проверит комиссия.",
        "kk": "{signer} сертификаты {time} уақыт белгісі кезінде жарамсыз болған (немесе әлі жарамды болмаған): қолтаңбаның сертификат мерзімі ішінде қойылғанының дәлелі жоқ. Қолтаңбаны комиссия тексереді.",
        "en": "The certificate of {signer} was not valid at the time of its timestamp ({time}): nothing proves the signature was made while the certificate was valid. The commission will review the signature.",
    },
    "signature.timestamp.pass": {
        "ru": "Метка времени подписи {signer} (уровень B-T) от доверенной службы «{tsa}»: подпись существовала {time}.",
        "kk": "{signer} қолтаңбасының уақыт белгісі (B-T деңгейі) сенімді «{tsa}» қызметінен: қолтаңба {time} болған.",
        "en": "Signature timestamp of {signer} (level B-T) from the trusted service “{tsa}”: the signature existed on {time}.",
    },
    "signature.timestamp.ignored": {
        "ru": "Метка времени подписи {signer} от «{tsa}» не прошла проверку ({reason}) и не учитывается: подпись проверена без неё (уровень B-B). Комиссия может проверить службу меток времени.",
        "kk": "{signer} қолтаңбасының «{tsa}» берген уақыт белгісі тексеруден өтпеді ({reason}) және ескерілмейді: қолтаңба онсыз тексерілді (B-B деңгейі). Комиссия уақыт белгісі қызметін тексере алады.",
        "en": "The signature timestamp of {signer} from “{tsa}” did not pass its check ({reason}) and is ignored: the signature was checked without it (level B-B). The commission may check the timestamp service.",
    },
    "signature.revocation.pass": {
        "ru": "Сертификат {signer} не отозван.",
        "kk": "{signer} сертификаты кері қайтарылмаған.",
        "en": "The certificate of {signer} has not been revoked.",
    },
    "signature.revocation.revoked": {
        "ru": "Сертификат {signer} отозван ({date}). Подпись недействительна — нужна подпись действующим ключом ЭЦП.",
        "kk": "{signer} сертификаты кері қайтарылған ({date}). Қолтаңба жарамсыз — жарамды ЭЦҚ кілтімен қолтаңба қажет.",
        "en": "The certificate of {signer} was revoked ({date}). The signature is not valid; a signature with a current key is needed.",
    },
    "signature.revocation.try_later": {
        "ru": "Нет данных об отзыве сертификата ({certificates}), а загрузка из сети отключена. Проверьте позже или добавьте файл CRL.",
        "kk": "Сертификаттың кері қайтарылуы туралы дерек жоқ ({certificates}), ал желіден жүктеу өшірілген. Кейінірек тексеріңіз немесе CRL файлын қосыңыз.",
        "en": "There is no revocation data for the certificate ({certificates}) and online fetching is off. Try later or add the CRL file.",
    },
    "signature.revocation.try_later_past": {
        "ru": "Нет списка отзыва (CRL), выпущенного пока сертификат действовал, который подтвердил бы, что на момент метки времени {time} сертификат не был отозван ({certificates}). Добавьте такой CRL или проверьте позже.",
        "kk": "Сертификат жарамды кезде шығарылған, {time} уақыт белгісі кезінде сертификаттың кері қайтарылмағанын растайтын кері қайтару тізімі (CRL) жоқ ({certificates}). Осындай CRL қосыңыз немесе кейінірек тексеріңіз.",
        "en": "No revocation list (CRL) issued while the certificate was valid shows that it was not revoked at the time of the timestamp, {time} ({certificates}). Add such a CRL or try later.",
    },
    "signature.modifications.none": {
        "ru": "После подписания документ не изменялся.",
        "kk": "Қол қойылғаннан кейін құжат өзгертілмеген.",
        "en": "The document has not been changed since it was signed.",
    },
    "signature.modifications.ltv": {
        "ru": "После подписания добавлены только данные для долгосрочной проверки подписи.",
        "kk": "Қол қойылғаннан кейін тек қолтаңбаны ұзақ мерзімді тексеруге арналған деректер қосылған.",
        "en": "Only long-term validation data was added after signing.",
    },
    "signature.modifications.form_filling": {
        "ru": "После подписи {signer} в документе заполнены поля формы или добавлены подписи — это разрешено, но стоит посмотреть.",
        "kk": "{signer} қол қойғаннан кейін құжатта форма өрістері толтырылған немесе қолтаңбалар қосылған — бұл рұқсат етілген, бірақ қарап шыққан жөн.",
        "en": "After {signer} signed, form fields were filled in or signatures added: allowed, but worth a look.",
    },
    "signature.modifications.annotations": {
        "ru": "После подписи {signer} в документ добавлены комментарии (аннотации) — это разрешено, но стоит посмотреть.",
        "kk": "{signer} қол қойғаннан кейін құжатқа түсініктемелер (аннотациялар) қосылған — бұл рұқсат етілген, бірақ қарап шыққан жөн.",
        "en": "After {signer} signed, comments (annotations) were added: allowed, but worth a look.",
    },
    "signature.modifications.forbidden": {
        "ru": "После подписи {signer} в документ внесены недопустимые изменения (новое содержимое страниц). Запросите исходный подписанный файл.",
        "kk": "{signer} қол қойғаннан кейін құжатқа рұқсат етілмеген өзгерістер енгізілген (беттердің жаңа мазмұны). Бастапқы қол қойылған файлды сұраңыз.",
        "en": "After {signer} signed, forbidden changes were made (new page content). Ask for the original signed file.",
    },
    "signature.modifications.unknown": {
        "ru": "После подписи {signer} документ дополнялся; характер изменений определить не удалось.",
        "kk": "{signer} қол қойғаннан кейін құжат толықтырылған; өзгерістердің сипатын анықтау мүмкін болмады.",
        "en": "The document was extended after {signer} signed; the nature of the changes could not be determined.",
    },
    "signature.shadow.pass": {
        "ru": "Страницы выглядят так же, как в момент подписания.",
        "kk": "Беттер қол қойылған кездегідей көрінеді.",
        "en": "The pages look the same as when the document was signed.",
    },
    "signature.shadow.fail": {
        "ru": "Страницы {pages} выглядят иначе, чем в момент подписи {signer}: содержимое подменено после подписания.",
        "kk": "{pages} беттері {signer} қол қойған кездегіден басқаша көрінеді: мазмұны қол қойылғаннан кейін ауыстырылған.",
        "en": "Pages {pages} look different from when {signer} signed: the content was replaced after signing.",
    },
    "signature.algorithm.retired": {
        "ru": "Подпись {signer} математически верна, но сделана выведенным из употребления алгоритмом ({algorithm}). Подпись проверит комиссия; для новых документов нужна подпись действующим ключом ЭЦП.",
        "kk": "{signer} қолтаңбасы математикалық тұрғыдан дұрыс, бірақ қолданыстан шығарылған алгоритммен жасалған ({algorithm}). Қолтаңбаны комиссия тексереді; жаңа құжаттарға жарамды ЭЦҚ кілтімен қол қою қажет.",
        "en": "The signature of {signer} is mathematically correct but uses a retired algorithm ({algorithm}). The commission will review it; new documents need a signature with a current key.",
    },
    "signature.not_evaluable": {
        "ru": "Подпись «{field}» ({signer}) не удалось проверить: сбой программы проверки ({reason}), файл при этом может быть в порядке. Подпись проверит комиссия; сообщите о случае администратору.",
        "kk": "«{field}» қолтаңбасын ({signer}) тексеру мүмкін болмады: тексеру бағдарламасының ақауы ({reason}), файл дұрыс болуы мүмкін. Қолтаңбаны комиссия тексереді; бұл жағдай туралы әкімшіге хабарлаңыз.",
        "en": "Signature “{field}” ({signer}) could not be evaluated: the checking program failed ({reason}); the file itself may be fine. The commission will review the signature; please report the case to the administrator.",
    },
    "signature.no_signing_certificate": {
        "ru": "В подписи «{field}» нет сертификата подписавшего, поэтому её нельзя проверить. Запросите файл, подписанный с включённым сертификатом.",
        "kk": "«{field}» қолтаңбасында қол қоюшының сертификаты жоқ, сондықтан оны тексеру мүмкін емес. Сертификаты қосылып қол қойылған файлды сұраңыз.",
        "en": "Signature “{field}” does not carry the signer's certificate, so it cannot be checked. Ask for a file signed with the certificate included.",
    },
    "signature.doc_timestamp.pass": {
        "ru": "Метка времени документа от {tsa} ({time}) верна: документ существовал в этом виде в это время.",
        "kk": "{tsa} берген құжаттың уақыт белгісі ({time}) дұрыс: құжат осы уақытта осы күйінде болған.",
        "en": "The document timestamp by {tsa} ({time}) is valid: the document existed in this form at that time.",
    },
    "signature.doc_timestamp.untrusted": {
        "ru": "Метка времени документа от {tsa} ({time}) математически верна, но её служба не среди доверенных ({reason}); как доказательство времени она не используется.",
        "kk": "{tsa} берген құжаттың уақыт белгісі ({time}) математикалық тұрғыдан дұрыс, бірақ оның қызметі сенімділер қатарында жоқ ({reason}); уақыттың дәлелі ретінде пайдаланылмайды.",
        "en": "The document timestamp by {tsa} ({time}) is mathematically correct, but its service is not trusted ({reason}); it is not used as proof of time.",
    },
    "signature.doc_timestamp.broken": {
        "ru": "Метка времени документа от {tsa} не подходит к документу: документ изменён после неё.",
        "kk": "{tsa} берген құжаттың уақыт белгісі құжатқа сәйкес емес: құжат одан кейін өзгертілген.",
        "en": "The document timestamp by {tsa} does not match the document: it was changed after the timestamp.",
    },
    "signature.content": {
        "ru": "Подписан файл «{name}» ({kind}, SHA-256 {sha256}). Его содержимое не просматривается автоматически: откройте файл, чтобы прочитать его.",
        "kk": "«{name}» файлына қол қойылған ({kind}, SHA-256 {sha256}). Оның мазмұны автоматты түрде қаралмайды: оқу үшін файлды ашыңыз.",
        "en": "The signed file is “{name}” ({kind}, SHA-256 {sha256}). Its content is not analysed automatically: open the file to read it.",
    },
    "signature.revocation.not_checked": {
        "ru": "Отзыв сертификата {signer} не проверялся: нет данных об отзыве (список отзыва или ответ OCSP) на момент подписи. Подпись проверит комиссия.",
        "kk": "{signer} сертификатының кері қайтарылуы тексерілмеді: қол қою сәтіне кері қайтару деректері (тізім немесе OCSP жауабы) жоқ. Қолтаңбаны комиссия тексереді.",
        "en": "Revocation of the certificate of {signer} was not checked: no revocation data (CRL or OCSP response) for the signing time is at hand. The commission will review the signature.",
    },
}

register(MESSAGES)
