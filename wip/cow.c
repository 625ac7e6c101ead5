// SPDX-License-Identifier: GPL-2.0
/*
 * COW (copy-on-write) and long-term GUP pin tests for anonymous memory.
 *
 * Every test case combines one behaviour with one kind of backing memory:
 *
 *  - A backing ("base page", "THP (PTE-mapped)", "hugetlb (2 MiB)",
 *    "KSM-merged page", ...) is set up from scratch for every test case:
 *    the memory is filled with a known "original" pattern (the zeropage
 *    backings are only read, so their original content is all zeros) and
 *    the set-up is verified (pagemap, kpageflags, smaps).  A set-up that
 *    cannot be done or verified makes the test case a SKIP with the reason.
 *
 *  - A behaviour (fork() COW, vmsplice(), io_uring fixed buffers, long-term
 *    GUP pins through /sys/kernel/debug/gup_test) then writes new patterns
 *    to the memory and checks the DATA that each party observes: a child
 *    must keep seeing the original content after the parent wrote, a pipe
 *    must return what was spliced, and a pinned page must stay coherent with
 *    what the process sees in its page tables.
 *
 * The outer loop runs over the backings, so that the swap device needed by
 * the swapped-out backings is switched once per backing: "(zram)" uses
 * $COW_SWAP_ZRAM (default /dev/zram0) as the only active swap device,
 * "(swap-cache disk)" uses $COW_SWAP_DISK (default /dev/vda), and
 * "swapped-out THP" uses the zram device, or the disk if zram cannot be
 * used.  The initial swap, KSM and THP settings are restored at the end.
 * COW_DRY_RUN=1 only prints the plan (every test case is a SKIP) and
 * touches nothing; COW_FILTER=<text> runs only the test cases whose
 * description contains <text> (the others are reported as SKIP).
 *
 * Each test case runs in its own process (killed after CASE_TIMEOUT
 * seconds), so a crash or a hang is reported as a failure of that test case
 * and the remaining ones still run.
 *
 * Output is KTAP: "ok N <behaviour> with <backing>" when the data was as
 * expected, "not ok N ..." otherwise (preceded by "# " lines telling what
 * was wrong, e.g. the first differing offset and which pattern was found
 * there), "ok N ... # SKIP <reason>" when the test could not be done.  The
 * last line sums the results; the exit status is 1 if any test failed,
 * else 0.  Run as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <liburing.h>

#include "../../../../mm/gup_test.h"

#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE		12
#endif
#ifndef MADV_DONTFORK
#define MADV_DONTFORK		10
#endif
#ifndef MADV_DOFORK
#define MADV_DOFORK		11
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE		14
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT		26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB		(21 << MAP_HUGE_SHIFT)
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif
#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ		1031
#endif
#ifndef SPLICE_F_NONBLOCK
#define SPLICE_F_NONBLOCK	2
#endif
#ifndef PR_SET_PDEATHSIG
#define PR_SET_PDEATHSIG	1
#endif

#define KSFT_PASS		0
#define KSFT_FAIL		1

#define THP_SIZE		(2UL << 20)
#define HUGETLB_SIZE		(2UL << 20)
#define MAX_SIZE		THP_SIZE

#define CASE_TIMEOUT		120	/* seconds, per test case */
#define KSM_TIMEOUT_MS		5000

#define THP_DIR			"/sys/kernel/mm/transparent_hugepage/"
#define KSM_DIR			"/sys/kernel/mm/ksm/"
#define HUGETLB_DIR		"/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define GUP_TEST_FILE		"/sys/kernel/debug/gup_test"

/* /proc/self/pagemap and /proc/kpageflags bits */
#define PM_PFN_MASK		((1ULL << 55) - 1)
#define PM_SWAPPED		(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)
#define KPF_THP			22
#define KPF_ZERO_PAGE		24

/* Content generations; see pattern_at(). */
#define GEN_ZERO		(-1)	/* all zeros (zeropage backings) */
#define GEN_ORIG		0	/* written by the backing set-up */
#define GEN_NEW			1	/* written by the process under test */
#define GEN_CHILD		2	/* written by a child to its own copy */
#define GEN_NEWER		3	/* written by the process a second time */

/* Exit codes of the helper children forked by the behaviours. */
#define CHILD_OK		0
#define CHILD_MISMATCH		1
#define CHILD_ERROR		2

enum result {
	RES_PASS,
	RES_FAIL,
	RES_SKIP,
};

/* The memory under test, as set up by a backing. */
struct mem {
	char *addr;
	size_t size;
	int orig;		/* GEN_ORIG, or GEN_ZERO if only read-faulted */
	/* What the teardown has to release. */
	void *map[2];
	size_t map_len[2];
	pid_t holder;		/* child sharing part of the memory, or 0 */
};

struct backing {
	const char *name;
	/* Runs in the test process: NULL on success, else the SKIP reason. */
	const char *(*setup)(struct mem *m);
	/* Runs once in the runner before the backing's test cases. */
	const char *(*prepare)(void);
	/* Read-faulted zeropage: only for the R/O pin behaviours. */
	bool zeropage;
};

struct behaviour {
	const char *name;
	enum result (*run)(struct mem *m);
	bool ro_pin;		/* meaningful on zeropage backings too */
};

struct case_result {
	int res;
	char reason[256];
};

struct sync {
	int to_child[2];
	int to_parent[2];
};

static size_t page_size;
static unsigned char *expect_buf;	/* MAX_SIZE bytes of scratch */
static char reason_buf[256];		/* SKIP reason */
static int result_wfd = -1;		/* test process -> runner */
static const char *zram_dev;
static const char *disk_dev;
static const char *case_filter;		/* $COW_FILTER */

static int nr_pass, nr_fail, nr_skip;

__attribute__((format(printf, 1, 2)))
static void diag(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
}

/* Format a SKIP reason (or a set-up failure) into reason_buf. */
__attribute__((format(printf, 1, 2)))
static const char *reason(const char *fmt, ...)
{
	char buf[sizeof(reason_buf)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(reason_buf, buf, sizeof(buf));
	return reason_buf;
}

__attribute__((format(printf, 1, 2)))
static enum result skip(const char *fmt, ...)
{
	char buf[sizeof(reason_buf)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(reason_buf, buf, sizeof(buf));
	return RES_SKIP;
}

/* ---------------------------------------------------------------------- */
/* Data patterns */

/*
 * Byte at offset @off of generation @gen.  Generations differ from each
 * other at every offset; the offset term makes misplaced pages visible.
 */
static unsigned char pattern_at(size_t off, int gen)
{
	if (gen == GEN_ZERO)
		return 0;
	return (unsigned char)(off % 251 + (off / 4096) * 17 + gen * 0x5b + 1);
}

/* Same as pattern_at() for a whole range, without a division per byte. */
static void gen_pattern(unsigned char *dst, size_t size, int gen)
{
	unsigned char base = (unsigned char)(gen * 0x5b + 1);
	unsigned int mod = 0;
	size_t i;

	if (gen == GEN_ZERO) {
		memset(dst, 0, size);
		return;
	}
	for (i = 0; i < size; i++) {
		if (i && !(i % 4096))
			base += 17;
		dst[i] = (unsigned char)(base + mod);
		if (++mod == 251)
			mod = 0;
	}
}

static void fill(char *mem, size_t size, int gen)
{
	gen_pattern((unsigned char *)mem, size, gen);
}

static const char *gen_name(int gen)
{
	switch (gen) {
	case GEN_ZERO:
		return "zeros";
	case GEN_ORIG:
		return "original data";
	case GEN_NEW:
		return "new data";
	case GEN_CHILD:
		return "child's data";
	case GEN_NEWER:
		return "newer data";
	}
	return "?";
}

static const char *guess_gen(size_t off, unsigned char val)
{
	static const int gens[] = {
		GEN_ORIG, GEN_NEW, GEN_CHILD, GEN_NEWER, GEN_ZERO
	};
	size_t i;

	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++)
		if (pattern_at(off, gens[i]) == val)
			return gen_name(gens[i]);
	return "unknown data";
}

/* Check that @data holds generation @gen; describe the first difference. */
static bool check(const char *what, const char *data, size_t size, int gen)
{
	const unsigned char *d = (const unsigned char *)data;
	size_t i, first, bad = 0;

	gen_pattern(expect_buf, size, gen);
	if (!memcmp(d, expect_buf, size))
		return true;
	for (first = 0; d[first] == expect_buf[first]; first++)
		;
	for (i = first; i < size; i++)
		if (d[i] != expect_buf[i])
			bad++;
	diag("%s: expected %s, first difference at offset %#zx of %#zx: 0x%02x (%s) instead of 0x%02x; %zu bytes differ",
	     what, gen_name(gen), first, size, d[first],
	     guess_gen(first, d[first]), expect_buf[first], bad);
	return false;
}

/* ---------------------------------------------------------------------- */
/* Small helpers */

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

static int write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	return (size_t)n == len ? 0 : -EIO;
}

