"""Document generation: typed data → DOCX (docxtpl) → PDF (LibreOffice) → signed PDF, registered.

Entry points: :func:`service.generation.service.generate_document`,
:func:`service.generation.service.generate_batch`, :func:`service.generation.schemas.example_data` (every kind's example data, package data).
"""
