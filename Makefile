# TalentDesk — build, test, run, install.  See README.md.
#
#   make          build ./talentdesk (and the message catalogues)
#   make run      install missing packages, build, open the TUI on a demo database
#   make test     install missing packages, build, run every test
#   make asan     the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make install  PREFIX=/usr/local DESTDIR=
#   make install GROUP_MODE=1 (or make install-group)  the shared-server mode:
#                 program set-group-id TD_GROUP, state dir STATEDIR (see README)
#   make bench / make fuzz   (see bench/ and tests/fuzz/)
#   make fresh-check  a minimal Debian root runs the README's lines (slow, root)

PREFIX  ?= /usr/local
DESTDIR ?=
# The shared-server installation (README "多人共用一台服务器", src/base/groupmode.h)
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
STATEDIR   ?= /var/lib/talentdesk
TD_GROUP   ?= talentdesk
GROUP_MODE ?= 0
BUILD   ?= build
V ?= 0
ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @printf '  %-6s %s\n'
endif
SANITIZE ?= 0

PKGS      := sqlite3 ncursesw icu-uc icu-i18n jansson libsodium libqrencode xlsxwriter libpng pangocairo cairo-pdf minizip expat zlib
TEST_PKGS := cmocka

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
CPPFLAGS_ALL := -std=c11 -D_GNU_SOURCE -Isrc -Iui -Icli -I$(BUILD)/gen \
    -DTD_VERSION='"$(VERSION)"' \
    -DTD_LOCALEDIR='"$(PREFIX)/share/locale"' \
    -DTD_DATADIR='"$(PREFIX)/share/talentdesk/data"' \
    -DTD_SYSCONFDIR='"$(SYSCONFDIR)"' -DTD_STATEDIR='"$(STATEDIR)"'
ifeq ($(SANITIZE),1)
  CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

