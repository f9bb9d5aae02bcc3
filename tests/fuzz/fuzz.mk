# fuzz.mk — libFuzzer targets (clang) with AddressSanitizer + UBSan.
#   make fuzz          run every tests/fuzz/fuzz_*.c for FUZZ_TIME seconds each (default 300)
#   make fuzz-smoke    the same for FUZZ_SMOKE_TIME seconds each (default 20; CI)
# Corpora grow in build-fuzz/corpus/<target>; seeds in tests/fuzz/seeds/<target>
# plus, for the CSV target, the vendored tests/corpora/csv-spectrum.

FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 300
FUZZ_SMOKE_TIME ?= 20
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC := src/io/csv.c src/io/decode.c src/io/encode.c src/base/err.c src/base/i18n.c src/people/idcheck.c src/base/text.c src/base/timeutil.c \
    src/io/xlsx.c
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SEEDS_EXTRA := $(wildcard tests/corpora/csv-spectrum/csvs)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-deps fuzz-run-long fuzz-run-smoke
fuzz-deps:
	@bash scripts/deps.sh fuzz
fuzz-build: $(FUZZ_TARGETS)

$(FUZZ_BUILD)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Wall -Wno-unused-command-line-argument -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lz -lm

# Runs each target for $(1) seconds on 2 workers' worth of time, one after the other.
define fuzz_run
	@for t in $(FUZZ_TARGETS); do \
	  name=$$(basename $$t); mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
	  extra=""; [ "$$name" = fuzz_csv ] && extra="$(FUZZ_SEEDS_EXTRA)"; \
	  echo "== $$name for $(1) s"; \
	  $$t -max_total_time=$(1) -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	      -artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_BUILD)/corpus/$$name tests/fuzz/seeds/$$name $$extra \
	      > $(FUZZ_BUILD)/$$name.log 2>&1; status=$$?; \
	  grep -E "^(stat::number_of_executed_units|stat::peak_rss|SUMMARY|==[0-9]+==ERROR|artifact_prefix|Test unit written)" \
	      $(FUZZ_BUILD)/$$name.log; \
	  if [ $$status -ne 0 ]; then tail -40 $(FUZZ_BUILD)/$$name.log; echo "$$name FAILED ($$status)"; exit 1; fi; \
	  echo "$$name: no crash, no sanitizer report"; \
	done
endef

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run-long

fuzz-run-long: $(FUZZ_TARGETS)
	$(call fuzz_run,$(FUZZ_TIME))

fuzz-smoke: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run-smoke

fuzz-run-smoke: $(FUZZ_TARGETS)
	$(call fuzz_run,$(FUZZ_SMOKE_TIME))