static long read_long(const char *path)
{
	char buf[64];

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static bool read_all(int fd, char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			diag("read() returned %zd after %zu of %zu bytes: %s",
			     n, done, len, n ? strerror(errno) : "EOF");
			return false;
		}
		done += n;
	}
	return true;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

static bool mprotect_ro_rw(char *addr, size_t size)
{
	if (mprotect(addr, size, PROT_READ) ||
	    mprotect(addr, size, PROT_READ | PROT_WRITE)) {
		diag("mprotect() failed: %s", strerror(errno));
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Processes and synchronisation */

static int sync_init(struct sync *s)
{
	s->to_child[0] = s->to_child[1] = -1;
	s->to_parent[0] = s->to_parent[1] = -1;
	if (pipe(s->to_child))
		return -1;
	if (pipe(s->to_parent)) {
		close_fd(&s->to_child[0]);
		close_fd(&s->to_child[1]);
		return -1;
	}
	return 0;
}

static void sync_as_child(struct sync *s)
{
	close_fd(&s->to_child[1]);
	close_fd(&s->to_parent[0]);
}

static void sync_as_parent(struct sync *s)
{
	close_fd(&s->to_child[0]);
	close_fd(&s->to_parent[1]);
}

static void sync_close(struct sync *s)
{
	close_fd(&s->to_child[0]);
	close_fd(&s->to_child[1]);
	close_fd(&s->to_parent[0]);
	close_fd(&s->to_parent[1]);
}

static bool notify(int fd)
{
	char c = 'x';
	ssize_t n;

	do {
		n = write(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1;
}

/* Wait for a notify(); false if the other side went away. */
static bool await(int fd)
{
	ssize_t n;
	char c;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1;
}

/*
 * fork() a helper child that dies with its parent and that does not keep
 * the runner's result pipe open.
 */
static pid_t fork_child(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("fork() failed: %s", strerror(errno));
	} else if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close_fd(&result_wfd);
	}
	return pid;
}

/* Reap @pid: its exit code, or -1 (with a diagnostic) if it did not exit. */
static int reap(pid_t pid, const char *who)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			diag("waitpid(%s) failed: %s", who, strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		diag("%s was killed by signal %d (%s)", who, WTERMSIG(status),
		     strsignal(WTERMSIG(status)));
	return -1;
}

static bool child_ok(pid_t pid)
{
	int ret = reap(pid, "child");

	if (ret == CHILD_MISMATCH)
		diag("the child observed wrong data");
	else if (ret > 0)
		diag("the child failed (exit code %d)", ret);
	return ret == CHILD_OK;
}

/* ---------------------------------------------------------------------- */
/* pagemap, kpageflags, smaps */

static bool pagemap_entry(const void *addr, uint64_t *ent)
{
	off_t off = (off_t)((uintptr_t)addr / page_size) * sizeof(*ent);
	ssize_t n;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return false;
	n = pread(fd, ent, sizeof(*ent), off);
	close(fd);
	return n == sizeof(*ent);
}

/* PFN mapped at @addr; false if not present or hidden. */
static bool pfn_of(const void *addr, uint64_t *pfn)
{
	uint64_t ent;

	if (!pagemap_entry(addr, &ent) || !(ent & PM_PRESENT))
		return false;
	*pfn = ent & PM_PFN_MASK;
	return *pfn != 0;
}

static bool is_swapped(const void *addr)
{
	uint64_t ent;

	return pagemap_entry(addr, &ent) && (ent & PM_SWAPPED);
}

static bool kpageflags_of(uint64_t pfn, uint64_t *flags)
{
	ssize_t n;
	int fd;

	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		return false;
	n = pread(fd, flags, sizeof(*flags), (off_t)(pfn * sizeof(*flags)));
	close(fd);
	return n == sizeof(*flags);
}

/* Value in kB of smaps field @field ("AnonHugePages:") of @addr's VMA. */
static long smaps_kb(const void *addr, const char *field)
{
	unsigned long start, end, a = (uintptr_t)addr;
	size_t flen = strlen(field);
	bool in_vma = false;
	char line[1024];
	char perms[8];
	long val = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3) {
			if (in_vma)
				break;
			in_vma = a >= start && a < end;
			continue;
		}
		if (in_vma && !strncmp(line, field, flen)) {
			val = strtol(line + flen, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* ---------------------------------------------------------------------- */
/* Backings */

static void track(struct mem *m, void *addr, size_t len)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!m->map[i]) {
			m->map[i] = addr;
			m->map_len[i] = len;
			return;
		}
	}
}

static void teardown(struct mem *m)
{
	int i;

	if (m->holder > 0) {
		kill(m->holder, SIGKILL);
		while (waitpid(m->holder, NULL, 0) < 0 && errno == EINTR)
			;
		m->holder = 0;
	}
	for (i = 0; i < 2; i++)
		if (m->map[i])
			munmap(m->map[i], m->map_len[i]);
}

static char *map_anon(struct mem *m, size_t len, int prot, int flags)
{
	char *p;

	p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	track(m, p, len);
	return p;
}

/* Swap the memory out and verify that it is. */
static const char *pageout(struct mem *m)
{
	size_t i, n = m->size / page_size, swapped = 0;
	int try;

	for (try = 0; try < 3 && !is_swapped(m->addr); try++) {
		if (madvise(m->addr, m->size, MADV_PAGEOUT))
			return reason("MADV_PAGEOUT failed: %s", strerror(errno));
	}
	if (!is_swapped(m->addr))
		return "MADV_PAGEOUT did not swap out the memory (pagemap)";
	for (i = 0; i < n; i++)
		if (is_swapped(m->addr + i * page_size))
			swapped++;
	if (swapped != n)
		diag("only %zu of %zu pages are swapped out", swapped, n);
	return NULL;
}

static const char *setup_base(struct mem *m)
{
	m->addr = map_anon(m, page_size, PROT_READ | PROT_WRITE, 0);
	if (!m->addr)
		return reason("mmap() failed: %s", strerror(errno));
	m->size = page_size;
	m->orig = GEN_ORIG;
	fill(m->addr, m->size, GEN_ORIG);
	return NULL;
}

/*
 * Populate and page out on one CPU: MADV_PAGEOUT only drains the local
 * CPU's LRU pagevec, and a page still sitting in a pagevec is not
 * reclaimed.
 */
static const char *setup_swapped_base(struct mem *m)
{
	cpu_set_t old, one;
	const char *why;
	bool pinned = false;
	int cpu;

	cpu = sched_getcpu();
	if (cpu >= 0 && !sched_getaffinity(0, sizeof(old), &old)) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		pinned = !sched_setaffinity(0, sizeof(one), &one);
	}
	why = setup_base(m);
	if (!why)
		why = pageout(m);
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	return why;
}

