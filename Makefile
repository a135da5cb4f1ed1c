# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Where `make run` serves: `make run PORT=8123`, or HOST=0.0.0.0 for a phone on your network.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install assist migrate demo bench lock check-deploy clean gates mutation

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Assisted coding is an optional extra (`make run` does not need it; tests and benchmarks do).
# torch goes in first, pinned, so that pip takes the local CPU build and never a CUDA one.
ASSIST_STAMP := $(VENV)/.assist-installed
$(ASSIST_STAMP): $(STAMP) requirements-assist.lock
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements-assist.lock
	touch $(ASSIST_STAMP)

assist: $(ASSIST_STAMP)

migrate: install
	$(BIN)/flourish migrate --noinput

demo: migrate
	SITE_URL=$$($(BIN)/python -m flourish.ops.local $(HOST):$(PORT)) $(BIN)/flourish demo

# The web server and a job worker beside it (emails, reports, PDFs); Ctrl-C stops both.
# `make run PORT=8123`; `make run HOST=0.0.0.0` to answer from a phone on your network
# (emailed links and ALLOWED_HOSTS follow: flourish/ops/local.py).
run: demo
	$(BIN)/flourish run $(HOST):$(PORT)

# The production web server (gunicorn) on 127.0.0.1:8000; see docs/deploy.md.
serve: migrate
	$(BIN)/flourish serve

test: install assist
	$(BIN)/pytest

# Lint, strict types on the pure packages, import contracts, views layering (scripts/gates).
gates: install
	scripts/gates

# Mutation testing of flourish/lib and the reliability statistics (one worker; ~15-30 min).
mutation: install
	rm -rf mutants
	HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children 1
	$(BIN)/python scripts/mutation_score.py

bench: install assist
	$(BIN)/python bench/run.py

# Re-pin the lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --extra dev --extra assist --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -c requirements.lock -o requirements-assist.lock pyproject.toml
	sed -i -e 's/^torch==2\.13\.0+cpu$$/torch==2.13.0/' -e '1i # Install torch==2.13.0 first (make assist does): pip then takes the CPU build.' \
		requirements-assist.lock

check-deploy: install
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=flourish.example.org \
		EMAIL_HOST=smtp.example.org $(BIN)/flourish check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
