# bindery: build, test and benchmark entry points. Everything a fresh machine with only the Rust
# toolchain needs goes through these targets (the validators come from .ci/run).

CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET_DIR)/release/bindery
CONTENT ?= content
DIST ?= dist

# nextest runs every test in its own process on both cores and reports slow ones; plain
# `cargo test` is the fallback where it is not installed. nextest skips doc tests, so they run
# first (the suite's closing summary is then the main run's).
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)

.PHONY: all publish release test check fmt bench clean-dist

all: publish

## Build the release binary.
release:
	$(CARGO) build --release --locked

## Build the release binary and convert everything in content/ into dist/.
publish: release
	$(BIN) build $(CONTENT) -o $(DIST)

## The whole suite. The release binary is built first: the integration tests use it for the
## book-sized and pathological cases (BINDERY_BIN), and the tests themselves share its profile so
## nothing is compiled twice.
test: release
ifeq ($(NEXTEST),yes)
	$(CARGO) test --release --locked --doc
	BINDERY_BIN=$(abspath $(BIN)) $(CARGO) nextest run --release --locked --no-fail-fast
else
	BINDERY_BIN=$(abspath $(BIN)) $(CARGO) test --release --locked --no-fail-fast
endif

## Formatting and lints, as CI runs them.
check:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

## Timing and memory of the book and the handout against Typst (see bench/README.md).
bench: release
	python3 bench/bench.py --bin $(BIN)

clean-dist:
	rm -rf $(DIST)
