# The harness for the 5.10 COW/GUP series.  Each target is one step; the
# scripts in scripts/ do the work and can be run alone.
#
#   make run      build the patched kernel, boot it, run the guest's tests
#                 (guest/tests.list: cow, gup_stress, gup_test, dio_fork,
#                 hmm, KUnit, ...), print the results (CONFIG=test by default)
#   make record   write docs/measured/results.md (README's results table)
#                 from the last test, debug and arm64 runs of this series
#   make record-run  add the last make test's time and disk to
#                 docs/measured/make-test.md (FROM=<a clone's build dir>)
#   make harness-tests  the harness's own tests (prove t/)
#   make test     the harness self-tests, 'make check-form' (git am,
#                 checkpatch), then 'make run' with the test config and
#                 with the debug config (KASAN, lockdep); what CI runs
#   make check-form  git am on the pinned base and checkpatch --strict
#   make check    the series as reviewers see it (make cross included): git am on the pinned base,
#                 checkpatch --strict, sparse, the whole series built with
#                 every variant of configs/variants
#   make cross    the series built for the other Debian 11 architectures
#                 (configs/cross/arches), no new warning against the base
#   make check-patches  every patch built on its own with every variant
#   make check-patches-status  what check-patches has recorded so far
#   make deb      a Debian package of the patched kernel (DEB_CONFIG=small,
#                 debian or a .config file), installed into a dpkg root
#   make bench    COW/GUP microbenchmark: base vs patched vs Debian 6.12
#                 under QEMU icount; table and chart in build/bench/results
#
# Steps: deps, base (fetch + import), tree (apply patches/), export
# (regenerate patches/ from the tree), kernel, selftests, initramfs, boot,
# report.  Variables: CONFIG (test, debug), BASE_VERSION, BASE_SHA256,
# CACHE, BUILD, BOOT_TIMEOUT, JOBS, ARCH, SERIES_CUT (stable: the series
# up to the stable cut, see scripts/lib.sh), MMU (hash: ppc64el's other
# MMU).
#
# ARCH=arm64, ppc64el, s390x or armhf (configs/arches; deps, kernel,
# selftests, initramfs, boot, run, report): cross-built with Debian's cross
# compiler, booted on QEMU (scripts/boot.sh says which machine); outputs
# in $(BUILD)/*-<arch>*, apart from the x86_64 ones.

CONFIG ?= test
BUILD ?= $(CURDIR)/build
export BUILD
ARCH ?= x86_64
# The architecture's line of configs/arches (scripts/lib.sh's arch_info
# reads the same table).
ARCH_LINE := $(shell awk -v a='$(ARCH)' '!/^\#/ && $$1 == a' configs/arches)
ifeq ($(ARCH_LINE),)
$(error unknown ARCH '$(ARCH)' (configs/arches: $(shell awk '!/^\#/ && NF { print $$1 }' configs/arches)))
endif
DEB_ARCH := $(word 4,$(ARCH_LINE))
IMAGE := $(word 5,$(ARCH_LINE))
ifeq ($(ARCH),x86_64)
SUFFIX :=
else
SUFFIX := -$(ARCH)
export ARCH
endif
# SERIES_CUT=stable: the series up to the stable cut (lib.sh's STABLE_CUT),
# in its own tree, outputs and logs (build/linux-stable-cut,
# build/*-stable-*), checked against expected-results' stable lines.
SERIES_CUT ?=
export SERIES_CUT
ifeq ($(SERIES_CUT),stable)
SUFFIX := $(SUFFIX)-stable
PART := stable
else ifeq ($(SERIES_CUT),)
PART := full
else
$(error SERIES_CUT=$(SERIES_CUT): the only cut is "stable")
endif
# MMU=hash (ARCH=ppc64el): the same kernel booted with the hash MMU
# (disable_radix) instead of radix, its logs in logs-ppc64el-hash-<config>,
# checked against expected-results' "ppc64el-hash" lines.
MMU ?=
REPORT_ARCH := $(ARCH)
LOGS_SUFFIX :=
ifeq ($(MMU),hash)
ifneq ($(ARCH),ppc64el)
$(error MMU=hash is for ARCH=ppc64el)
endif
LOGS_SUFFIX := -hash
REPORT_ARCH := ppc64el-hash
override CMDLINE += disable_radix
export CMDLINE
else ifneq ($(MMU),)
$(error MMU=$(MMU): the only other MMU is "hash" (ARCH=ppc64el))
endif
OUT := $(BUILD)/out$(SUFFIX)-$(CONFIG)
LOGS := $(BUILD)/logs$(SUFFIX)$(LOGS_SUFFIX)-$(CONFIG)
SELFTESTS_OUT := $(BUILD)/selftests$(SUFFIX)
SELFTESTS := cow gup_stress gup_test dio_fork hugetlb_migrate
# check, check-patches, deb and bench build and boot x86_64 kernels only.
ifneq ($(ARCH),x86_64)
ifneq ($(filter check check-patches deb bench,$(MAKECMDGOALS)),)
$(error 'make $(filter check check-patches deb bench,$(MAKECMDGOALS))' is x86_64 only (ARCH=$(ARCH)))
endif
endif
KNOWN ?= known-failures
# The suites, case counts and skips make report expects (per ARCH).
EXPECTED ?= expected-results
DEBUG_BOOT_TIMEOUT ?= 2400
SHELL := /bin/bash

