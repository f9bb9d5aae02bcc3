# bench.mk — `make bench [SCALE=N] [BENCH_DIR=/tmp]`: builds every
# bench/bench_*.c (one program each, discovered by wildcard) and runs it with
# SCALE.  CI runs the default small scale; `make bench SCALE=1000000` for 1M.
# Each program prints its figures beside a baseline measured in the same run.
# Every program runs even when an earlier one misses a goal; the target fails
# at the end, naming the programs that missed.  `make bench BENCH_SCALES="10000
# 100000 1000000"` has bench_queue print its figures as a table by scale.
# BENCH_DB=FILE makes bench_report build its population in FILE once, keep
# it, and reuse it on later runs of the same SCALE.

SCALE ?= 20000
BENCH_DIR ?= /tmp
BENCH_C := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_C:bench/%.c=$(BUILD)/bench/%)
# `make bench BENCH="bench_report bench_busy"` runs only those programs.
ifneq ($(BENCH),)
BENCH_BIN := $(filter $(addprefix $(BUILD)/bench/,$(BENCH)),$(BENCH_BIN))
endif

.PHONY: bench bench-build
bench-build: $(BENCH_BIN)

bench: $(BENCH_BIN) $(MO)
	@failed=""; for b in $(BENCH_BIN); do \
	  echo "== $$(basename $$b)  SCALE=$(SCALE)"; \
	  BENCH_SCALES="$(BENCH_SCALES)" $$b $(SCALE) $(BENCH_DIR) || failed="$$failed $$(basename $$b)"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench: goals missed by:$$failed" >&2; exit 1; fi

$(BUILD)/bench/%: bench/%.c $(wildcard bench/*.h) $(UILIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Ibench $(PKG_CFLAGS) $(CFLAGS) $(WARN) \
	    -DTD_SOURCE_DIR='"$(CURDIR)"' -DTD_BUILD_DIR='"$(abspath $(BUILD))"' \
	    -o $@ $< $(UILIB) $(LIB) $(PKG_LIBS) -lm