SRC_C  := $(sort $(wildcard src/*/*.c))
UI_C   := $(sort $(wildcard ui/*.c))
CLI_C  := $(sort $(wildcard cli/*.c))
TEST_C := $(sort $(wildcard tests/test_*.c))
SCHEMA := $(sort $(wildcard src/schema/*.sql))
PO     := $(sort $(wildcard locale/*.po))

SRC_O  := $(SRC_C:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o
UI_O   := $(UI_C:%.c=$(BUILD)/obj/%.o)
CLI_O  := $(CLI_C:%.c=$(BUILD)/obj/%.o)
TEST_UTIL_O := $(BUILD)/obj/tests/test_util.o
TESTS  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(filter-out tests/test_util.c,$(TEST_C)))
MO     := $(PO:locale/%.po=$(BUILD)/locale/%/LC_MESSAGES/talentdesk.mo)

LIB    := $(BUILD)/libtalentdesk.a
UILIB  := $(BUILD)/libtdui.a
BIN    := $(BUILD)/talentdesk

.PHONY: all deps run test test-run asan install uninstall clean check-layering po po-check bench fuzz demo stress
.DEFAULT_GOAL := all
.SECONDARY:

all: check-layering $(BIN) talentdesk $(MO)

deps:
	@bash scripts/deps.sh

# A bare Debian root reaches a green `make test` with only the README's lines
# (as root; slow; not run by CI).  See scripts/fresh_check.sh.
.PHONY: fresh-check
fresh-check:
	@bash scripts/fresh_check.sh

# ./talentdesk is a link to the build so that the program finds data/ and the
# catalogues beside it (see src/base/i18n.c, src/base/paths.c).
talentdesk: $(BIN)
	@ln -sf $(BIN) talentdesk

$(BUILD)/gen/schema_sql.c: $(SCHEMA) scripts/embed_sql.sh
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)bash scripts/embed_sql.sh $(SCHEMA) > $@

$(BUILD)/obj/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -c $< -o $@

# groupmode.o holds SYSCONFDIR and STATEDIR: rebuilt when they change.
$(BUILD)/gen/install_dirs: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SYSCONFDIR) $(STATEDIR)' | cmp -s - $@ || echo '$(SYSCONFDIR) $(STATEDIR)' > $@
$(BUILD)/obj/src/base/groupmode.o: $(BUILD)/gen/install_dirs
.PHONY: FORCE
FORCE:

$(BUILD)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/obj/ui/%.o: ui/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/obj/cli/%.o: cli/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS_ALL) -Itests $(PKG_CFLAGS) $(TEST_CFLAGS) $(CFLAGS) $(WARN) \
	    -DTD_SOURCE_DIR='"$(CURDIR)"' -DTD_BUILD_DIR='"$(abspath $(BUILD))"' -MMD -MP -c $< -o $@

$(LIB): $(SRC_O)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

$(UILIB): $(UI_O)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_O) $(UILIB) $(LIB)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_O) $(UILIB) $(LIB) $(PKG_LIBS) -lm

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_UTIL_O) $(UILIB) $(LIB)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_UTIL_O) $(UILIB) $(LIB) $(PKG_LIBS) $(TEST_LIBS) -lm

$(BUILD)/locale/%/LC_MESSAGES/talentdesk.mo: locale/%.po
	@mkdir -p $(dir $@)
	$(say) MSGFMT $@
	$(Q)msgfmt --check -o $@ $< 2>&1 | grep -v 'header field' || true
	$(Q)test -s $@

# The core never draws, and its folders are layered (src/LAYERS): a lower
# folder never includes a higher one.
check-layering:
	@bash scripts/check_layering.sh

# Every string marked with _() or N_() must have a Chinese translation.
po:
	@mkdir -p $(BUILD)
	LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 -k_ -kN_ -c/ --language=C -o $(BUILD)/talentdesk.pot $(SRC_C) $(UI_C) $(CLI_C) $(wildcard cli/*.def ui/*.def)
	msgmerge -q -U --backup=none locale/zh_CN.po $(BUILD)/talentdesk.pot

po-check:
	@mkdir -p $(BUILD)
	@if LC_ALL=C grep -nP '\b(N?_)\("[^"]*[\x80-\xff]' $(SRC_C) $(UI_C) $(CLI_C); then \
	    echo "error: msgids must be ASCII English (xgettext drops other characters); translate in locale/zh_CN.po"; exit 1; fi
	@LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 -k_ -kN_ --language=C -o $(BUILD)/talentdesk.pot $(SRC_C) $(UI_C) $(CLI_C) $(wildcard cli/*.def ui/*.def)
	@msgcmp --use-untranslated locale/zh_CN.po $(BUILD)/talentdesk.pot 2>$(BUILD)/po-check.log || \
	    { sed 's/^/  /' $(BUILD)/po-check.log | head -40; \
	      echo "error: strings above lack a zh_CN translation (edit locale/zh_CN.po, see 'make po')"; exit 1; }
	@if msgattrib --untranslated --no-obsolete locale/zh_CN.po | grep -q '^msgid "[^"]'; then \
	    msgattrib --untranslated --no-obsolete locale/zh_CN.po | grep '^msgid' | head -20; \
	    echo "error: untranslated entries in locale/zh_CN.po"; exit 1; fi

$(TESTS): | $(MO)

test-build: all $(TESTS)

# Runs unit tests (cmocka), then the shell tests, and prints one closing line.
test-run: test-build po-check
	@TD_BIN=$(abspath $(BIN)) TD_BUILD=$(abspath $(BUILD)) bash scripts/run_tests.sh $(TESTS)

test: deps
	@$(MAKE) --no-print-directory test-run

# The long external tests of issue 14 (tests/stress/*.sh): kill -9 loop,
# concurrent writers beside an import, naughty strings, tampering, full disk,
# read-only mount.  Each prints its figures; `make test` runs short versions.
stress: all
	@rc=0; for s in tests/stress/*.sh; do \
	  TD_BIN=$(abspath $(BIN)) STRESS_RUNS=$${STRESS_RUNS:-200} STRESS_WRITES=$${STRESS_WRITES:-60} \
	    STRESS_IMPORT=$${STRESS_IMPORT:-5000} STRESS_FULL=$${STRESS_FULL:-200} bash $$s || rc=1; \
	done; exit $$rc

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=1 test-run

run: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/run_demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/talentdesk/data
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/talentdesk
	cp -r data/. $(DESTDIR)$(PREFIX)/share/talentdesk/data/
	for mo in $(MO); do \
	    lang=$$(echo $$mo | sed 's|.*/locale/\([^/]*\)/.*|\1|'); \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
	    install -m 0644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/talentdesk.mo; \
	done
	if [ -d man ]; then install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
	    install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi
	@if [ "$(GROUP_MODE)" = 1 ]; then $(MAKE) --no-print-directory install-group-only; else \
	    echo "make install: for many clerks on one server (SSH) see 'make install GROUP_MODE=1' in README"; fi

# The shared-server mode on top of an installed program: set-group-id
# TD_GROUP, the state directory, talentdesk.conf.  scripts/install_group.sh.
.PHONY: install-group install-group-only
install-group:
	@$(MAKE) --no-print-directory install GROUP_MODE=1
install-group-only:
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' SYSCONFDIR='$(SYSCONFDIR)' STATEDIR='$(STATEDIR)' \
	    TD_GROUP='$(TD_GROUP)' bash scripts/install_group.sh

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/talentdesk
	rm -rf $(DESTDIR)$(PREFIX)/share/talentdesk
	rm -f $(DESTDIR)$(PREFIX)/share/locale/*/LC_MESSAGES/talentdesk.mo

clean:
	rm -rf build build-asan build-fuzz talentdesk

-include $(wildcard bench/bench.mk tests/fuzz/fuzz.mk)
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
