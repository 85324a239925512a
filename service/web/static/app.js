/* Attest web UI: small progressive enhancements, no framework.
   - rows of table fields: add / remove
   - confirmation of destructive or final actions
   - selects that reload the page (data-navigate) or submit their form (data-autosubmit)
   - file upload with drag and drop and a progress bar (XHR, CSRF header)
   - polling of verification progress (server-rendered fragment) and of job progress (JSON)
   The Content-Security-Policy allows no inline script, handler or style attribute: behaviour lives
   here, sizes are set through the CSSOM (element.style.x = ...) or as <progress> values, never as
   setAttribute("style") or style= in HTML strings. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");  /* the page's own widgets replace the browser's */

  /* ---- file fields in the page's language: the browser's own button speaks the browser's ---- */
  document.querySelectorAll("input[type=file][data-choose]").forEach(function (input) {
    var pick = document.createElement("span");
    pick.className = "file-pick";
    var button = document.createElement("label");
    button.className = "btn secondary small";
    button.htmlFor = input.id;
    button.textContent = input.getAttribute("data-choose");
    var name = document.createElement("span");
    name.className = "file-name";
    name.textContent = input.getAttribute("data-none") || "";
    pick.appendChild(button);
    pick.appendChild(name);
    input.classList.add("picked");
    input.insertAdjacentElement("afterend", pick);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      name.textContent = names.length ? names.join(", ") : (input.getAttribute("data-none") || "");
    });
  });
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var lang = document.body.getAttribute("data-lang") || "ru";
  var T = {
    ru: {uploading: "Загрузка", uploaded: "Файлы загружены, идёт проверка…", failed: "Не удалось загрузить", network: "Нет связи с сервером. Проверьте интернет и попробуйте снова.", tooBig: "Файл слишком большой", waitSubmit: "Дождитесь окончания проверки всех файлов."},
    kk: {uploading: "Жүктелуде", uploaded: "Файлдар жүктелді, тексерілуде…", failed: "Жүктеу мүмкін болмады", network: "Сервермен байланыс жоқ. Интернетті тексеріп, қайталаңыз.", tooBig: "Файл тым үлкен", waitSubmit: "Барлық файлдардың тексерілуін күтіңіз."},
    en: {uploading: "Uploading", uploaded: "Files uploaded; checking…", failed: "Upload failed", network: "No connection to the server. Check the network and try again.", tooBig: "The file is too large", waitSubmit: "Wait until every file has been checked."}
  }[lang] || {};

  /* ---- table rows ---- */
  function renumber(tbody) {
    var rows = tbody.querySelectorAll(":scope > tr, :scope > .card-row");
    rows.forEach(function (tr, i) { var c = tr.querySelector(".rownum"); if (c) c.textContent = String(i + 1); });
  }
  document.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add-row]");
    if (add) {
      var name = add.getAttribute("data-add-row");
      var tpl = document.querySelector('template[data-row-template="' + name + '"]');
      var body = document.querySelector('[data-rows="' + name + '"]');
      if (!tpl || !body) return;
      var next = parseInt(body.getAttribute("data-next") || "0", 10);
      body.setAttribute("data-next", String(next + 1));
      var html = tpl.innerHTML.split("__i__").join(String(next));
      var holder = document.createElement(body.tagName === "TBODY" ? "tbody" : "div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      body.appendChild(row);
      renumber(body);
      var first = row.querySelector("input, select, textarea");
      if (first) first.focus();
      return;
    }
    var rm = ev.target.closest("[data-remove-row]");
    if (rm) {
      var rowEl = rm.closest("tr, .card-row");
      var parent = rowEl && rowEl.parentElement;
      if (rowEl && parent) { rowEl.remove(); renumber(parent); }
    }
  });

  /* ---- what was typed survives a language switch: the forms' changed fields go to sessionStorage
     when a language link is followed and come back on the same page in the new language ---- */
  var KEEP_KEY = "attest.keep:" + window.location.pathname;
  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && !el.disabled &&
        ["file", "password", "hidden", "submit", "button"].indexOf(el.type) < 0;
    });
  }
  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    return el.value !== el.defaultValue;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("nav.langs a[hreflang]");
    if (!link) return;
    var forms = [];
    document.querySelectorAll("main form").forEach(function (form, index) {
      var fields = keptFields(form);
      if (!fields.some(changed)) return;
      forms.push({index: index, action: form.getAttribute("action") || "", fields: fields.map(function (el) {
        return [el.name, el.type === "checkbox" || el.type === "radio" ? (el.checked ? "1" : "") : el.value,
                el.type === "radio" ? el.value : null];
      })});
    });
    try {
      if (forms.length) window.sessionStorage.setItem(KEEP_KEY, JSON.stringify(forms));
      else window.sessionStorage.removeItem(KEEP_KEY);
    } catch (e) { /* storage refused (private mode): the switch still works */ }
  });
  function addRowAt(form, name, index) {
    /* a row added by hand before the switch: made again from its template, at the same index */
    var tpl = form.querySelector('template[data-row-template="' + name + '"]');
    var body = form.querySelector('[data-rows="' + name + '"]');
    if (!tpl || !body) return;
    var holder = document.createElement(body.tagName === "TBODY" ? "tbody" : "div");
    holder.innerHTML = tpl.innerHTML.split("__i__").join(String(index));
    body.appendChild(holder.firstElementChild);
    body.setAttribute("data-next", String(Math.max(index + 1, parseInt(body.getAttribute("data-next") || "0", 10))));
    renumber(body);
  }
  (function restoreKept() {
    var raw = null;
    try { raw = window.sessionStorage.getItem(KEEP_KEY); window.sessionStorage.removeItem(KEEP_KEY); } catch (e) { return; }
    if (!raw) return;
    var saved = [];
    try { saved = JSON.parse(raw) || []; } catch (e) { return; }
    var forms = document.querySelectorAll("main form");
    saved.forEach(function (entry) {
      var form = forms[entry.index];
      if (!form || (form.getAttribute("action") || "") !== entry.action) return;
      entry.fields.forEach(function (f) {
        var name = f[0], value = f[1], radioValue = f[2];
        var row = /^(.+)\.(\d+)\.[^.]+$/.exec(name);
        if (!form.elements.namedItem(name) && row) addRowAt(form, row[1], parseInt(row[2], 10));
        var els = Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
        els.forEach(function (el) {
          if (el.type === "radio") { if (el.value === radioValue) el.checked = value === "1"; }
          else if (el.type === "checkbox") el.checked = value === "1";
          else el.value = value;
        });
      });
    });
  })();

  /* ---- confirmations ---- */
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  /* ---- selects that act at once (the policy forbids onchange="...") ---- */
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (!el || !el.matches) return;
    if (el.matches("select[data-navigate]")) {
      window.location.href = el.getAttribute("data-navigate") + encodeURIComponent(el.value);
    } else if (el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });

  /* ---- live fragment polling (dossier files and checklist) ---- */
  function updateSubmit(live) {
    var btn = document.getElementById("submit-btn");
    var hint = document.getElementById("submit-hint");
    if (!btn || !live) return;
    var ok = live.getAttribute("data-can-submit") === "yes";
    btn.disabled = !ok;
    if (hint) hint.textContent = ok ? "" : T.waitSubmit;
  }
  var pollTimer = null;
  function pollLive(url, delay) {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = setTimeout(function () {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}}).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      }).then(function (html) {
        var live = document.getElementById("live");
        var tmp = document.createElement("div");
        tmp.innerHTML = html;
        var fresh = tmp.querySelector("#live");
        if (live && fresh) { live.replaceWith(fresh); live = fresh; }
        updateSubmit(live);
        if (live && parseInt(live.getAttribute("data-pending") || "0", 10) > 0) { pollLive(url, 1500); return; }
        var st = document.getElementById("upload-status");
        if (st && !st.querySelector(".error")) st.textContent = "";
      }).catch(function () { pollLive(url, 4000); });
    }, delay);
  }
  var liveEl = document.getElementById("live");
  var uploadForm = document.querySelector("form[data-upload]");
  if (liveEl && uploadForm && parseInt(liveEl.getAttribute("data-pending") || "0", 10) > 0) {
    pollLive(uploadForm.getAttribute("data-live"), 1500);
  }

  /* ---- upload: several files, drag and drop, progress ---- */
  function errorText(xhr) {
    try {
      var data = JSON.parse(xhr.responseText);  // our format: {"error": code, "message": text, "details": ...}
      var err = (data.error && typeof data.error === "object") ? data.error : data;
      var words = data.messages && data.messages[lang];  // the catalog's words in the page's language
      return words || err.message || (typeof data.detail === "string" ? data.detail : "") || (T.failed + " (" + xhr.status + ")");
    } catch (e) { return T.failed + " (" + xhr.status + ")"; }
  }
  function upload(form, files) {
    if (!files || !files.length) return;
    var status = document.getElementById("upload-status");
    var fd = new FormData();
    var langField = form.querySelector('input[name="lang"]');
    if (langField) fd.append("lang", langField.value);
    for (var i = 0; i < files.length; i++) fd.append("files", files[i], files[i].name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    var meter = document.createElement("div"), bar = document.createElement("progress"), pct = document.createElement("span");
    meter.className = "meter"; bar.className = "progress"; bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", T.uploading || ""); pct.className = "pct"; pct.textContent = "0%";
    meter.appendChild(bar); meter.appendChild(pct);
    status.textContent = ""; status.appendChild(meter);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      var p = Math.round(100 * e.loaded / e.total);
      bar.value = p; pct.textContent = p + "%";
    };
    xhr.onload = function () {
      var input = form.querySelector('input[type="file"]');
      if (input) input.value = "";
      if (xhr.status >= 200 && xhr.status < 300) {
        status.textContent = T.uploaded;
        pollLive(form.getAttribute("data-live"), 0);
      } else {
        status.innerHTML = "";
        var p = document.createElement("div");
        p.className = "error"; p.setAttribute("role", "alert"); p.textContent = errorText(xhr);
        status.appendChild(p);
      }
    };
    xhr.onerror = function () { status.innerHTML = ""; var p = document.createElement("div"); p.className = "error"; p.textContent = T.network; status.appendChild(p); };
    xhr.send(fd);
  }
  if (uploadForm) {
    var input = uploadForm.querySelector('input[type="file"]');
    var zone = uploadForm.querySelector("[data-dropzone]");
    input.addEventListener("change", function () { upload(uploadForm, input.files); });
    uploadForm.addEventListener("submit", function (ev) { ev.preventDefault(); upload(uploadForm, input.files); });
    ["dragenter", "dragover"].forEach(function (n) {
      zone.addEventListener(n, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (n) {
      zone.addEventListener(n, function (ev) { ev.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (ev) { upload(uploadForm, ev.dataTransfer.files); });
  }

  /* ---- a form whose files go to the API (batch table, public check) ---- */
  document.querySelectorAll("form[data-ajax-upload]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var status = form.querySelector("#upload-status") || document.getElementById("upload-status");
      var fileInput = form.querySelector('input[type="file"]');
      if (fileInput && fileInput.required && !fileInput.files.length) {
        status.innerHTML = ""; var e = document.createElement("div"); e.className = "error"; e.setAttribute("role", "alert");
        e.textContent = form.getAttribute("data-missing") || T.failed; status.appendChild(e); fileInput.focus(); return;
      }
      var fd = new FormData(form);
      fd.delete("csrf_token");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      status.textContent = T.uploading + "…";
      var btn = form.querySelector('button[type="submit"]');
      if (btn) btn.disabled = true;
      xhr.onload = function () {
        if (btn) btn.disabled = false;
        if (xhr.status >= 200 && xhr.status < 300) {
          var data = {};
          try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
          var next = form.getAttribute("data-next");
          if (next && data.id) { window.location.href = next.replace("{id}", encodeURIComponent(data.id)); return; }
          if (form.hasAttribute("data-result")) {
            var box = document.getElementById(form.getAttribute("data-result"));
            var text = box && box.querySelector('[data-result-text="' + (data.result || "unknown") + '"]');
            if (box) {
              box.querySelectorAll("[data-result-text]").forEach(function (el) { el.hidden = true; });
              if (text) text.hidden = false;
              /* the public check: the registry's record of an issued document, to compare the paper with */
              var rec = box.querySelector("[data-record]");
              if (rec) {
                rec.hidden = !data.record;
                var cmp = rec.querySelector(".compare");  /* comparing with the paper: for a picture of it */
                if (cmp) cmp.hidden = data.result !== "picture";
                if (data.record) rec.querySelectorAll("[data-record-field]").forEach(function (el) {
                  var k = el.getAttribute("data-record-field"), v = data.record[k];
                  if (k === "kind") v = (data.record.kind_titles || {})[document.documentElement.lang] || v;
                  if (k === "issuer") v = (data.record.issuer_titles || {})[document.documentElement.lang] || v;
                  if (k === "issued_on" && v) v = v.split("-").reverse().join(".");
                  el.textContent = v || "—";
                });
                /* the issued PDF's first page beside the record, when the registry keeps it */
                var fig = rec.querySelector("[data-record-preview]");
                if (fig) {
                  var url = data.record && data.record.preview_url;
                  fig.hidden = !url;
                  if (url) { fig.querySelector("img").src = url; fig.querySelector("a").href = url; }
                }
              }
              box.className = "notice " + ((text && text.getAttribute("data-tone")) || "");
              box.hidden = false;
              box.focus && box.focus();
            }
            status.textContent = "";
          }
        } else {
          status.innerHTML = "";
          var p = document.createElement("div"); p.className = "error"; p.setAttribute("role", "alert");
          p.textContent = errorText(xhr); status.appendChild(p);
        }
      };
      xhr.onerror = function () { if (btn) btn.disabled = false; status.textContent = T.network; };
      xhr.send(fd);
    });
  });

  /* ---- job progress (batch generation, dossier assembly) ---- */
  document.querySelectorAll("[data-job]").forEach(function (box) {
    var url = box.getAttribute("data-job");
    var bar = box.querySelector("progress"), pct = box.querySelector(".pct");
    var label = box.querySelector("[data-job-label]");
    function tick() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); }).then(function (job) {
        var p = Math.round(100 * (job.progress || 0));
        if (bar) bar.value = p;
        if (pct) pct.textContent = p + "%";
        if (label && job.label) label.textContent = job.label;
        if (job.done) { window.location.reload(); return; }
        setTimeout(tick, 1000);
      }).catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 500);
  });
})();