.PHONY: cross record record-run vm vmtests kcsan deb check check-form check-patches check-patches-status all run test harness-tests deps base tree export kernel selftests initramfs boot report clean bench

all: run

deps:
	@scripts/timed.sh "deps (apt)" scripts/deps.sh

base: deps
	@scripts/timed.sh "base (fetch, import)" scripts/fetch-base.sh

tree: base
	@scripts/timed.sh "tree (git am)" scripts/apply.sh

export:
	@scripts/export.sh

kernel: tree
	@scripts/timed.sh "kernel ($(CONFIG), $(ARCH))" scripts/build.sh $(CONFIG) $(OUT)

selftests: tree
	@scripts/timed.sh "selftests ($(ARCH))" scripts/selftests.sh $(SELFTESTS_OUT) $(SELFTESTS)
	@scripts/guest-tools.sh $(SELFTESTS_OUT)

# The files the guest gets: the selftests, 5.10's tools, the guest's own.
GUEST_FILES := $(addprefix $(SELFTESTS_OUT)/,$(SELFTESTS) gup_benchmark hmm-tests hmm_pin swapon_order)

# The steps alone, each on what the steps before it left (make kernel,
# make selftests): initramfs packs $(LOGS)/initramfs.cpio.gz, boot boots
# $(OUT)'s kernel with it (exit status 1 on a hang, a splat or a guest
# that stopped early), report reports $(LOGS).
initramfs: selftests
	@mkdir -p $(LOGS) && bb=$$(scripts/fetch-busybox.sh $(DEB_ARCH)) && \
	BUSYBOX=$$bb scripts/initramfs.sh $(LOGS)/initramfs.cpio.gz $(GUEST_FILES)

boot:
	@scripts/timed.sh "boot ($(CONFIG), $(ARCH))" scripts/boot.sh $(OUT)/$(IMAGE) $(LOGS)/initramfs.cpio.gz $(LOGS)

report:
	@echo "== results: $(CONFIG) config, $(ARCH), logs in $(LOGS)"
	@scripts/report.py $(LOGS)/results.log $(LOGS)/console.log $(KNOWN) --json $(LOGS)/results.json \
		--expected $(EXPECTED) --arch $(REPORT_ARCH) --part $(PART)

# The main job: the pipeline of scripts/guest-run.sh (build, initramfs,
# boot, report) for $(CONFIG) and guest/tests.list.
run: selftests
	@KNOWN=$(KNOWN) scripts/guest-run.sh $(CONFIG) $(OUT) $(LOGS) guest/tests.list $(GUEST_FILES) \
		-- --expected $(EXPECTED) --arch $(REPORT_ARCH) --part $(PART)

harness-tests: deps
	@prove -r t/

# The results table README and the cover letter include, from the last
# runs of the test and debug configs, of arm64, ppc64el (radix and hash MMU), armhf and s390x,
# and of the stable cut (make test, make run ARCH=<arch> and make run
# SERIES_CUT=stable first); refuses runs of another series.  Then make
# export puts it into the cover letter.  The same runs' times go to
# docs/measured/run-times.md.
record:
	@scripts/record-results.py docs/measured/results.md --times docs/measured/run-times.md $(BUILD)/logs-test $(BUILD)/logs-debug $(BUILD)/logs-arm64-test \
		$(BUILD)/logs-ppc64el-test $(BUILD)/logs-ppc64el-hash-test $(BUILD)/logs-armhf-test $(BUILD)/logs-s390x-test $(BUILD)/logs-stable-test

# The time and disk of a make test run (FROM= the build directory of a
# fresh clone that ran it), added to docs/measured/make-test.md.
FROM ?= $(BUILD)
record-run:
	@f=$(FROM)/make-test.record; [ -f $$f ] || { echo "error: no $$f: run make test there first"; exit 1; }; \
	cat $$f >> docs/measured/make-test.md && cat $$f

# What CI runs, and what must stay within 40 minutes from a cold start on
# two cores: the harness self-tests, the series' form (git am on the pinned
# base, checkpatch), then the main job with the test config and with the
# debug config (KASAN, lockdep).  The slow review checks (sparse, docs, the
# build of every config variant) are 'make check', run before sending the
# series.  Every step runs even if an earlier one fails, so one CI run
# shows everything.
test:
	@rc=0; start=$$(date +%s); scripts/run-record.sh start; \
	$(MAKE) --no-print-directory harness-tests || rc=1; \
	if [ "$(ARCH)" = x86_64 ]; then $(MAKE) --no-print-directory check-form || rc=1; fi; \
	$(MAKE) --no-print-directory run CONFIG=test || rc=1; \
	$(MAKE) --no-print-directory run CONFIG=debug BOOT_TIMEOUT=$(DEBUG_BOOT_TIMEOUT) || rc=1; \
	t=$$(($$(date +%s) - start)); \
	echo "==> make test: $$((t / 60))m$$((t % 60))s, $$([ $$rc = 0 ] && echo passed || echo FAILED)"; \
	scripts/run-record.sh end $$rc $$t > /dev/null; \
	exit $$rc

