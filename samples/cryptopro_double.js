/* A test double of the CryptoPro browser plug-in's asynchronous cadesplugin API (what cadesplugin_api.js
   and the extension give a page), for the browser tests: the real plug-in needs CryptoPro CSP and a key
   carrier. Injected with Playwright's add_init_script; the test sets window.__cadesConfig =
   {certificates: [{subject, thumbprint, validTo, hasPrivateKey, keyAlgorithm}], mode: "sign" | "cancel"} and exposes
   window.__cadesSign(base64Data, thumbprint) -> Promise<base64 CMS> (signing happens in Python with
   OpenSSL's GOST engine: a detached CAdES-BES whose messageDigest is the GOST R 34.11-2012 hash).
   Objects, methods and constants follow the plug-in's documentation: CreateObjectAsync("CAdESCOM.Store"),
   Store.Open/Certificates/Close, Certificates.Count/Item(i) from 1, Certificate.SubjectName/Thumbprint/
   ValidToDate/HasPrivateKey(), CPSigner.propset_Certificate, HashedData.propset_Algorithm/
   propset_DataEncoding/Hash, CadesSignedData.SignHash(hashed, signer, CADESCOM_CADES_BES). */
(function () {
  "use strict";
  function config() { return window.__cadesConfig || {certificates: [], mode: "sign"}; }
  var calls = window.__cadesCalls = [];

  function certificate(c) {
    return {
      SubjectName: Promise.resolve(c.subject), Thumbprint: Promise.resolve(c.thumbprint),
      ValidToDate: Promise.resolve(c.validTo), HasPrivateKey: function () { return Promise.resolve(!!c.hasPrivateKey); },
      PublicKey: function () {
        return Promise.resolve({Algorithm: Promise.resolve({Value: Promise.resolve(c.keyAlgorithm)})});
      },
      _thumbprint: c.thumbprint
    };
  }
  var factories = {
    "CAdESCOM.Store": function () {
      return {
        Open: function (location, name, mode) { calls.push(["Store.Open", location, name, mode]); return Promise.resolve(); },
        Close: function () { return Promise.resolve(); },
        get Certificates() {
          var list = config().certificates.map(certificate);
          return Promise.resolve({Count: Promise.resolve(list.length),
                                  Item: function (i) { return Promise.resolve(list[i - 1]); }});
        }
      };
    },
    "CAdESCOM.CPSigner": function () {
      var self = {cert: null};
      self.propset_Certificate = function (c) { self.cert = c; return Promise.resolve(); };
      self.propset_Options = function () { return Promise.resolve(); };
      return self;
    },
    "CAdESCOM.HashedData": function () {
      var self = {algorithm: null, encoding: 0, data: null};
      self.propset_Algorithm = function (a) { self.algorithm = a; return Promise.resolve(); };
      self.propset_DataEncoding = function (e) { self.encoding = e; return Promise.resolve(); };
      self.Hash = function (d) { self.data = d; return Promise.resolve(); };
      return self;
    },
    "CAdESCOM.CadesSignedData": function () {
      return {
        SignHash: function (hashed, signer, type) {
          calls.push(["SignHash", hashed.algorithm, hashed.encoding, type, signer.cert && signer.cert._thumbprint]);
          if (config().mode === "cancel") {
            return Promise.reject(new Error("Операция была отменена пользователем. (0x800704C7)"));
          }
          return window.__cadesSign(hashed.data, signer.cert._thumbprint);
        }
      };
    }
  };
  var plugin = Promise.resolve();
  plugin.CreateObjectAsync = function (name) {
    var make = factories[name];
    return make ? Promise.resolve(make()) : Promise.reject(new Error("unknown object " + name));
  };
  window.cadesplugin = plugin;
})();
