# bindery: build, test and benchmark entry points. Everything a fresh machine with only the Rust
# toolchain needs goes through these targets (the validators come from .ci/run).

CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET_DIR)/release/bindery
CONTENT ?= content
DIST ?= dist

.PHONY: all publish release install man test check fmt bench clean-dist fuzz

all: publish

## Build the release binary.
release:
	$(CARGO) build --release --locked

## Build the release binary and convert everything in content/ into dist/.
publish: release
	$(BIN) build $(CONTENT) -o $(DIST)

## Install `bindery` and `mdbook-bindery` into Cargo's bin folder (~/.cargo/bin, on PATH with
## rustup), as `cargo install --path .` does.
install:
	$(CARGO) install --locked --path .

## Man pages (bindery.1 and one per subcommand) from the command-line definition, into MANDIR.
MANDIR ?= $(TARGET_DIR)/man
man: release
	$(BIN) man $(MANDIR)

## The whole suite (tests/run): the binaries and the tests compiled once, in the optimised
## `suite` profile; nextest when installed (each test in its own process), else cargo test;
## EPUBCheck as one service for the run; tests skipped for a missing tool counted as skipped.
## `make test T='book::'` runs the tests whose names contain `book::`.
test:
	CARGO=$(CARGO) tests/run $(T)

## Formatting and lints, as CI runs them.
check:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings

## Timing and memory of the book and the handout against Typst (see bench/README.md).
bench: release
	python3 bench/bench.py --bin $(BIN)

## Coverage-guided fuzzing (cargo-fuzz on the nightly toolchain, see fuzz/ and README.md):
## every target in turn for FUZZ_TIME seconds, one process, the corpus seeded by fuzz/seeds.py.
## Finds go to fuzz/artifacts/TARGET/ and each run's log to fuzz/logs/TARGET.log; the run fails
## if any target found something. `make fuzz FUZZ_TIME=600 FUZZ_TARGETS=pipeline` runs one
## target longer.
FUZZ_TIME ?= 60
FUZZ_TARGETS ?= parse load pipeline images math frontmatter
# Release code with debug assertions (overflow checks), no sanitizer: the code under test is
# safe Rust, and throughput matters more (FUZZ_BUILD="-O -a -s address" for ASan).
FUZZ_BUILD ?= -O -a -s none
FUZZ_ARGS ?= -timeout=10 -rss_limit_mb=2048

fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install --locked cargo-fuzz
	python3 fuzz/seeds.py
	cargo +nightly fuzz build $(FUZZ_BUILD)
	@mkdir -p fuzz/logs; failed=; for t in $(FUZZ_TARGETS); do \
	  case $$t in pipeline) max=4096;; math) max=1024;; frontmatter) max=2048;; *) max=16384;; esac; \
	  echo "== fuzz $$t: $(FUZZ_TIME) s, inputs up to $$max bytes"; \
	  if RAYON_NUM_THREADS=1 cargo +nightly fuzz run $(FUZZ_BUILD) $$t -- \
	      -max_total_time=$(FUZZ_TIME) -max_len=$$max $(FUZZ_ARGS) >fuzz/logs/$$t.log 2>&1; \
	  then grep -E '^#[0-9]+ +DONE|^Done' fuzz/logs/$$t.log; \
	  else tail -n 30 fuzz/logs/$$t.log; failed="$$failed $$t"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: finds in:$$failed (fuzz/artifacts/, fuzz/logs/)"; exit 1; fi

clean-dist:
	rm -rf $(DIST)
