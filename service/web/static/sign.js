/* Signing page (service/web/pages/signing.py): the official signs the prepared document with her own key.
   URLs come from the widget (templates/_sign_widget.html: data-prepare, data-finish, data-tbs).
   1. POST …/prepare: the server reserves a signature field and answers the bytes to sign
      (base64), a state token, her IIN and the time to wait.
   2. NCALayer over its WebSocket (data-ncalayer, default wss://127.0.0.1:13579): after its greeting
      {"result":{"version":…}}, the kz.gov.pki.knca.basics "sign" call (format cms, detached, signerParams
      restricting the key by IIN and key usage); an NCALayer without that module answers with a
      commonUtils-style error and gets the older commonUtils.createCAdESFromBase64 call instead.
   3. POST …/finish with the CMS: the server checks it and embeds it, or refuses it.
   Russia: the CryptoPro browser plug-in (window.cadesplugin), CAdES-BES over the GOST R 34.11-2012 hash.
   Without a plug-in: download the prepared bytes, sign them elsewhere, upload the .cms/.p7s/.sig.
   Every text comes from the page (data-msg-*, the web catalog). No inline script (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("sign");
  if (!box) return;
  var urls = {prepare: box.getAttribute("data-prepare"), finish: box.getAttribute("data-finish"),
              tbs: box.getAttribute("data-tbs")};
  var ncalayerUrl = box.getAttribute("data-ncalayer");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var lang = document.body.getAttribute("data-lang") || document.documentElement.lang || "ru";
  var statusEl = document.getElementById("sign-status");
  var button = document.getElementById("sign-ncalayer");
  var started = null;
  var busy = false;

  function msg(key) { return box.getAttribute("data-msg-" + key.replace(/_/g, "-")) || key; }

  function show(text, kind) {
    statusEl.hidden = false;
    statusEl.className = "notice sign-status" + (kind ? " " + kind : "");
    statusEl.setAttribute("data-state", kind || "info");
    statusEl.textContent = text;
  }

  function post(url, body) {
    var headers = {"X-CSRF-Token": csrf, "Accept": "application/json"};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    url += (url.indexOf("?") < 0 ? "?" : "&") + "lang=" + encodeURIComponent(lang);  /* answers in the page's language */
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers,
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .catch(function () { throw {text: msg("network")}; })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok || j.ok === false) throw {text: j.message || msg("failed"), reason: j.reason};
          return j;
        });
      });
  }

  function prepare() {
    if (started) return Promise.resolve(started);
    var payload = box.getAttribute("data-payload");  /* what the signed data states (a decision and its comment) */
    return post(urls.prepare, payload ? JSON.parse(payload) : undefined).then(function (j) { started = j; return j; });
  }

  function basicsRequest(s) {
    return {module: "kz.gov.pki.knca.basics", method: "sign", args: {
      allowedStorages: null, format: "cms", data: s.data, locale: lang,
      signingParams: {decode: true, encapsulate: false, digested: false, tsaProfile: null},
      signerParams: {extKeyUsageOids: ["1.3.6.1.5.5.7.3.4"], iin: s.iin || "", bin: s.bin || "", chain: []}
    }};
  }

  function commonRequest(s) {
    return {module: "kz.gov.pki.knca.commonUtils", method: "createCAdESFromBase64",
            args: ["PKCS12", "SIGNATURE", s.data, false]};
  }

  function isCancel(m) { return /cancel/i.test(String(m.code || "") + " " + String(m.message || "")); }

  /* One signature from NCALayer: resolves with the CMS (base64), rejects with {code}. */
  function ncalayerSign(s) {
    return new Promise(function (resolve, reject) {
      var ws, stage = "greeting", opened = false, over = false;
      function end(ok, value) {
        if (over) return;
        over = true;
        clearTimeout(timer);
        try { ws.close(); } catch (e) { /* already closed */ }
        if (ok) resolve(value); else reject({code: value});
      }
      var timer = setTimeout(function () { end(false, "timeout"); }, s.timeout_ms || 120000);
      try { ws = new WebSocket(ncalayerUrl); } catch (e) { end(false, "no_ncalayer"); return; }
      ws.onopen = function () { opened = true; };
      ws.onerror = function () { end(false, opened ? "failed" : "no_ncalayer"); };
      ws.onclose = function () { end(false, opened ? "failed" : "no_ncalayer"); };
      ws.onmessage = function (ev) {
        var m;
        try { m = JSON.parse(ev.data); } catch (e) { return; }  /* "--heartbeat--" */
        if (!m || typeof m !== "object") return;
        if (stage === "greeting") {
          if (m.result && m.result.version) {
            stage = "basics";
            show(msg("choose_key"));
            ws.send(JSON.stringify(basicsRequest(s)));
          }
          return;
        }
        if (stage === "basics") {
          if (m.status === true) {
            var r = m.body && m.body.result;
            if (!r || (Array.isArray(r) && !r.length)) { end(false, "cancelled"); return; }
            end(true, Array.isArray(r) ? r[0] : r);
            return;
          }
          if (isCancel(m)) { end(false, "cancelled"); return; }
          if (m.status === undefined && m.code && m.code !== "200") {  /* no basics module: the older API */
            stage = "common";
            ws.send(JSON.stringify(commonRequest(s)));
            return;
          }
          end(false, "failed");
          return;
        }
        if (stage === "common") {
          if (m.code === "200" && m.responseObject) { end(true, m.responseObject); return; }
          end(false, isCancel(m) ? "cancelled" : "failed");
        }
      };
    });
  }

  function finish(cms) {
    show(msg("checking"));
    return post(urls.finish, {token: started.token, cms: cms}).then(function (j) {
      show(j.message || msg("done"), "ok");
      var link = document.getElementById("sign-download");
      link.href = j.download;
      document.getElementById("sign-result").hidden = false;
      button.disabled = true;
      if (cryptoproButton) cryptoproButton.disabled = true;
    });
  }

  function fail(err) {
    if (err && err.code) show(msg(err.code), err.code === "cancelled" ? "warn" : "bad");
    else show((err && err.text) || msg("failed"), "bad");
  }

  /* ---- a batch (rows tr[data-sign-file]): each document prepared, signed by NCALayer and finished in turn,
     without reloading; a cancel, a missing NCALayer or a timeout stops the run, a refused document is
     marked and the run goes on. ---- */
  var rows = Array.prototype.slice.call(box.querySelectorAll("tr[data-sign-file]"));
  var progress = document.getElementById("sign-progress");

  function signRow(row) {
    var id = row.getAttribute("data-sign-file");
    var cell = row.querySelector(".sign-row-status");
    cell.textContent = msg("choose_key");
    return post("/sign/" + id + "/prepare").then(function (s) {
      return ncalayerSign(s).then(function (cms) {
        return post("/sign/" + id + "/finish", {token: s.token, cms: cms});
      });
    }).then(function (j) {
      cell.textContent = msg("batch_row_ok") + " ";
      row.setAttribute("data-state", "ok");
      var a = document.createElement("a");
      a.href = j.download;
      a.setAttribute("data-testid", "sign-row-download");
      a.textContent = "PDF";
      cell.appendChild(a);
      return true;
    }, function (err) {
      row.setAttribute("data-state", "bad");
      cell.textContent = err && err.code ? msg(err.code) : ((err && err.text) || msg("failed"));
      if (err && (err.code === "cancelled" || err.code === "no_ncalayer" || err.code === "timeout")) throw err;
      return false;
    });
  }

  function signBatch() {
    var done = 0, i = 0;
    function summary() {
      return msg("batch_done").replace("{done}", String(done)).replace("{total}", String(rows.length));
    }
    function next() {
      if (i >= rows.length) { show(summary(), done === rows.length ? "ok" : "bad"); return Promise.resolve(); }
      var row = rows[i++];
      if (row.getAttribute("data-state") === "ok") { done++; progress.value = i; return next(); }
      return signRow(row).then(function (ok) {
        if (ok) done++;
        progress.value = i;
        show(summary());
        return next();
      });
    }
    return next().catch(function (err) { show(msg(err.code) + " " + summary(), err.code === "cancelled" ? "warn" : "bad"); });
  }

  button.addEventListener("click", function () {
    if (busy) return;
    busy = true;
    show(msg("connecting"));
    if (rows.length) { signBatch().then(function () { busy = false; }); return; }
    started = null;  /* every attempt with NCALayer signs a freshly prepared document */
    prepare().then(ncalayerSign).then(finish).catch(fail).then(function () { busy = false; });
  });

  /* ---- CryptoPro (Russia): the CryptoPro browser plug-in's cadesplugin API, asynchronous objects.
     CAdES-BES over the hash of the prepared bytes: HashedData computes the GOST R 34.11-2012 digest of
     the base64 data, SignHash makes the detached CMS with the chosen certificate (GOST R 34.10-2012).
     The certificate: the first in the personal store with a private key, valid now, and (when the
     official's IIN is known) whose subject names it. ---- */
  var CADES = {CURRENT_USER: 2, MY: "My", MAX_ALLOWED: 2, BASE64_TO_BINARY: 1, GOST_2012_256: 101, GOST_2012_512: 102,
               CADES_BES: 1};
  var GOST_2012_512_KEY = "1.2.643.7.1.1.1.2";  /* the key's algorithm decides the hash: Streebog-512 for a 512-bit key */

  function hashAlgorithm(cert) {
    return cert.PublicKey().then(function (pk) { return pk.Algorithm; }).then(function (alg) { return alg.Value; })
      .then(function (oid) { return oid === GOST_2012_512_KEY ? CADES.GOST_2012_512 : CADES.GOST_2012_256; });
  }

  function cadesSign(s) {
    var plugin = window.cadesplugin;
    if (!plugin || typeof plugin.then !== "function") return Promise.reject({code: "no_cryptopro"});
    return plugin.then(function () {
      return plugin.CreateObjectAsync("CAdESCOM.Store");
    }).then(function (store) {
      return store.Open(CADES.CURRENT_USER, CADES.MY, CADES.MAX_ALLOWED).then(function () {
        return store.Certificates;
      }).then(function (certs) {
        return certs.Count.then(function (n) {
          var pick = function (i) {
            if (i > n) return Promise.reject({code: "no_certificate"});
            return certs.Item(i).then(function (cert) {
              return Promise.all([cert.SubjectName, cert.HasPrivateKey(), cert.ValidToDate]).then(function (v) {
                var fits = v[1] && new Date(v[2]) > new Date() && (!s.iin || String(v[0]).indexOf(s.iin) >= 0);
                return fits ? cert : pick(i + 1);
              });
            });
          };
          return pick(1);  /* the plug-in's collections count from 1 */
        });
      }).then(function (cert) {
        store.Close();
        show(msg("choose_certificate"));
        return Promise.all([plugin.CreateObjectAsync("CAdESCOM.CPSigner"), plugin.CreateObjectAsync("CAdESCOM.HashedData"),
                            plugin.CreateObjectAsync("CAdESCOM.CadesSignedData")]).then(function (o) {
          var signer = o[0], hashed = o[1], signed = o[2];
          return signer.propset_Certificate(cert)
            .then(function () { return hashAlgorithm(cert); })
            .then(function (algorithm) { return hashed.propset_Algorithm(algorithm); })
            .then(function () { return hashed.propset_DataEncoding(CADES.BASE64_TO_BINARY); })
            .then(function () { return hashed.Hash(s.data); })
            .then(function () { return signed.SignHash(hashed, signer, CADES.CADES_BES); });
        });
      });
    }).catch(function (e) {
      if (e && e.code) throw e;
      var text = String((e && e.message) || e || "");
      throw {code: /0x800704C7|cancel|отмен/i.test(text) ? "cancelled" : "failed"};
    });
  }

  var cryptoproButton = document.getElementById("sign-cryptopro");
  if (cryptoproButton) cryptoproButton.addEventListener("click", function () {
    if (busy) return;
    busy = true;
    started = null;
    show(msg("connecting"));
    prepare().then(cadesSign).then(finish).catch(fail).then(function () { busy = false; });
  });

  /* ---- a signature made with another program ---- */
  var saved = "attest-sign-" + urls.prepare;  /* the token outlives a reload while the user signs elsewhere */
  var tbsButton = document.getElementById("sign-tbs");
  var tbsLink = document.getElementById("sign-tbs-link");
  if (tbsButton) tbsButton.addEventListener("click", function () {
    started = null;
    prepare().then(function (s) {
      try { window.sessionStorage.setItem(saved, s.token); } catch (e) { /* private mode: this page only */ }
      tbsLink.href = urls.tbs + "?token=" + encodeURIComponent(s.token);
      tbsLink.hidden = false;
      tbsLink.click();
    }).catch(fail);
  });

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer), out = "", chunk = 0x8000;
    for (var i = 0; i < bytes.length; i += chunk) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return window.btoa(out);
  }

  var uploadButton = document.getElementById("sign-upload-submit");
  if (uploadButton) uploadButton.addEventListener("click", function () {
    var input = document.getElementById("sign-upload");
    var file = input.files && input.files[0];
    if (!file) { show(msg("upload_needed"), "bad"); return; }
    var token = null;
    try { token = window.sessionStorage.getItem(saved); } catch (e) { token = null; }
    if (!started && token) started = {token: token};
    if (!started) { show(msg("prepare_first"), "bad"); return; }  /* the signature must be over the prepared bytes */
    file.arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var text = bytes[0] === 0x30 ? null : new TextDecoder("ascii").decode(bytes);
      return finish(text !== null ? text : toBase64(buffer));
    }).catch(fail);
  });
  box.setAttribute("data-ready", "yes");  /* the buttons work from now on (tests wait for it) */
})();