static const char *setup_swapped_base_zram(struct mem *m)
{
	return setup_swapped_base(m);
}

static const char *setup_swapped_base_disk(struct mem *m)
{
	return setup_swapped_base(m);
}

static const char *thp_unavailable(void)
{
	char buf[128];
	long size;
	int ret;

	ret = read_file(THP_DIR "enabled", buf, sizeof(buf));
	if (ret < 0)
		return reason("THP not supported (%senabled: %s)", THP_DIR,
			      strerror(-ret));
	if (strstr(buf, "[never]"))
		return "THP disabled (transparent_hugepage/enabled is [never])";
	size = read_long(THP_DIR "hpage_pmd_size");
	if (size > 0 && (unsigned long)size != THP_SIZE)
		return reason("THP size is %ld, not %lu", size, THP_SIZE);
	return NULL;
}

/* A THP-aligned, MADV_HUGEPAGE area of THP_SIZE inside a 2 * THP_SIZE map. */
static char *map_thp_area(struct mem *m, const char **why)
{
	char *raw, *addr;

	raw = map_anon(m, 2 * THP_SIZE, PROT_READ | PROT_WRITE, 0);
	if (!raw) {
		*why = reason("mmap() failed: %s", strerror(errno));
		return NULL;
	}
	addr = (char *)(((uintptr_t)raw + THP_SIZE - 1) & ~(THP_SIZE - 1));
	if (madvise(addr, THP_SIZE, MADV_HUGEPAGE)) {
		*why = reason("MADV_HUGEPAGE failed: %s", strerror(errno));
		return NULL;
	}
	return addr;
}

/*
 * Verify that [addr, addr + size) is backed by consecutive subpages of a
 * THP (whichever way they are mapped).
 */
static const char *thp_verify_compound(char *addr, size_t size)
{
	uint64_t first, last, flags;

	if (!pfn_of(addr, &first) || !pfn_of(addr + size - page_size, &last))
		return "cannot determine the PFNs (/proc/self/pagemap)";
	if (last - first != size / page_size - 1)
		return "memory is not backed by a single THP anymore";
	if (!kpageflags_of(first, &flags)) {
		diag("cannot read /proc/kpageflags, not verifying the THP");
		return NULL;
	}
	if (!(flags & (1ULL << KPF_THP)))
		return "memory is not backed by a THP anymore";
	if (kpageflags_of(last, &flags) && !(flags & (1ULL << KPF_THP)))
		return "memory is not backed by a THP anymore";
	return NULL;
}

static const char *setup_thp_pmd(struct mem *m)
{
	const char *why = thp_unavailable();
	long kb;

	if (why)
		return why;
	m->addr = map_thp_area(m, &why);
	if (!m->addr)
		return why;
	m->size = THP_SIZE;
	m->orig = GEN_ORIG;
	fill(m->addr, m->size, GEN_ORIG);

	kb = smaps_kb(m->addr, "AnonHugePages:");
	if (kb < 0)
		return "cannot read AnonHugePages from /proc/self/smaps";
	if ((unsigned long)kb < THP_SIZE / 1024)
		return reason("no THP obtained (AnonHugePages: %ld kB)", kb);
	return NULL;
}

/* mprotect() of a single subpage splits the PMD, not the THP. */
static const char *setup_thp_pte(struct mem *m)
{
	const char *why = setup_thp_pmd(m);
	long kb;

	if (why)
		return why;
	if (mprotect(m->addr, page_size, PROT_READ) ||
	    mprotect(m->addr, page_size, PROT_READ | PROT_WRITE))
		return reason("mprotect() failed: %s", strerror(errno));
	kb = smaps_kb(m->addr, "AnonHugePages:");
	if (kb < 0)
		return "cannot read AnonHugePages from /proc/self/smaps";
	if (kb)
		return "THP is still PMD-mapped after mprotect()";
	return thp_verify_compound(m->addr, m->size);
}

static const char *setup_thp_single_pte(struct mem *m)
{
	const char *why = setup_thp_pte(m);

	if (why)
		return why;
	if (madvise(m->addr + page_size, THP_SIZE - page_size, MADV_DONTNEED))
		return reason("MADV_DONTNEED failed: %s", strerror(errno));
	m->size = page_size;
	return thp_verify_compound(m->addr, m->size);
}

static const char *setup_thp_swapped(struct mem *m)
{
	const char *why = setup_thp_pmd(m);

	if (why)
		return why;
	return pageout(m);
}

/* Move the second half of a THP elsewhere: it is PTE-mapped in two places. */
static const char *setup_thp_mremap(struct mem *m)
{
	const char *why = setup_thp_pmd(m);
	size_t half = THP_SIZE / 2;
	uint64_t head_pfn, pfn;
	char *dst, *moved;

	if (why)
		return why;
	if (!pfn_of(m->addr, &head_pfn))
		return "cannot determine the PFN (/proc/self/pagemap)";
	dst = map_anon(m, half, PROT_NONE, 0);
	if (!dst)
		return reason("mmap() failed: %s", strerror(errno));
	moved = mremap(m->addr + half, half, half,
		       MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	if (moved == MAP_FAILED)
		return reason("mremap() failed: %s", strerror(errno));
	m->addr = moved;
	m->size = half;
	/* Patterns are relative to m->addr: rewrite the original data. */
	fill(m->addr, m->size, GEN_ORIG);
	if (!pfn_of(m->addr, &pfn) || pfn != head_pfn + half / page_size)
		return "the mremap()'ed range is not backed by the original THP";
	return thp_verify_compound(m->addr, m->size);
}

/* A holder child maps the first subpage; the rest is ours only. */
static const char *setup_thp_partially_shared(struct mem *m)
{
	const char *why = setup_thp_pmd(m);
	pid_t pid;

	if (why)
		return why;
	if (madvise(m->addr + page_size, THP_SIZE - page_size, MADV_DONTFORK))
		return reason("MADV_DONTFORK failed: %s", strerror(errno));
	pid = fork_child();
	if (pid < 0)
		return reason("fork() failed: %s", strerror(errno));
	if (!pid) {
		for (;;)
			pause();
	}
	m->holder = pid;
	if (madvise(m->addr + page_size, THP_SIZE - page_size, MADV_DOFORK))
		return reason("MADV_DOFORK failed: %s", strerror(errno));
	return thp_verify_compound(m->addr, m->size);
}

static const char *setup_hugetlb(struct mem *m)
{
	long nr_total, nr_free, nr_resv;
	struct timespec start;

	m->addr = map_anon(m, HUGETLB_SIZE, PROT_READ | PROT_WRITE,
			   MAP_HUGETLB | MAP_HUGE_2MB);
	if (!m->addr)
		return reason("mmap(MAP_HUGETLB | MAP_HUGE_2MB) failed: %s (no free 2 MiB hugetlb page?)",
			      strerror(errno));
	m->size = HUGETLB_SIZE;
	m->orig = GEN_ORIG;
	fill(m->addr, m->size, GEN_ORIG);

	/*
	 * COW needs a second page; without it a child would get SIGBUS.
	 * Pages of the previous test case may still be released
	 * asynchronously: wait a little for them.
	 */
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		nr_total = read_long(HUGETLB_DIR "nr_hugepages");
		nr_free = read_long(HUGETLB_DIR "free_hugepages");
		nr_resv = read_long(HUGETLB_DIR "resv_hugepages");
		/* Unknown or implausible: let the test find out. */
		if (nr_total < 0 || nr_free < 0 || nr_resv < 0 ||
		    nr_resv > nr_total || nr_free - nr_resv >= 1)
			return NULL;
		usleep(20000);
	} while (elapsed_ms(&start) < 2000);
	return reason("no spare 2 MiB hugetlb page for COW (free %ld, reserved %ld)",
		      nr_free, nr_resv);
}

