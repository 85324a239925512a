#!/usr/bin/env bash
# Installs the Debian packages Attest needs, only those that are missing, and starts the local
# PostgreSQL and Redis when they are installed but stopped. Idempotent: a second run does nothing.
set -euo pipefail

PACKAGES=(
  libreoffice-writer-nogui libreoffice-calc-nogui python3-uno python3-venv python3-pip
  tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-eng
  libtesseract-dev libleptonica-dev pkg-config g++ python3-dev
  poppler-utils qpdf chromium libengine-gost-openssl openssl
  fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra
  postgresql redis-server
)

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "attest setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# PostgreSQL: start the installed cluster when nothing answers on 127.0.0.1:5432.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "attest setup: starting PostgreSQL $ver"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
# Trust auth for local tests: the deployment configures its own credentials.
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! psql -h 127.0.0.1 -U postgres -tAc "select 1" >/dev/null 2>&1; then
    echo "attest setup: PostgreSQL does not accept 'postgres' over TCP without a password;"
    echo "  set ATTEST_TEST_DATABASE_URL to a database URL the tests may use."
  fi
fi

# Redis: start it when nothing answers on 127.0.0.1:6379.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "attest setup: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/attest.log || true
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
  fi
fi
