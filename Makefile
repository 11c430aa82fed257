# arbiter — common tasks. One cargo profile (release) serves demo, test, lint and bench, so
# the slow part of a fresh build (HiGHS, compiled from C++ source) happens only once.

CARGO ?= cargo
PROFILE := --release

.PHONY: all demo test bench lint prereqs

all: test

prereqs:
	@scripts/prereqs.sh

demo: prereqs
	$(CARGO) run $(PROFILE) -- plan fixtures/demo --out arbiter-out

test: prereqs
	$(CARGO) test $(PROFILE)

bench: prereqs
	scripts/bench.sh

lint: prereqs
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(PROFILE) --all-targets -- -D warnings