static const char *setup_ksm(struct mem *m)
{
	long scans0, scans, shared;
	struct timespec start;
	uint64_t a, b;
	bool merged = false;
	char *p;

	p = map_anon(m, 2 * page_size, PROT_READ | PROT_WRITE, 0);
	if (!p)
		return reason("mmap() failed: %s", strerror(errno));
	if (madvise(p, 2 * page_size, MADV_MERGEABLE))
		return reason("MADV_MERGEABLE failed: %s (KSM not supported?)",
			      strerror(errno));
	m->addr = p;
	m->size = page_size;
	m->orig = GEN_ORIG;
	fill(p, page_size, GEN_ORIG);
	memcpy(p + page_size, p, page_size);

	if (write_file(KSM_DIR "pages_to_scan", "1000") ||
	    write_file(KSM_DIR "sleep_millisecs", "0") ||
	    write_file(KSM_DIR "run", "1"))
		return "cannot start KSM (" KSM_DIR ")";
	scans0 = read_long(KSM_DIR "full_scans");
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (elapsed_ms(&start) < KSM_TIMEOUT_MS) {
		scans = read_long(KSM_DIR "full_scans");
		if (pfn_of(p, &a) && pfn_of(p + page_size, &b)) {
			if (a == b) {
				merged = true;
				break;
			}
			/* Not merged after several full scans: give up. */
			if (scans0 >= 0 && scans >= scans0 + 4)
				break;
		} else {
			/* PFNs not visible: trust KSM's counters. */
			shared = read_long(KSM_DIR "pages_shared");
			if (scans0 >= 0 && scans >= scans0 + 2 && shared > 0) {
				merged = true;
				break;
			}
		}
		usleep(10000);
	}
	/* Stop ksmd; merged pages stay merged. */
	write_file(KSM_DIR "run", "0");
	if (!merged)
		return "KSM did not merge the pages";
	return NULL;
}

static const char *verify_zeropage(char *addr, bool huge)
{
	uint64_t pfn, flags;

	if (!pfn_of(addr, &pfn))
		return "cannot determine the PFN (/proc/self/pagemap)";
	if (!kpageflags_of(pfn, &flags)) {
		diag("cannot read /proc/kpageflags, not verifying the zeropage");
		return NULL;
	}
	if (!(flags & (1ULL << KPF_ZERO_PAGE)))
		return huge ? "huge zeropage not mapped" :
			      "shared zeropage not mapped";
	if (huge && !(flags & (1ULL << KPF_THP)))
		return "huge zeropage not mapped (got the small zeropage)";
	return NULL;
}

static const char *setup_zeropage(struct mem *m)
{
	m->addr = map_anon(m, page_size, PROT_READ | PROT_WRITE, 0);
	if (!m->addr)
		return reason("mmap() failed: %s", strerror(errno));
	m->size = page_size;
	m->orig = GEN_ZERO;
	if (*(volatile char *)m->addr)
		return "fresh anonymous memory is not zero";
	return verify_zeropage(m->addr, false);
}

static const char *setup_huge_zeropage(struct mem *m)
{
	const char *why = thp_unavailable();
	char buf[16];
	int ret;

	if (why)
		return why;
	ret = read_file(THP_DIR "use_zero_page", buf, sizeof(buf));
	if (ret < 0)
		return reason("huge zeropage not supported (%suse_zero_page: %s)",
			      THP_DIR, strerror(-ret));
	if (strcmp(buf, "1"))
		return "huge zeropage disabled (use_zero_page is not 1)";
	m->addr = map_thp_area(m, &why);
	if (!m->addr)
		return why;
	m->size = THP_SIZE;
	m->orig = GEN_ZERO;
	if (*(volatile char *)m->addr)
		return "fresh anonymous memory is not zero";
	return verify_zeropage(m->addr, true);
}

/* ---------------------------------------------------------------------- */
/* Behaviours: fork() COW */

/*
 * The parent writes new data while a child shares the memory; the child
 * must still see the original data, and the child's own write must not
 * reach the parent.  Optionally both do the mprotect() R/O + R/W dance
 * first, which must not map a shared page writable.
 */
static enum result do_test_cow(struct mem *m, bool mprot)
{
	bool ok = false;
	struct sync s;
	pid_t pid;

	if (sync_init(&s)) {
		diag("pipe() failed: %s", strerror(errno));
		return RES_FAIL;
	}
	pid = fork_child();
	if (pid < 0) {
		sync_close(&s);
		return RES_FAIL;
	}
	if (!pid) {
		int ret = CHILD_OK;

		sync_as_child(&s);
		if (mprot && !mprotect_ro_rw(m->addr, m->size))
			_exit(CHILD_ERROR);
		if (!notify(s.to_parent[1]) || !await(s.to_child[0]))
			_exit(CHILD_ERROR);
		if (!check("child, after the parent's write", m->addr,
			   m->size, m->orig))
			ret = CHILD_MISMATCH;
		fill(m->addr, m->size, GEN_CHILD);
		if (!check("child, after its own write", m->addr, m->size,
			   GEN_CHILD))
			ret = CHILD_MISMATCH;
		_exit(ret);
	}
	sync_as_parent(&s);
	if (!await(s.to_parent[0])) {
		diag("the child did not get ready");
		goto out;
	}
	if (mprot && !mprotect_ro_rw(m->addr, m->size))
		goto out;
	fill(m->addr, m->size, GEN_NEW);
	ok = notify(s.to_child[1]);
out:
	sync_close(&s);
	if (!child_ok(pid))
		ok = false;
	if (ok && !check("parent, after the child's write", m->addr, m->size,
			 GEN_NEW))
		ok = false;
	return ok ? RES_PASS : RES_FAIL;
}

static enum result test_cow(struct mem *m)
{
	return do_test_cow(m, false);
}

static enum result test_cow_mprotect(struct mem *m)
{
	return do_test_cow(m, true);
}

/* ---------------------------------------------------------------------- */
/* Behaviours: vmsplice() */

/* Make the pipe hold @size bytes, or as much as an unprivileged user may. */
static void pipe_resize(int fd, size_t size)
{
	long max;
	int err;

	if (fcntl(fd, F_SETPIPE_SZ, (int)size) >= 0)
		return;
	err = errno;
	max = read_long("/proc/sys/fs/pipe-max-size");
	if (max > 0 && (size_t)max < size &&
	    fcntl(fd, F_SETPIPE_SZ, (int)max) >= 0)
		return;
	diag("F_SETPIPE_SZ(%zu) failed: %s", size, strerror(err));
}

/*
 * vmsplice() @addr into the pipe @p (sized to hold it all), then close the
 * write end.  Returns the number of bytes in the pipe, or -1.
 */
static ssize_t vmsplice_range(int p[2], char *addr, size_t size)
{
	size_t total = 0;
	ssize_t n;

	pipe_resize(p[1], size);
	while (total < size) {
		struct iovec iov = {
			.iov_base = addr + total,
			.iov_len = size - total,
		};

		n = vmsplice(p[1], &iov, 1, SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && total)
			break;
		if (n < 0) {
			diag("vmsplice() failed: %s", strerror(errno));
			close_fd(&p[1]);
			return -1;
		}
		if (!n)
			break;
		total += n;
	}
	close_fd(&p[1]);
	if (!total) {
		diag("vmsplice() transferred nothing");
		return -1;
	}
	if (total < size)
		diag("only %zu of %zu bytes fit into the pipe, checking those",
		     total, size);
	return total;
}

/* Read @len bytes from the pipe; they must be generation @gen. */
static bool check_pipe(int fd, size_t len, int gen)
{
	char *buf = malloc(len);
	bool ok;

	if (!buf) {
		diag("malloc() failed");
		return false;
	}
	ok = read_all(fd, buf, len) &&
	     check("data read from the pipe", buf, len, gen);
	free(buf);
	return ok;
}

