"""Document generation: typed data → DOCX (docxtpl) → PDF (LibreOffice) → signed PDF, registered.

Entry points: :func:`service.generation.service.generate_document`,
:func:`service.generation.service.generate_batch`, :func:`service.generation.demo.generate_samples`.
"""
