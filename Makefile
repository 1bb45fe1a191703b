# Two commands on a fresh machine:  `make run` (web chat; + Telegram bot when TELEGRAM_BOT_TOKEN is set)
# and `make test`. Both create .venv and install what they need; fast when nothing changed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp
BROWSER_STAMP := var/.browser-stamp

.PHONY: run test eval bench build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $(STAMP)

$(BROWSER_STAMP):
	sh .ci/install-browser.sh
	mkdir -p var && touch $(BROWSER_STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot

test: $(STAMP) $(BROWSER_STAMP)
	$(VENV)/bin/pytest -q

build: $(STAMP)
	$(VENV)/bin/kb build

eval: $(STAMP)
	$(VENV)/bin/kb eval

bench: $(STAMP)
	$(VENV)/bin/python bench/bench_kb.py
	$(VENV)/bin/python bench/bench_bot.py
	$(VENV)/bin/python bench/load_web.py
	$(VENV)/bin/python bench/cv_learned.py

clean:
	rm -rf var $(VENV)