/* The child of do_test_vmsplice_in_child(). */
static int vmsplice_child(struct mem *m, struct sync *s)
{
	int p[2];
	ssize_t n;

	if (pipe(p)) {
		diag("pipe() failed: %s", strerror(errno));
		return CHILD_ERROR;
	}
	n = vmsplice_range(p, m->addr, m->size);
	if (n < 0)
		return CHILD_ERROR;
	if (munmap(m->addr, m->size)) {
		diag("munmap() failed: %s", strerror(errno));
		return CHILD_ERROR;
	}
	if (!notify(s->to_parent[1]) || !await(s->to_child[0]))
		return CHILD_ERROR;
	return check_pipe(p[0], n, m->orig) ? CHILD_OK : CHILD_MISMATCH;
}

/*
 * A child vmsplice()s the shared memory into a pipe and unmaps it; the
 * parent then writes new data.  The pipe must still hold the original data:
 * the parent's write must not leak to the child through the pipe.
 */
static enum result do_test_vmsplice_in_child(struct mem *m, bool mprot)
{
	bool ok = false;
	struct sync s;
	pid_t pid;

	if (sync_init(&s)) {
		diag("pipe() failed: %s", strerror(errno));
		return RES_FAIL;
	}
	pid = fork_child();
	if (pid < 0) {
		sync_close(&s);
		return RES_FAIL;
	}
	if (!pid) {
		sync_as_child(&s);
		_exit(vmsplice_child(m, &s));
	}
	sync_as_parent(&s);
	if (!await(s.to_parent[0])) {
		diag("the child failed before the parent's write");
		goto out;
	}
	if (mprot && !mprotect_ro_rw(m->addr, m->size))
		goto out;
	fill(m->addr, m->size, GEN_NEW);
	ok = notify(s.to_child[1]);
out:
	sync_close(&s);
	if (!child_ok(pid))
		ok = false;
	if (ok && !check("parent, after its own write", m->addr, m->size,
			 GEN_NEW))
		ok = false;
	return ok ? RES_PASS : RES_FAIL;
}

static enum result test_vmsplice_in_child(struct mem *m)
{
	return do_test_vmsplice_in_child(m, false);
}

static enum result test_vmsplice_in_child_mprotect(struct mem *m)
{
	return do_test_vmsplice_in_child(m, true);
}

/*
 * The parent vmsplice()s the memory into a pipe (before or after fork()),
 * then unmaps it; the child writes to its copy, which it now maps alone.
 * The pipe must still hold the original data.
 */
static enum result do_test_vmsplice_in_parent(struct mem *m, bool before_fork)
{
	int p[2] = { -1, -1 };
	bool ok = false;
	struct sync s;
	ssize_t n = 0;
	pid_t pid;

	if (pipe(p)) {
		diag("pipe() failed: %s", strerror(errno));
		return RES_FAIL;
	}
	if (sync_init(&s)) {
		diag("pipe() failed: %s", strerror(errno));
		close_fd(&p[0]);
		close_fd(&p[1]);
		return RES_FAIL;
	}
	if (before_fork) {
		n = vmsplice_range(p, m->addr, m->size);
		if (n < 0) {
			sync_close(&s);
			close_fd(&p[0]);
			return RES_FAIL;
		}
	}
	pid = fork_child();
	if (pid < 0) {
		sync_close(&s);
		close_fd(&p[0]);
		close_fd(&p[1]);
		return RES_FAIL;
	}
	if (!pid) {
		int ret = CHILD_OK;

		close_fd(&p[0]);
		close_fd(&p[1]);
		sync_as_child(&s);
		if (!notify(s.to_parent[1]) || !await(s.to_child[0]))
			_exit(CHILD_ERROR);
		fill(m->addr, m->size, GEN_CHILD);
		if (!check("child, after its own write", m->addr, m->size,
			   GEN_CHILD))
			ret = CHILD_MISMATCH;
		_exit(ret);
	}
	sync_as_parent(&s);
	if (!await(s.to_parent[0])) {
		diag("the child did not get ready");
		goto out;
	}
	if (!before_fork) {
		n = vmsplice_range(p, m->addr, m->size);
		if (n < 0)
			goto out;
	}
	if (munmap(m->addr, m->size)) {
		diag("munmap() failed: %s", strerror(errno));
		goto out;
	}
	ok = notify(s.to_child[1]);
out:
	sync_close(&s);
	if (!child_ok(pid))
		ok = false;
	/* The child has exited: its write is done. */
	if (ok && !check_pipe(p[0], n, m->orig))
		ok = false;
	close_fd(&p[0]);
	close_fd(&p[1]);
	return ok ? RES_PASS : RES_FAIL;
}

static enum result test_vmsplice_before_fork(struct mem *m)
{
	return do_test_vmsplice_in_parent(m, true);
}

static enum result test_vmsplice_after_fork(struct mem *m)
{
	return do_test_vmsplice_in_parent(m, false);
}

/* ---------------------------------------------------------------------- */
/* Behaviours: io_uring fixed buffers */

static int tmp_file(void)
{
	char path[] = "/tmp/cow.XXXXXX";
	int fd = -1;

#ifdef __NR_memfd_create
	fd = (int)syscall(__NR_memfd_create, "cow", 0);
#endif
	if (fd < 0) {
		fd = mkstemp(path);
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

/* Write the fixed buffer 0 (which is @addr) to @fd at offset 0. */
static bool write_fixed(struct io_uring *ring, int fd, char *addr, size_t size)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	size_t done = 0;
	int ret, res;

	while (done < size) {
		sqe = io_uring_get_sqe(ring);
		if (!sqe) {
			diag("io_uring_get_sqe() failed");
			return false;
		}
		io_uring_prep_write_fixed(sqe, fd, addr + done, size - done,
					  done, 0);
		ret = io_uring_submit(ring);
		if (ret != 1) {
			diag("io_uring_submit() failed: %s",
			     ret < 0 ? strerror(-ret) : "nothing submitted");
			return false;
		}
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret) {
			diag("io_uring_wait_cqe() failed: %s", strerror(-ret));
			return false;
		}
		res = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		if (res <= 0) {
			diag("IORING_OP_WRITE_FIXED failed: %s",
			     res ? strerror(-res) : "nothing written");
			return false;
		}
		done += res;
	}
	return true;
}

static bool check_file(int fd, size_t size, int gen)
{
	char *buf = malloc(size);
	size_t done = 0;
	bool ok = false;
	ssize_t n;

	if (!buf) {
		diag("malloc() failed");
		return false;
	}
	while (done < size) {
		n = pread(fd, buf + done, size - done, done);
		if (n <= 0) {
			diag("pread() failed: %s", n ? strerror(errno) : "EOF");
			goto out;
		}
		done += n;
	}
	ok = check("file written from the fixed buffer", buf, size, gen);
out:
	free(buf);
	return ok;
}

/*
 * Register the memory as io_uring fixed buffer (a long-term R/W pin), then
 * either map it R/O and R/W again, or fork() a child that keeps it shared.
 * After the process writes new data, writing the fixed buffer to a file
 * must store exactly that data: the pin must stay coherent.
 */
static enum result do_test_iouring(struct mem *m, bool use_fork)
{
	struct iovec iov = { .iov_base = m->addr, .iov_len = m->size };
	struct io_uring ring;
	enum result res = RES_FAIL;
	struct sync s;
	bool ok = false;
	pid_t pid = -1;
	int fd, ret;

