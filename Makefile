# vfscope — one Makefile for the tool, its BPF objects, tests, fuzzers and
# benchmarks. `make` builds ./vfscope; `make check` runs every test;
# `make check SAN=1` runs them under ASan+UBSan; `make demo` opens the
# embedded sample machine.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
SAN     ?=
V       ?= 0

PKGS    := libbpf libpcap ncursesw libpci libmnl jansson libmicrohttpd libarchive libcap
O       := build$(if $(SAN),-san)

# Packages missing? Install them (scripts/setup is idempotent) before anything
# that compiles or tests. `make SETUP=0` skips the check.
SETUP   ?= 1
ifeq ($(SETUP),1)
ifneq ($(filter clean distclean help,$(MAKECMDGOALS)),$(MAKECMDGOALS))
_setup := $(shell scripts/setup --check >/dev/null 2>&1 || scripts/setup >&2 || echo failed)
ifneq ($(_setup),)
$(error scripts/setup failed: run it as root)
endif
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Loaded on first use by lib/lazy_*.c (dlopen), not linked: a command loads
# only what it calls (docs/performance.md). The soname is the one -lNAME
# would have linked (a linker script's INPUT when the .so is one, as
# ncursesw's is). libbpf brings libelf, ncursesw libtinfo; libcrypt (not a
# pkg-config package here) is lazy too.
LAZY_PKGS  := libpcap libmicrohttpd libarchive libbpf ncursesw
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null)
lazy_so     = $(shell pkg-config --variable=libdir $(1) 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/$(2).so
lazy_soname = $(shell f=$(call lazy_so,$(1),$(2)); { objdump -p $$f 2>/dev/null | awk '$$1 == "SONAME" {print $$2}'; \
  sed -n 's/.*INPUT(\([^ )]*\).*/\1/p' $$f 2>/dev/null | grep -a '^lib'; } | head -1)
LAZY_DEFS  := $(foreach p,pcap:libpcap:libpcap mhd:libmicrohttpd:libmicrohttpd archive:libarchive:libarchive \
  bpf:libbpf:libbpf curses:ncursesw:libncursesw crypt:libcrypt:libcrypt,\
  -DLAZY_SONAME_$(shell echo $(word 1,$(subst :, ,$(p))) | tr a-z A-Z)='"$(call lazy_soname,$(word 2,$(subst :, ,$(p))),$(word 3,$(subst :, ,$(p))))"')

CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
           -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -D_GNU_SOURCE -fno-strict-aliasing \
           -I. -I$(O) $(PKG_CFLAGS)
ifneq ($(SAN),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
LDLIBS  += $(PKG_LIBS) -lz -lm

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS  += -DVFSCOPE_VERSION='"$(VERSION)"' -DVFSCOPE_DATADIR_DEFAULT='"$(PREFIX)/share/vfscope"'
CFLAGS  += $(LAZY_DEFS)

# Layers, left to right: a folder uses only folders to its left.
LAYERS  := lib model decoders collectors bpf rules export tui
LIBSRC  := $(filter-out %.bpf.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
CLISRC  := $(wildcard cli/*.c)
LIBOBJ  := $(LIBSRC:%.c=$(O)/%.o)
CLIOBJ  := $(CLISRC:%.c=$(O)/%.o)

# BPF: foo.bpf.c -> foo.bpf.o -> foo.skel.h (bcc libbpf-tools pattern).
BPFSRC  := $(wildcard bpf/*.bpf.c)
BPFOBJ  := $(BPFSRC:%.bpf.c=$(O)/%.bpf.o)
SKELS   := $(BPFSRC:%.bpf.c=$(O)/%.skel.h)
ARCH    := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
VMLINUX := $(O)/vmlinux.h
BTF     ?= /sys/kernel/btf/vmlinux

TESTSRC := $(wildcard tests/unit/test_*.c)
TESTBIN := $(TESTSRC:tests/unit/%.c=$(O)/tests/%)
FUZZSRC := $(wildcard fuzz/fuzz_*.c)

ifeq ($(V),0)
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2);
else
Q :=
msg :=
endif

.PHONY: all check check-unit check-live check-lab check-decoders check-corpus fuzz bench demo install clean help
BIN ?= $(if $(SAN),$(O)/vfscope,vfscope)
all: $(BIN)

$(BIN): $(CLIOBJ) $(O)/libvfscope.a
	$(call msg,LD,$@)$(CC) $(LDFLAGS) -o $@ $(CLIOBJ) $(O)/libvfscope.a $(LDLIBS)

$(O)/libvfscope.a: $(LIBOBJ)
	$(call msg,AR,$@)rm -f $@ && ar rcs $@ $^

# Objects depend on all skeletons (a loader includes its own); cheap enough.
$(O)/%.o: %.c $(SKELS) | $(O)
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(VMLINUX): | $(O)
	$(call msg,GEN,$@)$(BPFTOOL) btf dump file $(BTF) format c > $@.tmp && mv $@.tmp $@

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX) $(wildcard bpf/*.h) | $(O)
	@mkdir -p $(dir $@)
	$(call msg,BPF,$@)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -I$(O) -I. -c $< -o $@ && \
	  llvm-strip -g $@ 2>/dev/null || true

# Keep the BPF objects and skeletons (make would delete them as intermediates
# and then rebuild every object that depends on them on the next run).
.SECONDARY: $(BPFOBJ) $(SKELS)

$(O)/bpf/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,SKEL,$@)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(O):
	@mkdir -p $(O)/tests $(O)/bpf

$(O)/tests/%: tests/unit/%.c tests/unit/t.h tests/unit/tree.h tests/unit/fixture.h $(O)/libvfscope.a
	$(call msg,CC,$@)$(CC) $(CFLAGS) -o $@ $< $(O)/libvfscope.a $(LDFLAGS) $(LDLIBS)

tests-bin: $(BIN) $(TESTBIN)
.PHONY: tests-bin

# The whole suite: unit, decoder goldens, live netns/BPF tests, fuzz smoke,
# and the SR-IOV lab VM. tests/run prints one 'N passed, N failed' line.
check: tests-bin
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run all

check-unit: tests-bin
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run unit
check-decoders: tests-bin
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run decoders
check-live: tests-bin
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run live
check-lab: $(BIN)
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run lab
check-corpus: $(BIN)
	$(Q)O=$(O) SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) tests/run corpus

# libFuzzer targets: clang, ASan+UBSan; the library is built once more with
# fuzzer instrumentation, each fuzz/fuzz_<name>.c links against it.
FUZZ_O   := build-fuzz
FUZZ_CFLAGS := -O1 -g -std=gnu11 -D_GNU_SOURCE -I. -I$(O) $(PKG_CFLAGS) \
               -fsanitize=fuzzer-no-link,address,undefined -DVFSCOPE_VERSION='"$(VERSION)"'
FUZZ_OBJ := $(LIBSRC:%.c=$(FUZZ_O)/%.o)
FUZZ_BIN := $(FUZZSRC:fuzz/%.c=$(FUZZ_O)/%)
FUZZ_SECS ?= 60
FUZZ_SECONDS ?= $(FUZZ_SECS)
$(FUZZ_O)/%.o: %.c $(SKELS)
	@mkdir -p $(dir $@)
	$(call msg,FUZZCC,$@)$(CLANG) $(FUZZ_CFLAGS) -c -o $@ $<
$(FUZZ_O)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(call msg,FUZZLD,$@)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
fuzz-bin: $(FUZZ_BIN)
fuzz: fuzz-bin
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MERGE=$${FUZZ_MERGE:-1} FUZZ_O=$(FUZZ_O) tests/fuzz-run $(FUZZ_TARGETS)
.PHONY: fuzz-bin

# bench/floor: the syscall floor of a sysfs collection; bench/collect_loop:
# vfscope's own collection of the same tree, in-process (bench/snapshot.sh).
BENCHBIN := $(O)/bench/floor $(O)/bench/collect_loop
$(O)/bench/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) -O2 -Wall -o $@ $<
$(O)/bench/collect_loop: bench/collect_loop.c $(O)/libvfscope.a
	@mkdir -p $(dir $@)
	$(call msg,CC,$@)$(CC) $(CFLAGS) -o $@ $< $(O)/libvfscope.a $(LDFLAGS) $(LDLIBS)
bench: $(BIN) $(BENCHBIN)
	$(Q)O=$(O) VFSCOPE=$(abspath $(BIN)) bench/run

# Soak with churn (docs/reliability.md): metrics, agent and top for
# SOAK_CYCLES collections (default 10000) each, refreshing every SOAK_PERIOD
# s, while namespaces and links come and go; soak-lab: the same in the lab
# VM with VFs and bonds coming and going too (not in check-lab).
SOAK_ENV = SAN=$(SAN) VFSCOPE=$(abspath $(BIN)) $(if $(SOAK_PERIOD),SOAK_PERIOD=$(SOAK_PERIOD))
soak: $(BIN)
	$(Q)$(SOAK_ENV) tests/soak/churn.sh $(SOAK_CYCLES)
soak-lab: $(BIN)
	$(Q)$(SOAK_ENV) O=$(O) tests/soak/lab.sh $(SOAK_CYCLES)
.PHONY: soak soak-lab

demo: $(BIN)
	$(Q)./$(BIN) demo

# Operators' files are installed when the tree has them (each comes from its
# own piece of work; a missing one is skipped, not an error). Debian 12 keeps
# units in /lib/systemd/system; any other prefix gets $(PREFIX)/lib/systemd.
# The defaults file is /etc/default/vfscope whatever the prefix (the units
# read that path).
DATADIR    ?= $(PREFIX)/share/vfscope
DOCDIR     ?= $(PREFIX)/share/doc/vfscope
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
COMPLDIR   ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
UNITS      := $(wildcard contrib/systemd/*.service contrib/systemd/*.timer contrib/systemd/*.socket)
PROMFILES  := $(wildcard contrib/prometheus/vfscope-rules.yml)
GRAFFILES  := $(wildcard contrib/grafana/*.json)
SCHEMAS    := $(wildcard docs/schema/*.json)
K8SFILES   := $(wildcard contrib/kubernetes/*.yaml contrib/kubernetes/*.yml)
DEFAULTS   := $(wildcard contrib/default/vfscope)
COMPL      := $(wildcard contrib/bash-completion/vfscope)
install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/vfscope
	install -D -m 0644 docs/vfscope.8 $(DESTDIR)$(PREFIX)/share/man/man8/vfscope.8
	# The demo's sample machine (a lab capture), symlinks kept.
	@if [ -d tests/fixtures/lab/pf-link-down ]; then \
	  mkdir -p $(DESTDIR)$(DATADIR) && \
	  cp -R --preserve=links tests/fixtures/lab/pf-link-down $(DESTDIR)$(DATADIR)/ && \
	  chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/pf-link-down; fi
	# The units name /usr/sbin/vfscope; another PREFIX gets its own path.
	$(if $(UNITS),install -d $(DESTDIR)$(UNITDIR) && for u in $(UNITS); do \
	  sed 's|/usr/sbin/vfscope|$(PREFIX)/sbin/vfscope|g' $$u > $(DESTDIR)$(UNITDIR)/$${u##*/} && \
	  chmod 0644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; done)
	$(if $(DEFAULTS),install -D -m 0644 $(DEFAULTS) $(DESTDIR)$(SYSCONFDIR)/default/vfscope)
	$(if $(COMPL),install -D -m 0644 $(COMPL) $(DESTDIR)$(COMPLDIR)/vfscope)
	$(if $(PROMFILES),install -d $(DESTDIR)$(DATADIR)/prometheus && install -m 0644 $(PROMFILES) $(DESTDIR)$(DATADIR)/prometheus/)
	$(if $(GRAFFILES),install -d $(DESTDIR)$(DATADIR)/grafana && install -m 0644 $(GRAFFILES) $(DESTDIR)$(DATADIR)/grafana/)
	$(if $(SCHEMAS),install -d $(DESTDIR)$(DATADIR)/schema && install -m 0644 $(SCHEMAS) $(DESTDIR)$(DATADIR)/schema/)
	$(if $(K8SFILES),install -d $(DESTDIR)$(DOCDIR)/examples/kubernetes && install -m 0644 $(K8SFILES) $(DESTDIR)$(DOCDIR)/examples/kubernetes/)

clean:
	rm -rf build build-san build-fuzz vfscope

help:
	@echo 'make [SAN=1]   build ./vfscope'
	@echo 'make demo      open the dashboard on the embedded sample machine'
	@echo 'make check     run every test (check-unit, check-decoders, check-live, check-lab)'
	@echo 'make fuzz      every libFuzzer target FUZZ_SECONDS s (FUZZ_TARGETS=...), new inputs merged, table'
	@echo 'make bench     print benchmarks beside peer tools'
	@echo 'make install   install to $$DESTDIR$$PREFIX'

-include $(LIBOBJ:.o=.d) $(CLIOBJ:.o=.d)
