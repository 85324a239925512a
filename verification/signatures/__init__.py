"""Electronic signatures: PAdES in PDFs, detached/attached CMS, GOST; ETSI EN 319 102-1 verdicts.

The pipeline loads :class:`verification.signatures.step.SignatureStep`; the modules below import
pyHanko only when a file actually carries a signature.
"""

__all__: list[str] = []