	s.to_child[0] = s.to_child[1] = s.to_parent[0] = s.to_parent[1] = -1;
	ret = io_uring_queue_init(1, &ring, 0);
	if (ret) {
		if (ret == -ENOSYS || ret == -EPERM)
			return skip("io_uring not available: %s",
				    strerror(-ret));
		diag("io_uring_queue_init() failed: %s", strerror(-ret));
		return RES_FAIL;
	}
	fd = tmp_file();
	if (fd < 0) {
		diag("cannot create a temporary file: %s", strerror(errno));
		goto out_ring;
	}
	ret = io_uring_register_buffers(&ring, &iov, 1);
	if (ret) {
		if (ret == -ENOMEM)
			res = skip("io_uring_register_buffers() failed: %s (RLIMIT_MEMLOCK?)",
				   strerror(-ret));
		else
			diag("io_uring_register_buffers() failed: %s",
			     strerror(-ret));
		goto out_file;
	}

	if (use_fork) {
		if (sync_init(&s)) {
			diag("pipe() failed: %s", strerror(errno));
			goto out_file;
		}
		pid = fork_child();
		if (pid < 0)
			goto out_sync;
		if (!pid) {
			int cret = CHILD_OK;

			sync_as_child(&s);
			fill(m->addr, m->size, GEN_CHILD);
			if (!notify(s.to_parent[1]) || !await(s.to_child[0]))
				_exit(CHILD_ERROR);
			if (!check("child, after the parent's write", m->addr,
				   m->size, GEN_CHILD))
				cret = CHILD_MISMATCH;
			_exit(cret);
		}
		sync_as_parent(&s);
		if (!await(s.to_parent[0])) {
			diag("the child did not get ready");
			goto out_sync;
		}
	} else if (!mprotect_ro_rw(m->addr, m->size)) {
		goto out_file;
	}

	fill(m->addr, m->size, GEN_NEW);
	if (!write_fixed(&ring, fd, m->addr, m->size))
		goto out_sync;
	ok = true;
out_sync:
	if (pid > 0) {
		if (ok)
			ok = notify(s.to_child[1]);
		sync_close(&s);
		if (!child_ok(pid))
			ok = false;
	}
	sync_close(&s);
	if (ok && check_file(fd, m->size, GEN_NEW))
		res = RES_PASS;
	/* Unpin now: ring teardown may release the pages asynchronously. */
	io_uring_unregister_buffers(&ring);
out_file:
	close(fd);
out_ring:
	io_uring_queue_exit(&ring);
	return res;
}

static enum result test_iouring_ro(struct mem *m)
{
	return do_test_iouring(m, false);
}

static enum result test_iouring_fork(struct mem *m)
{
	return do_test_iouring(m, true);
}

/* ---------------------------------------------------------------------- */
/* Behaviours: long-term GUP pins through gup_test */

enum ro_pin_kind {
	RO_PIN_SHARED,
	RO_PIN_PREVIOUSLY_SHARED,
	RO_PIN_RO_EXCLUSIVE,
};

static enum result gup_open(int *fd)
{
	*fd = open(GUP_TEST_FILE, O_RDWR);
	if (*fd < 0)
		return skip("gup_test not available (%s: %s)", GUP_TEST_FILE,
			    strerror(errno));
	return RES_PASS;
}

static enum result pin_start(int fd, struct mem *m, unsigned int flags)
{
	struct pin_longterm_test args = {
		.addr = (uintptr_t)m->addr,
		.size = m->size,
		.flags = flags,
	};

	int err;

	if (!ioctl(fd, PIN_LONGTERM_TEST_START, &args))
		return RES_PASS;
	err = errno;
	/* Make sure that nothing stays pinned. */
	ioctl(fd, PIN_LONGTERM_TEST_STOP);
	errno = err;
	if (errno == ENOTTY || errno == ENOSYS || errno == EOPNOTSUPP)
		return skip("PIN_LONGTERM_TEST_START not supported: %s",
			    strerror(errno));
	diag("PIN_LONGTERM_TEST_START failed: %s", strerror(errno));
	return RES_FAIL;
}

static void pin_stop(int fd, enum result *res)
{
	if (ioctl(fd, PIN_LONGTERM_TEST_STOP)) {
		diag("PIN_LONGTERM_TEST_STOP failed: %s", strerror(errno));
		if (*res == RES_PASS)
			*res = RES_FAIL;
	}
}

/* What the pinned pages hold must be generation @gen. */
static bool pin_check(int fd, struct mem *m, char *buf, int gen,
		      const char *what)
{
	__u64 dst = (uintptr_t)buf;

	memset(buf, 0, m->size);
	if (ioctl(fd, PIN_LONGTERM_TEST_READ, &dst)) {
		diag("PIN_LONGTERM_TEST_READ failed: %s", strerror(errno));
		return false;
	}
	return check(what, buf, m->size, gen);
}

/*
 * Take a R/O long-term pin on a page that is shared with a child, that was
 * shared with a child that has exited, or that is exclusive but mapped R/O.
 * Then write new data (mapping the page writable first if needed): reading
 * through the pin must return the new data.
 */
static enum result do_test_ro_pin(struct mem *m, enum ro_pin_kind kind,
				  bool fast)
{
	enum result res;
	bool pinned = false;
	pid_t pid = -1;
	struct sync s;
	char *buf;
	int fd;

	s.to_child[0] = s.to_child[1] = s.to_parent[0] = s.to_parent[1] = -1;
	res = gup_open(&fd);
	if (res != RES_PASS)
		return res;
	res = RES_FAIL;
	buf = malloc(m->size);
	if (!buf) {
		diag("malloc() failed");
		goto out;
	}

	switch (kind) {
	case RO_PIN_SHARED:
	case RO_PIN_PREVIOUSLY_SHARED:
		if (sync_init(&s)) {
			diag("pipe() failed: %s", strerror(errno));
			goto out;
		}
		pid = fork_child();
		if (pid < 0)
			goto out;
		if (!pid) {
			int ret = CHILD_OK;

			if (kind == RO_PIN_PREVIOUSLY_SHARED)
				_exit(CHILD_OK);
			sync_as_child(&s);
			if (!notify(s.to_parent[1]) || !await(s.to_child[0]))
				_exit(CHILD_ERROR);
			if (!check("child, after the parent's write", m->addr,
				   m->size, m->orig))
				ret = CHILD_MISMATCH;
			_exit(ret);
		}
		sync_as_parent(&s);
		if (kind == RO_PIN_PREVIOUSLY_SHARED) {
			bool exited = child_ok(pid);

			pid = -1;
			if (!exited)
				goto out;
		} else if (!await(s.to_parent[0])) {
			diag("the child did not get ready");
			goto out;
		}
		break;
	case RO_PIN_RO_EXCLUSIVE:
		if (mprotect(m->addr, m->size, PROT_READ)) {
			diag("mprotect() failed: %s", strerror(errno));
			goto out;
		}
		break;
	}

	res = pin_start(fd, m, fast ? PIN_LONGTERM_TEST_FLAG_USE_FAST : 0);
	if (res != RES_PASS)
		goto out;
	pinned = true;
	res = RES_FAIL;

	if (kind == RO_PIN_RO_EXCLUSIVE &&
	    mprotect(m->addr, m->size, PROT_READ | PROT_WRITE)) {
		diag("mprotect() failed: %s", strerror(errno));
		goto out;
	}
	fill(m->addr, m->size, GEN_NEW);
	if (pin_check(fd, m, buf, GEN_NEW, "data read through the R/O pin"))
		res = RES_PASS;
out:
	if (pinned)
		pin_stop(fd, &res);
	close(fd);
	if (pid > 0) {
		notify(s.to_child[1]);
		sync_close(&s);
		if (!child_ok(pid) && res == RES_PASS)
			res = RES_FAIL;
	}
	sync_close(&s);
	free(buf);
	return res;
}

static enum result test_ro_pin_shared(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_SHARED, false);
}

static enum result test_ro_fast_pin_shared(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_SHARED, true);
}

static enum result test_ro_pin_prev_shared(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_PREVIOUSLY_SHARED, false);
}

static enum result test_ro_fast_pin_prev_shared(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_PREVIOUSLY_SHARED, true);
}

