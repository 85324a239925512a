# Attest: `make run` serves the product with demo data, `make test` runs every test.
# Both install what is missing first (Debian packages, the Python virtualenv at .venv/).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UNO_VENV := .venv-uno
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export ATTEST_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/attest_test
export ATTEST_TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: setup system venv run test fuzz bench lint clean train

setup: system venv

system:
	@bash scripts/install-system.sh

# The product's virtualenv; reinstalled only when pyproject.toml changes. tesserocr is built from source
# against Debian's libtesseract (its wheels bring another tesseract; verification/scans/ocr.py), and
# built again whenever it runs another tesseract than the `tesseract` program.
$(VENV)/.installed: pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	PIP_NO_BINARY=tesserocr $(VENV)/bin/pip install -q -e '.[test,fuzz]' || PIP_NO_BINARY=tesserocr $(VENV)/bin/pip install -q -e '.[test]'
	$(VENV)/bin/python -c "import sys; from verification.scans import ocr; sys.exit(ocr._library() is None)" \
	  || PIP_NO_BINARY=tesserocr $(VENV)/bin/pip install -q --force-reinstall --no-deps 'tesserocr>=2.13'
	@touch $@

# LibreOffice's uno module exists only for Debian's python3: the converter server runs there.
$(UNO_VENV)/.installed:
	@test -x $(UNO_VENV)/bin/python || /usr/bin/python3 -m venv --system-site-packages $(UNO_VENV)
	$(UNO_VENV)/bin/pip install -q 'unoserver>=3.0'
	@touch $@

venv: $(VENV)/.installed $(UNO_VENV)/.installed

run: setup
	$(VENV)/bin/attest serve --seed-demo --host $(HOST) --port $(PORT)

test: setup
	@psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='attest_test'" 2>/dev/null | grep -q 1 \
	  || psql -h 127.0.0.1 -U postgres -c "create database attest_test" >/dev/null 2>&1 || true
	$(VENV)/bin/ruff check service verification tests bench samples
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

fuzz: setup
	$(VENV)/bin/python tests/fuzz/run_fuzz.py

bench: setup
	for b in bench/*.py; do $(VENV)/bin/python $$b || exit 1; done

# Retrain the signature-candidate net (verification/scans/models/signature_crops.onnx). Torch and onnx are
# training-only (their own virtualenv). Needs ../shared/realscans: only its tuning part is read. The
# pipeline first records the signature candidates it proposes on the tuning part and on generated pages
# (the product's virtualenv, with OCR: ~15 min on 2 cores), then the net is trained on them (~6 min).
TRAIN_VENV := .venv-train
TRAIN_DATA ?= /tmp/attest-train
TRAIN_EPOCHS ?= 60
TRAIN_OUT ?= verification/scans/models/signature_crops.onnx
$(TRAIN_VENV)/.installed: pyproject.toml
	@test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	# torch 2.13.0 from the package registry (here a CPU build on local disk); else PyTorch's CPU index
	$(TRAIN_VENV)/bin/pip install -q 'torch==2.13.0' \
	  || $(TRAIN_VENV)/bin/pip install -q --index-url https://download.pytorch.org/whl/cpu 'torch>=2.4'
	$(TRAIN_VENV)/bin/pip install -q $$($(TRAIN_VENV)/bin/python -c "import tomllib; \
	  print(' '.join(r for r in tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['train']))")
	@touch $@

train: setup $(TRAIN_VENV)/.installed
	mkdir -p $(TRAIN_DATA)
	$(VENV)/bin/python bench/scan_eval.py --part tuning --no-synthetic --no-baseline --record $(TRAIN_DATA)/tuning.pkl
	$(VENV)/bin/python bench/scan_eval.py --no-real --count 140 --limit 0 --min-dpi 100 --max-dpi 400 --seed 11 \
	  --no-extras --no-baseline --record-synthetic $(TRAIN_DATA)/synthetic.pkl
	$(VENV)/bin/python bench/scan_eval.py --export-crops $(TRAIN_DATA)/tuning.npz --export-from $(TRAIN_DATA)/tuning.pkl
	$(VENV)/bin/python bench/scan_eval.py --export-crops $(TRAIN_DATA)/synthetic.npz --export-from $(TRAIN_DATA)/synthetic.pkl
	# generated pages drawn three times as often: few of them, and the product's own documents look like them
	$(TRAIN_VENV)/bin/python scripts/train_signature_crops.py --epochs $(TRAIN_EPOCHS) --out $(TRAIN_OUT) \
	  --data $(TRAIN_DATA)/tuning.npz \
	  $(TRAIN_DATA)/synthetic.npz $(TRAIN_DATA)/synthetic.npz $(TRAIN_DATA)/synthetic.npz
	$(VENV)/bin/python bench/scan_eval.py --replay $(TRAIN_DATA)/tuning.pkl --families validation --model $(TRAIN_OUT)

lint: setup
	$(VENV)/bin/ruff check service verification tests bench samples

clean:
	rm -rf $(VENV) $(UNO_VENV) $(TRAIN_VENV) .pytest_cache
