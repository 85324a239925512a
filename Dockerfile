# Attest web and worker image: the same Debian packages the Makefile installs.
FROM python:3.11-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
      libreoffice-writer-nogui libreoffice-calc-nogui python3-uno python3-venv python3-pip \
      tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-eng \
      libtesseract-dev libleptonica-dev pkg-config g++ \
      poppler-utils qpdf libengine-gost-openssl openssl \
      fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra make \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY verification verification
COPY samples samples
# not editable: templates, profiles, locales, migrations and reference data are package data
# tesserocr built against Debian's libtesseract: the same engine as the tesseract program (verification/scans/ocr.py)
RUN python -m venv /app/.venv && PIP_NO_BINARY=tesserocr /app/.venv/bin/pip install --no-cache-dir . \
    && /usr/bin/python3 -m venv --system-site-packages /app/.venv-uno && /app/.venv-uno/bin/pip install --no-cache-dir unoserver
ENV PATH=/app/.venv/bin:$PATH ATTEST_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["attest", "serve", "--host", "0.0.0.0", "--port", "8000"]
