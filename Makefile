# Two commands do all the set-up on a fresh machine with Python 3.11+:
#   make site   - installs the generator into .venv and builds the embedded site into output/
#   make test   - installs the test tools too and runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve watch check clean conformance bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/awareness build

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The W3C Nu HTML Checker and axe-core come from npm (pinned in package-lock.json); Java and Chromium from apt.
node_modules/.package-lock.json: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent

conformance: $(STAMP) node_modules/.package-lock.json
	$(BIN)/python -m pytest -q -m conformance

serve: $(STAMP)
	$(BIN)/awareness serve

# Build, then keep output/ up to date on every save (README, "build --watch"); Ctrl-C to stop.
watch: $(STAMP)
	$(BIN)/awareness build --watch

check: $(STAMP)
	$(BIN)/awareness build --check --offline

clean:
	rm -rf output .cache .output.staging-* .output.old-* .output.spare .output.cloning-*

# Side-by-side build benchmark with Pelican and Hugo (README, "Performance"); takes minutes.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.build_bench --sizes 500 2000
