"""Document generation, an engine without a database: typed data → DOCX (docxtpl) → PDF (LibreOffice) →
signed PDF, with the registration it is handed printed on it.

Entry points: :func:`service.generation.service.prepare` and :func:`~service.generation.service.produce`
(one document), :func:`service.generation.service.generate_batch`, :func:`service.generation.schemas.example_data`
(every kind's example data, package data). The documents domain (:mod:`service.documents.service`) numbers,
stores and audits what it makes.
"""
