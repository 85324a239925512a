"""Electronic signatures: PAdES in PDFs, detached/attached CMS, GOST; ETSI EN 319 102-1 verdicts.

The pipeline loads :class:`verification.signatures.step.SignatureStep`; the modules below import
pyHanko only when a file actually carries a signature.
"""

from __future__ import annotations

import importlib
import sys
import types

__all__: list[str] = []

# pyHanko modules that import aiohttp at load time, and the classes other modules take from them.
_HTTP_MODULES = {
    "pyhanko.sign.timestamps.aiohttp_client": ("HTTPTimeStamper",),
    "pyhanko_certvalidator.fetchers.aiohttp_fetchers": ("AIOHttpFetcherBackend",),
}


def _defer_http_clients() -> None:
    """Keep aiohttp (≈0.4 s of imports) out of offline validation.

    ``pyhanko.sign`` imports its HTTP timestamp client and fetcher backend, and with them aiohttp,
    on load, although offline validation never opens a connection. We register stand-in modules
    whose classes load the real module the first time one is made: signing with a TSA URL and
    online revocation fetching still work unchanged, they only pay the import when used.
    """
    if "pyhanko.sign" in sys.modules:
        return
    for module_name, class_names in _HTTP_MODULES.items():
        if module_name in sys.modules:
            continue
        sys.modules[module_name] = _deferred_module(module_name, class_names)


def _deferred_module(module_name: str, class_names: tuple[str, ...]) -> types.ModuleType:
    class _Deferred(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            if name.startswith("__"):  # the import machinery probes __path__ etc.: not a reason to load
                raise AttributeError(name)
            return getattr(_real(), name)

    def _real() -> types.ModuleType:
        # Drop every stand-in first: the real modules import each other's submodules.
        for name in _HTTP_MODULES:
            if getattr(sys.modules.get(name), "_attest_deferred", False):
                del sys.modules[name]
        return importlib.import_module(module_name)

    stub = _Deferred(module_name)
    stub._attest_deferred = True  # type: ignore[attr-defined]
    for class_name in class_names:
        factory = type(class_name, (), {"__new__": lambda cls, *a, _n=class_name, **kw: getattr(_real(), _n)(*a, **kw)})
        setattr(stub, class_name, factory)
    return stub


_defer_http_clients()
