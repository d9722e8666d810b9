# Two commands: `make demo` runs the demo cohort end to end, `make test` runs the tests.
# Both set up what is missing first: a Python virtual environment (.venv) with the
# pinned packages of requirements.txt, and the bioinformatics tools: from conda
# (each rule's own envs/*.yaml) where conda exists, else from the distribution.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
TOOLS := bwa samtools bcftools bgzip tabix fastp mosdepth
DEB_PACKAGES := bwa samtools bcftools tabix fastp mosdepth libhts-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SDM := $(shell command -v conda >/dev/null 2>&1 && echo "--sdm conda")
CORES ?= 2
export PATH := $(BIN):$(PATH)

.PHONY: demo test setup rule-env tools browser screenshot clean slurm slurm-stop

demo: setup
	$(BIN)/python simulator/simulate_cohort.py --outdir demo --seed 1
	$(BIN)/snakemake --profile profiles/default --configfile demo/config.yaml --cores $(CORES) $(SDM)
	@echo
	@echo "MultiQC report: $(CURDIR)/results/multiqc/multiqc_report.html"

test: setup browser rule-env
	$(BIN)/python -m pytest

setup: $(VENV)/.installed tools

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The Python rules' conda pins (envs/python.yaml) from PyPI, with pytest:
# tests/test_rule_env.py runs the module tests under them.
RULE_VENV := .venv-rule
rule-env: $(RULE_VENV)/.installed

$(RULE_VENV)/.installed: envs/python.yaml envs/rule_env.py $(VENV)/.installed
	$(PYTHON) -m venv --clear $(RULE_VENV)
	$(RULE_VENV)/bin/pip install --quiet --upgrade pip
	$(BIN)/python envs/rule_env.py > $(RULE_VENV)/requirements.txt
	$(RULE_VENV)/bin/pip install --quiet -r $(RULE_VENV)/requirements.txt $$(grep '^pytest==' requirements.txt)
	touch $@

# With conda, every rule gets its pinned environment at run time (--sdm conda).
# Without it, the same tools come from Debian/Ubuntu packages.
tools:
	@if [ -n "$(SDM)" ]; then \
		echo "conda found: rules run in their envs/*.yaml environments"; \
	else \
		missing=""; for t in $(TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
		mosdepth --version >/dev/null 2>&1 || missing="$$missing mosdepth"; \
		if [ -n "$$missing" ]; then \
			echo "installing missing tools:$$missing"; \
			$(SUDO) apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES) >/dev/null; \
		fi; \
	fi

# Headless Chromium: the tests look at the MultiQC report as a browser shows it.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

# docs/report_summary.png: the patient summary of the demo report (after `make demo`).
screenshot: browser
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1900 \
		--virtual-time-budget=20000 --screenshot=docs/report_summary.png \
		"file://$(CURDIR)/results/multiqc/multiqc_report.html"

# A real single-node SLURM cluster with accounting (slurmdbd + MariaDB) on this
# machine, for tests/test_slurm.py; see docs/hpc.md. Needs root (or sudo).
SLURM_PACKAGES := slurmctld slurmd slurm-client munge slurmdbd mariadb-server

slurm:
	@missing=""; for t in slurmctld slurmd sinfo munged slurmdbd mariadbd; do \
		command -v $$t >/dev/null 2>&1 || [ -x /usr/sbin/$$t ] || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing SLURM:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SLURM_PACKAGES) >/dev/null; \
	fi
	$(SUDO) tests/slurm/start_cluster.sh

slurm-stop:
	$(SUDO) tests/slurm/stop_cluster.sh

clean:
	rm -rf results demo .snakemake