static enum result test_ro_pin_ro_exclusive(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_RO_EXCLUSIVE, false);
}

static enum result test_ro_fast_pin_ro_exclusive(struct mem *m)
{
	return do_test_ro_pin(m, RO_PIN_RO_EXCLUSIVE, true);
}

/*
 * Take a R/W long-term pin and write new data: reading through the pin must
 * return it.  fork() a child that writes to its own copy and exits: the pin
 * must neither see the child's data nor lose track of the parent's memory
 * when the parent writes again.
 */
static enum result do_test_rw_pin(struct mem *m, bool fast)
{
	unsigned int flags = PIN_LONGTERM_TEST_FLAG_USE_WRITE;
	enum result res;
	char *buf;
	pid_t pid;
	int fd;

	res = gup_open(&fd);
	if (res != RES_PASS)
		return res;
	buf = malloc(m->size);
	if (!buf) {
		diag("malloc() failed");
		close(fd);
		return RES_FAIL;
	}
	if (fast)
		flags |= PIN_LONGTERM_TEST_FLAG_USE_FAST;
	res = pin_start(fd, m, flags);
	if (res != RES_PASS)
		goto out_close;
	res = RES_FAIL;

	fill(m->addr, m->size, GEN_NEW);
	if (!pin_check(fd, m, buf, GEN_NEW, "data read through the R/W pin"))
		goto out;

	pid = fork_child();
	if (pid < 0)
		goto out;
	if (!pid) {
		int ret = CHILD_OK;

		if (!check("child, after fork()", m->addr, m->size, GEN_NEW))
			ret = CHILD_MISMATCH;
		fill(m->addr, m->size, GEN_CHILD);
		if (!check("child, after its own write", m->addr, m->size,
			   GEN_CHILD))
			ret = CHILD_MISMATCH;
		_exit(ret);
	}
	if (!child_ok(pid))
		goto out;
	if (!pin_check(fd, m, buf, GEN_NEW,
		       "data read through the R/W pin after the child's write"))
		goto out;
	fill(m->addr, m->size, GEN_NEWER);
	if (pin_check(fd, m, buf, GEN_NEWER,
		      "data read through the R/W pin after fork() and a new write"))
		res = RES_PASS;
out:
	pin_stop(fd, &res);
out_close:
	close(fd);
	free(buf);
	return res;
}

static enum result test_rw_pin(struct mem *m)
{
	return do_test_rw_pin(m, false);
}

static enum result test_rw_fast_pin(struct mem *m)
{
	return do_test_rw_pin(m, true);
}

/* ---------------------------------------------------------------------- */
/* Environment set-up (runner) */

static bool swap_touched;
static int swap_initial[2];		/* zram, disk: initially active? */
static char ksm_saved[3][32];
static bool ksm_saved_ok;
static bool uzp_changed;

static const char * const ksm_knobs[3] = {
	KSM_DIR "pages_to_scan", KSM_DIR "sleep_millisecs", KSM_DIR "run",
};

/* 1 if @dev is an active swap device, 0 if not, -1 if unknown. */
static int swap_active(const char *dev)
{
	struct stat want, st;
	char line[1024], name[512];
	int found = 0;
	FILE *f;

	if (stat(dev, &want))
		return 0;
	f = fopen("/proc/swaps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%511s", name) != 1 || name[0] != '/')
			continue;
		if (!strcmp(name, dev)) {
			found = 1;
			break;
		}
		if (stat(name, &st))
			continue;
		if (S_ISBLK(want.st_mode) ?
		    S_ISBLK(st.st_mode) && st.st_rdev == want.st_rdev :
		    st.st_dev == want.st_dev && st.st_ino == want.st_ino) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Make @want the only active one of the two swap devices. */
static const char *swap_use(const char *want, const char *other)
{
	bool same = !strcmp(want, other);
	struct stat st;

	if (stat(want, &st))
		return reason("swap device %s not available: %s", want,
			      strerror(errno));
	swap_touched = true;
	if (!same && swapoff(other) && errno != EINVAL && errno != ENOENT)
		return reason("swapoff(%s) failed: %s", other, strerror(errno));
	if (swapon(want, 0) && errno != EBUSY)
		return reason("swapon(%s) failed: %s", want, strerror(errno));
	if (swap_active(want) != 1)
		return reason("%s is not active in /proc/swaps after swapon()",
			      want);
	if (!same && swap_active(other) == 1)
		return reason("%s is still an active swap device", other);
	diag("swap: %s is the only active swap device", want);
	return NULL;
}

static const char *prepare_swap_zram(void)
{
	return swap_use(zram_dev, disk_dev);
}

static const char *prepare_swap_disk(void)
{
	return swap_use(disk_dev, zram_dev);
}

static const char *prepare_swap_any(void)
{
	const char *why = swap_use(zram_dev, disk_dev);

	if (!why)
		return NULL;
	diag("swap: %s, trying the disk", why);
	return swap_use(disk_dev, zram_dev);
}

static const char *prepare_huge_zeropage(void)
{
	char buf[16];

	if (read_file(THP_DIR "use_zero_page", buf, sizeof(buf)) > 0 &&
	    !strcmp(buf, "0")) {
		if (write_file(THP_DIR "use_zero_page", "1"))
			return "cannot enable the huge zeropage (use_zero_page)";
		uzp_changed = true;
	}
	return NULL;
}

static void save_state(void)
{
	int i;

	swap_initial[0] = swap_active(zram_dev) == 1;
	swap_initial[1] = swap_active(disk_dev) == 1;
	ksm_saved_ok = true;
	for (i = 0; i < 3; i++)
		if (read_file(ksm_knobs[i], ksm_saved[i],
			      sizeof(ksm_saved[i])) <= 0)
			ksm_saved_ok = false;
}

static void restore_state(void)
{
	const char *devs[2] = { zram_dev, disk_dev };
	int i;

	if (ksm_saved_ok)
		for (i = 0; i < 3; i++)
			write_file(ksm_knobs[i], ksm_saved[i]);
	if (uzp_changed)
		write_file(THP_DIR "use_zero_page", "0");
	if (!swap_touched)
		return;
	/* Enable first, then disable, so some swap stays available. */
	for (i = 0; i < 2; i++)
		if (swap_initial[i] && swap_active(devs[i]) == 0 &&
		    swapon(devs[i], 0))
			diag("cannot re-enable swap on %s: %s", devs[i],
			     strerror(errno));
	for (i = 0; i < 2; i++)
		if (!swap_initial[i] && swap_active(devs[i]) == 1 &&
		    swapoff(devs[i]))
			diag("cannot disable swap on %s again: %s", devs[i],
			     strerror(errno));
}

/* ---------------------------------------------------------------------- */
/* Tables and runner */

static const struct backing backings[] = {
	{ "base page", setup_base, NULL, false },
	{ "swapped-out base page (zram)", setup_swapped_base_zram,
	  prepare_swap_zram, false },
	{ "swapped-out base page (swap-cache disk)", setup_swapped_base_disk,
	  prepare_swap_disk, false },
	{ "THP (PMD-mapped)", setup_thp_pmd, NULL, false },
	{ "THP (PTE-mapped)", setup_thp_pte, NULL, false },
	{ "single PTE of a THP", setup_thp_single_pte, NULL, false },
	{ "swapped-out THP", setup_thp_swapped, prepare_swap_any, false },
	{ "partially mremap()'ed THP", setup_thp_mremap, NULL, false },
	{ "partially shared THP", setup_thp_partially_shared, NULL, false },
	{ "hugetlb (2 MiB)", setup_hugetlb, NULL, false },
	{ "KSM-merged page", setup_ksm, NULL, false },
	{ "shared zeropage", setup_zeropage, NULL, true },
	{ "huge zeropage", setup_huge_zeropage, prepare_huge_zeropage, true },
};

