"""Errors of the attestation engine (profiles, manifests, assembly); signing fails with the service's own
:class:`~service.errors.SigningError`.

    AttestError (service.errors)
    └── DossierError (500)               could not build a dossier at all
        ├── ProfileError (500)           a profile data file is invalid: names the file, the requirement, what
        │   └── UnknownProfile (422)     a manifest names a profile id that has no data file
        ├── ManifestError (422)          a dossier manifest is wrong: names the field or the file
        └── AssemblyError (500)          a document could not be put into dossier.pdf
    SigningError (500, service.errors)   the service key is unusable or signing failed (service.signing)

An unmet requirement is not an error: it is a value in the match result. Third-party errors (pydantic,
PyYAML, pypdf, img2pdf, reportlab) are translated here, chaining ``from exc``.
"""

from __future__ import annotations

from service.errors import AttestError, BadInput

__all__ = ["AssemblyError", "DossierError", "ManifestError", "ProfileError", "UnknownProfile"]


class DossierError(AttestError):
    code = "dossier_error"


class ProfileError(DossierError):
    code = "profile_invalid"


class UnknownProfile(ProfileError, BadInput):
    status_code = 422
    code = "profile_unknown"


class ManifestError(DossierError, BadInput):
    status_code = 422
    code = "manifest_invalid"


class AssemblyError(DossierError):
    code = "assembly_failed"