# The benchmark builds its own trees and kernels under $(BUILD)/bench.
bench:
	@EXTRA_PKGS="gnuplot-nox $${EXTRA_PKGS:-}" scripts/deps.sh
	@scripts/bench.sh $(BUILD)/bench

# The series' form: it applies with git am on a clean base, checkpatch,
# and KUNIT_ALL_TESTS does not enable the KUnit cases that touch swap/KSM.
check-form: tree
	@scripts/timed.sh "git am on a clean base" scripts/check-apply.sh
	@scripts/timed.sh "checkpatch --strict" scripts/checkpatch.sh
	@scripts/timed.sh "KUNIT_ALL_TESTS vs. the KUnit system cases" scripts/check-kunit-all.sh

# Everything a reviewer checks, on the whole series: the form, sparse,
# kernel-doc and Sphinx, the series built with every config variant, and
# make cross (hours: every other Debian architecture, base and series).
check: check-form
	@EXTRA_PKGS="sparse python3-sphinx $${EXTRA_PKGS:-}" scripts/deps.sh
	@scripts/timed.sh "sparse" scripts/sparse.sh
	@scripts/timed.sh "docs" scripts/docs.sh
	@scripts/timed.sh "build of every variant" scripts/build-matrix.sh
	@$(MAKE) --no-print-directory cross

# The series built for every other Debian 11 architecture
# (configs/cross/arches; CROSS_ARCHES= a subset), and the patches that
# change an architecture's code on their own for it; no warning the base
# lacks (the base is built only when the series warns).  Each build's time
# is printed and kept in docs/measured/cross.md.
CROSS_ARCHES ?= $(shell awk '!/^(\#|$$)/ { print $$1 }' configs/cross/arches)
CROSS_PKGS := gcc-aarch64-linux-gnu gcc-i686-linux-gnu gcc-arm-linux-gnueabihf gcc-arm-linux-gnueabi \
	gcc-powerpc64le-linux-gnu gcc-s390x-linux-gnu gcc-mips64el-linux-gnuabi64 gcc-mipsel-linux-gnu
cross: tree
	@EXTRA_PKGS="$(CROSS_PKGS) $${EXTRA_PKGS:-}" scripts/deps.sh
	@rc=0; for a in $(CROSS_ARCHES); do \
		scripts/timed.sh "cross build ($$a)" scripts/cross-build.sh $$a || rc=1; \
	done; \
	scripts/cross-table.sh; exit $$rc

check-patches: tree
	@scripts/check-patches.sh

# What check-patches has recorded so far, per patch and per variant.
check-patches-status: tree
	@scripts/check-patches.sh --status

# The series on a Debian 11 system: Debian's config (localmodconfig), the
# .deb installed in a bullseye root with dpkg, booted to multi-user.target
# with two NUMA nodes, 5.10's kselftest runner on the vm collection.  About
# an hour cold on two cores; not part of make test.
VM_OUT ?= $(BUILD)/vm
vm: tree
	@EXTRA_PKGS="rsync kmod fakeroot mmdebstrap e2fsprogs libcap-dev $${EXTRA_PKGS:-}" scripts/deps.sh
	@KNOWN=$(KNOWN) scripts/timed.sh "make vm" scripts/vm.sh $(VM_OUT)

# 5.10's own vm selftests (run_vmtests through the kselftest runner, and
# khugepaged) on the base kernel and on the series, each with its own
# tree's copy; fails if a case passing on the base does not pass with the
# series.  Two test-config kernels and two boots: about 40 minutes cold.
VMTESTS_OUT ?= $(BUILD)/vmtests
vmtests: tree
	@EXTRA_PKGS="bash-static libcap-dev rsync $${EXTRA_PKGS:-}" scripts/deps.sh
	@scripts/timed.sh "make vmtests" scripts/vmtests.sh $(VMTESTS_OUT)

# KCSAN: the base and the series built with configs/kcsan.config, booted
# with cow and gup_stress; prints every KCSAN report of both, and fails if
# one of the series' names code the series adds or changes.
KCSAN_OUT ?= $(BUILD)/kcsan
kcsan: tree
	@scripts/timed.sh "make kcsan" scripts/kcsan.sh $(KCSAN_OUT)

deb: tree
	@EXTRA_PKGS="rsync kmod fakeroot $${EXTRA_PKGS:-}" scripts/deps.sh
	@scripts/deb.sh

clean:
	rm -rf $(BUILD)