static const struct behaviour behaviours[] = {
	{ "Basic COW after fork()", test_cow, false },
	{ "Basic COW after fork() with mprotect() optimization",
	  test_cow_mprotect, false },
	{ "vmsplice() + unmap in child", test_vmsplice_in_child, false },
	{ "vmsplice() + unmap in child with mprotect() optimization",
	  test_vmsplice_in_child_mprotect, false },
	{ "vmsplice() before fork(), unmap in parent after fork()",
	  test_vmsplice_before_fork, false },
	{ "vmsplice() + unmap in parent after fork()",
	  test_vmsplice_after_fork, false },
	{ "R/O-mapping a page registered as io_uring fixed buffer",
	  test_iouring_ro, false },
	{ "fork() with an io_uring fixed buffer", test_iouring_fork, false },
	{ "R/O longterm GUP pin on shared page", test_ro_pin_shared, true },
	{ "R/O longterm GUP-fast pin on shared page",
	  test_ro_fast_pin_shared, true },
	{ "R/O longterm GUP pin on previously-shared page",
	  test_ro_pin_prev_shared, true },
	{ "R/O longterm GUP-fast pin on previously-shared page",
	  test_ro_fast_pin_prev_shared, true },
	{ "R/O longterm GUP pin on R/O-mapped exclusive page",
	  test_ro_pin_ro_exclusive, true },
	{ "R/O longterm GUP-fast pin on R/O-mapped exclusive page",
	  test_ro_fast_pin_ro_exclusive, true },
	{ "R/W longterm GUP pin", test_rw_pin, false },
	{ "R/W longterm GUP-fast pin", test_rw_fast_pin, false },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static bool valid_pair(const struct backing *bk, const struct behaviour *bh)
{
	return !bk->zeropage || bh->ro_pin;
}

static void describe(char *buf, size_t len, const struct behaviour *bh,
		     const struct backing *bk)
{
	snprintf(buf, len, "%s with %s", bh->name, bk->name);
}

static bool selected(const struct behaviour *bh, const struct backing *bk)
{
	char desc[256];

	describe(desc, sizeof(desc), bh, bk);
	return !case_filter || strstr(desc, case_filter);
}

/* Does any test case of @bk run?  Avoids needless swap switching. */
static bool backing_selected(const struct backing *bk)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(behaviours); i++)
		if (valid_pair(bk, &behaviours[i]) &&
		    selected(&behaviours[i], bk))
			return true;
	return false;
}

static void report(int nr, const char *desc, int res, const char *why)
{
	char clean[sizeof(reason_buf)];
	size_t i;

	switch (res) {
	case RES_PASS:
		nr_pass++;
		printf("ok %d %s\n", nr, desc);
		break;
	case RES_SKIP:
		nr_skip++;
		snprintf(clean, sizeof(clean), "%s",
			 why && *why ? why : "no reason given");
		for (i = 0; clean[i]; i++)
			if (clean[i] == '\n' || clean[i] == '#')
				clean[i] = ' ';
		printf("ok %d %s # SKIP %s\n", nr, desc, clean);
		break;
	default:
		nr_fail++;
		printf("not ok %d %s\n", nr, desc);
		break;
	}
	fflush(stdout);
}

/* The test process: set up, run, tear down, send the result. */
static void run_case_process(const struct behaviour *bh,
			     const struct backing *bk)
{
	struct case_result r;
	const char *why;
	struct mem m;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
	reason_buf[0] = '\0';
	why = bk->setup(&m);
	if (why) {
		r.res = RES_SKIP;
		snprintf(r.reason, sizeof(r.reason), "%s", why);
	} else {
		r.res = bh->run(&m);
		if (r.res == RES_SKIP)
			snprintf(r.reason, sizeof(r.reason), "%s", reason_buf);
	}
	teardown(&m);
	n = write(result_wfd, &r, sizeof(r));
	_exit(n == sizeof(r) ? 0 : 1);
}

static void run_case(int nr, const struct behaviour *bh,
		     const struct backing *bk, const char *backing_skip)
{
	struct case_result r;
	char desc[256];
	int fds[2], status;
	ssize_t n = -1;
	pid_t pid;

	describe(desc, sizeof(desc), bh, bk);
	printf("# [RUN] %s ... with %s\n", bh->name, bk->name);
	if (backing_skip) {
		report(nr, desc, RES_SKIP, backing_skip);
		return;
	}
	if (!selected(bh, bk)) {
		report(nr, desc, RES_SKIP, "filtered out (COW_FILTER)");
		return;
	}
	if (pipe(fds)) {
		diag("pipe() failed: %s", strerror(errno));
		report(nr, desc, RES_FAIL, NULL);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		diag("fork() failed: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		report(nr, desc, RES_FAIL, NULL);
		return;
	}
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		result_wfd = fds[1];
		alarm(CASE_TIMEOUT);
		run_case_process(bh, bk);
	}
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			diag("waitpid() failed: %s", strerror(errno));
			status = -1;
			break;
		}
	}
	/* The result was written before the exit: don't block for it. */
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	n = read(fds[0], &r, sizeof(r));
	close(fds[0]);

	if (status != -1 && WIFEXITED(status) && !WEXITSTATUS(status) &&
	    n == sizeof(r)) {
		report(nr, desc, r.res, r.reason);
		return;
	}
	if (status != -1 && WIFSIGNALED(status))
		diag("the test process was killed by signal %d (%s)%s",
		     WTERMSIG(status), strsignal(WTERMSIG(status)),
		     WTERMSIG(status) == SIGALRM ? ": timed out" : "");
	else
		diag("the test process ended without a result");
	report(nr, desc, RES_FAIL, NULL);
}

static const char *env_or(const char *name, const char *def)
{
	const char *val = getenv(name);

	return val && *val ? val : def;
}

int main(void)
{
	const char *dry = getenv("COW_DRY_RUN");
	bool dry_run = dry && *dry && strcmp(dry, "0");
	char backing_skip[sizeof(reason_buf)];
	size_t i, j;
	int nr = 0, total = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	page_size = sysconf(_SC_PAGESIZE);
	zram_dev = env_or("COW_SWAP_ZRAM", "/dev/zram0");
	disk_dev = env_or("COW_SWAP_DISK", "/dev/vda");
	case_filter = getenv("COW_FILTER");
	if (case_filter && !*case_filter)
		case_filter = NULL;

	for (i = 0; i < ARRAY_SIZE(backings); i++)
		for (j = 0; j < ARRAY_SIZE(behaviours); j++)
			if (valid_pair(&backings[i], &behaviours[j]))
				total++;

	printf("TAP version 13\n");
	printf("1..%d\n", total);

	expect_buf = malloc(MAX_SIZE);
	if (!expect_buf) {
		printf("Bail out! cannot allocate memory\n");
		return KSFT_FAIL;
	}
	diag("swap devices: zram %s, disk %s", zram_dev, disk_dev);
	if (dry_run)
		diag("COW_DRY_RUN set: printing the plan only");
	else
		save_state();

	for (i = 0; i < ARRAY_SIZE(backings); i++) {
		const struct backing *bk = &backings[i];
		const char *why = NULL;

		if (dry_run)
			why = "dry run (COW_DRY_RUN)";
		else if (!backing_selected(bk))
			why = "filtered out (COW_FILTER)";
		else if (bk->prepare)
			why = bk->prepare();
		if (why) {
			snprintf(backing_skip, sizeof(backing_skip), "%s", why);
			why = backing_skip;
		}
		for (j = 0; j < ARRAY_SIZE(behaviours); j++)
			if (valid_pair(bk, &behaviours[j]))
				run_case(++nr, &behaviours[j], bk, why);
	}

	if (!dry_run)
		restore_state();
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       nr_pass, nr_fail, nr_skip);
	return nr_fail ? KSFT_FAIL : KSFT_PASS;
}
