// SPDX-License-Identifier: GPL-2.0
/*
 * cowbench: COW / GUP-pin microbenchmark for the base, patched and
 * reference kernels.  Built static (gcc -static -O2), run as root in the
 * benchmark guest (QEMU -icount shift=0,sleep=off -smp 1): one guest ns is
 * one guest instruction, so a CLOCK_MONOTONIC delta is an instruction count.
 *
 * Every row runs once to warm up, then REPS times (default 7); it prints
 * the median cost per unit and the pages copied in the median run:
 *
 *   row <name> instr_per_unit=<n> copied=<k> of=<pages> unit=<page|MiB|request>
 *
 * "copied" counts the 4 KiB pages of the region whose page frame (read from
 * /proc/self/pagemap) changed across the measured step; -1 means the row
 * does not count copies.  Lines starting with "#" are diagnostics.
 * The pin rows report the pin + unpin time the kernel measures inside one
 * PIN_FAST_BENCHMARK ioctl of gup_test (or the plain base's gup_benchmark).
 *
 * Every row checks, outside the timed interval, that its set-up happened
 * (pages present, swapped out, THP- or hugetlb-backed, shared) and that the
 * timed step did what the row measures (the faults it takes on every kernel,
 * the copies a COW must make, the pages back, the whole range pinned); if
 * not, cowbench exits 1 with "cowbench: <row>: <what was missing>" on stderr
 * instead of printing the row.  Figures that differ between kernels (the
 * faults and copies the series removes) are measured, not checked.
 *
 *   cowbench [-r REPS] [-p PAGES] [row...]      (no row: all rows; -p: pages
 *   per base-page region, default 4096)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB 0x40000
#endif

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define MIB (1UL << 20)
#define FOLL_WRITE 0x01

/* /proc/self/pagemap bits */
#define PM_PRESENT 63
#define PM_SWAP 62
#define PM_EXCLUSIVE 56		/* mapped by this process only */

/* gup_test (CONFIG_GUP_TEST: the series and later kernels). */
struct gup_test {
	uint64_t get_delta_usec, put_delta_usec, addr, size;
	uint32_t nr_pages_per_call, gup_flags, test_flags, which_pages[8];
};
#define GT_PIN_FAST_BENCHMARK _IOWR('g', 2, struct gup_test)

/* gup_benchmark (CONFIG_GUP_BENCHMARK: the plain 5.10 base). */
struct gup_benchmark {
	uint64_t get_delta_usec, put_delta_usec, addr, size;
	uint32_t nr_pages_per_call, flags;
	uint64_t expansion[10];
};
#define GB_PIN_FAST_BENCHMARK _IOWR('g', 3, struct gup_benchmark)

static int reps = 7;
static size_t npages = 4096;	/* 16 MiB: base-page rows */
static size_t nswap = 1024;	/* 4 MiB: swap rows */
static size_t nthp = 4;		/* THPs / hugetlb pages */
static size_t npin = 16384;	/* 64 MiB: pin rows (us clock in the kernel) */
static size_t ndio = 256;	/* O_DIRECT requests per measurement */

static const char *zram_dev = "/dev/zram0";
static const char *disk_dev = "/dev/vda";
/* The RAM disk (bench.config): brd copies inside submit_bio(), no wait. */
static const char *dio_dev = "/dev/ram0";

struct result {
	long long ns;		/* measured step, guest ns = instructions */
	long copied;		/* pages whose frame changed, -1: not counted */
};

static void die(const char *what)
{
	fprintf(stderr, "cowbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static const char *row_name = "-";	/* the row being run, for expect() */

/* Fail the benchmark unless cond: the row's set-up or step did not happen. */
__attribute__((format(printf, 2, 3)))
static void expect(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;
	fprintf(stderr, "cowbench: %s: ", row_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Page faults this process (all its threads) has taken so far. */
static long nr_faults(void)
{
	struct rusage u;

	if (getrusage(RUSAGE_SELF, &u))
		die("getrusage");
	return u.ru_minflt + u.ru_majflt;
}

/* Fail unless at least want faults were taken since nr_faults() was since. */
static void expect_faults(long since, long want, const char *step)
{
	long k = nr_faults() - since;

	expect(k >= want, "%ld page faults in %s, expected at least %ld", k, step, want);
}

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The pagemap entry of every page of [p, p + n pages). */
static void pagemap(const char *p, size_t n, uint64_t *out)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		die("open pagemap");
	if (pread(fd, out, n * 8, (uintptr_t)p / PAGE * 8) != (ssize_t)(n * 8))
		die("read pagemap");
	close(fd);
}

/* The frame of every page of [p, p + n pages); 0 when not present. */
static void frames(const char *p, size_t n, uint64_t *out)
{
	size_t i;

	pagemap(p, n, out);
	for (i = 0; i < n; i++)
		out[i] = (out[i] >> PM_PRESENT) & 1 ? out[i] & ((1ULL << 55) - 1) : 0;
}

static long changed(const uint64_t *a, const uint64_t *b, size_t n)
{
	long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += a[i] != b[i];
	return k;
}

/* How many pages of [p, p + n pages) have pagemap bit bit set. */
static long pm_count(const char *p, size_t n, int bit)
{
	uint64_t *e = malloc(n * 8);
	long k = 0;
	size_t i;

	pagemap(p, n, e);
	for (i = 0; i < n; i++)
		k += (e[i] >> bit) & 1;
	free(e);
	return k;
}

/* Fail unless every page of [p, p + n pages) has pagemap bit bit set. */
static void expect_all(const char *p, size_t n, int bit, const char *what)
{
	long k = pm_count(p, n, bit);

	expect(k == (long)n, "only %ld of %zu pages %s", k, n, what);
}

/* An anonymous private region; THP off unless thp (then 2 MiB aligned). */
static char *map(size_t bytes, int thp)
{
	size_t len = bytes + (thp ? HPAGE : 0);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (thp) {
		char *a = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));

		if (a > p)
			munmap(p, a - p);
		munmap(a + bytes, p + len - (a + bytes));
		p = a;
	}
	if (madvise(p, bytes, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) && thp)
		die("madvise(MADV_HUGEPAGE)");
	return p;
}

static void fill(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i * PAGE] = (char)(i * 7 + 1);
}

static void touch(volatile char *p, size_t n, size_t step)
{
	size_t i;

	for (i = 0; i < n; i += step)
		p[i * PAGE] += 1;
}

static long read_all(volatile char *p, size_t n)
{
	long s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += p[i * PAGE];
	return s;
}

/*
 * One PIN_FAST_BENCHMARK ioctl over [p, p + n pages): the kernel calls
 * pin_user_pages_fast in calls of 512 pages, then unpins, and reports both
 * times in us (get/put_delta_usec, guest clock).  Returns their sum in ns:
 * the ioctl code around them differs between gup_test (series, 6.12) and
 * the plain base's gup_benchmark, pin_user_pages_fast + unpin do not.
 * *user: the whole ioctl as seen from here.
 */
static int gup_fd = -2, gup_is_test;

static long long pin_fast(char *p, size_t n, int write, long long *user)
{
	uint64_t get, put, size;
	long long t0;
	int r;

	if (gup_fd == -2) {
		gup_fd = open("/sys/kernel/debug/gup_test", O_RDWR);
		gup_is_test = gup_fd >= 0;
		if (gup_fd < 0)
			gup_fd = open("/sys/kernel/debug/gup_benchmark", O_RDWR);
		if (gup_fd < 0)
			die("open /sys/kernel/debug/gup_test or gup_benchmark");
		printf("# pin interface: %s\n", gup_is_test ? "gup_test" : "gup_benchmark");
	}
	if (gup_is_test) {
		struct gup_test g = { .addr = (uintptr_t)p, .size = n * PAGE,
			.nr_pages_per_call = 512, .gup_flags = write ? FOLL_WRITE : 0 };

		t0 = now();
		r = ioctl(gup_fd, GT_PIN_FAST_BENCHMARK, &g);
		*user = now() - t0;
		get = g.get_delta_usec, put = g.put_delta_usec, size = g.size;
	} else {
		struct gup_benchmark g = { .addr = (uintptr_t)p, .size = n * PAGE,
			.nr_pages_per_call = 512, .flags = write ? FOLL_WRITE : 0 };

		t0 = now();
		r = ioctl(gup_fd, GB_PIN_FAST_BENCHMARK, &g);
		*user = now() - t0;
		get = g.get_delta_usec, put = g.put_delta_usec, size = g.size;
	}
	if (r)
		die("PIN_FAST_BENCHMARK ioctl");
	/*
	 * The ioctl returns in size the end of its last pin call that pinned
	 * anything: a range it stopped short of shows (a short last call of its
	 * 512 pages would not).
	 */
	expect(size == n * PAGE, "pinned only %llu of %zu bytes", (unsigned long long)size,
	       n * PAGE);
	return (long long)(get + put) * 1000;
}

/* Make dev the only active swap device. */
static void swap_only(const char *dev, const char *other)
{
	if (swapoff(other) && errno != EINVAL && errno != ENOENT)
		die("swapoff");
	if (swapon(dev, 0) && errno != EBUSY)
		die("swapon");
}

static void swap_restore(void)
{
	swapon(zram_dev, 0);
	swapon(disk_dev, 0);
}

/* Wait for a child of the row, which must have exited with 0. */
static void reap(pid_t pid)
{
	int st;

	expect(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st),
	       "child %d did not exit with 0", (int)pid);
}

/* ---- rows: each returns one measurement ---- */

static struct result r_fault(void)
{
	char *p = map(npages * PAGE, 0);
	struct result r = { 0, -1 };
	long f = nr_faults();
	long long t0 = now();

	touch(p, npages, 1);
	r.ns = now() - t0;
	expect_faults(f, npages, "the first touches");
	expect_all(p, npages, PM_PRESENT, "present after the first touches");
	munmap(p, npages * PAGE);
	return r;
}

/*
 * Fork; run fn(arg) in the child and return the result it sends back
 * through a pipe.  A child that exits without a result fails the row.
 */
static struct result in_child(struct result (*fn)(void *), void *arg)
{
	struct result r;
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(fd[0]);
		r = fn(arg);
		if (write(fd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);	/* ends any thread fn started too */
	}
	close(fd[1]);
	expect(read(fd[0], &r, sizeof(r)) == sizeof(r), "the measuring child failed");
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return r;
}

struct writes {
	char *p;
	size_t n, step;
	long faults;		/* the COW faults the writes take at least */
};

/*
 * The parent still maps every page, so the child's writes must copy every
 * page of the region (a 2 MiB hugetlb copy changes 512 frames), whatever
 * the kernel.
 */
static struct result writes_child(void *arg)
{
	struct writes *w = arg;
	uint64_t *a = malloc(w->n * 8), *b = malloc(w->n * 8);
	struct result r;
	long long t0;
	long f;

	expect_all(w->p, w->n, PM_PRESENT, "present in the child before the writes");
	frames(w->p, w->n, a);
	f = nr_faults();
	t0 = now();
	touch(w->p, w->n, w->step);
	r.ns = now() - t0;
	expect_faults(f, w->faults, "the child's writes");
	frames(w->p, w->n, b);
	r.copied = changed(a, b, w->n);
	expect(r.copied == (long)w->n, "the child's writes copied only %ld of %zu pages",
	       r.copied, w->n);
	free(a), free(b);
	return r;
}

/* Fork; time the writes in the child. */
static struct result child_writes(char *p, size_t n, size_t step, long faults)
{
	struct writes w = { p, n, step, faults };

	return in_child(writes_child, &w);
}

static struct result r_cow(void)
{
	char *p = map(npages * PAGE, 0);
	struct result r;

	fill(p, npages);
	r = child_writes(p, npages, 1, npages);
	munmap(p, npages * PAGE);
	return r;
}

static struct result r_fork(void)
{
	char *p = map(npages * PAGE, 0);
	uint64_t *a = malloc(npages * 8), *b = malloc(npages * 8);
	struct result r;
	long long t0;
	pid_t pid;

	fill(p, npages);
	expect_all(p, npages, PM_PRESENT, "present before the fork");
	frames(p, npages, a);
	t0 = now();
	pid = fork();
	if (!pid)
		_exit(0);
	r.ns = now() - t0;
	if (pid < 0)
		die("fork");
	reap(pid);
	frames(p, npages, b);
	r.copied = changed(a, b, npages);
	free(a), free(b);
	munmap(p, npages * PAGE);
	return r;
}

/*
 * Timed writes in this process, counting frames that changed; faults: the
 * faults they take at least on every kernel (0: they differ, not checked).
 */
static struct result own_writes(char *p, size_t n, int mprot, long faults)
{
	uint64_t *a = malloc(n * 8), *b = malloc(n * 8);
	struct result r;
	long long t0;
	long f;

	expect_all(p, n, PM_PRESENT, "present before the writes");
	frames(p, n, a);
	f = nr_faults();
	t0 = now();
	if (mprot && (mprotect(p, n * PAGE, PROT_READ) ||
		      mprotect(p, n * PAGE, PROT_READ | PROT_WRITE)))
		die("mprotect");
	touch(p, n, 1);
	r.ns = now() - t0;
	expect_faults(f, faults, "the writes");
	expect_all(p, n, PM_PRESENT, "present after the writes");
	frames(p, n, b);
	r.copied = changed(a, b, n);
	free(a), free(b);
	return r;
}

static struct result r_reuse(void)
{
	char *p = map(npages * PAGE, 0);
	struct result r;
	pid_t pid;

	fill(p, npages);
	pid = fork();
	if (!pid)
		_exit(0);
	if (pid < 0)
		die("fork");
	reap(pid);
	/*
	 * fork write-protected every page: each write faults on every kernel.
	 * Whether it reuses or copies is what the row measures (a goal).
	 */
	r = own_writes(p, npages, 0, npages);
	munmap(p, npages * PAGE);
	return r;
}

static struct result r_mprotect(void)
{
	char *p = map(npages * PAGE, 0);
	struct result r;

	fill(p, npages);
	/* Writes after mprotect R/W fault on the base only: faults not checked. */
	r = own_writes(p, npages, 1, 0);
	munmap(p, npages * PAGE);
	return r;
}

/* Fail unless every 2 MiB of [p, p + n pages) is one THP (n: a multiple of 512). */
static void check_thps(const char *p, size_t n)
{
	uint64_t *f = malloc(n * 8);
	size_t i, huge = 0;

	frames(p, n, f);
	for (i = 0; i < n; i += 512) {
		uint64_t h = f[i];
		size_t j;

		for (j = 0; j < 512 && h && !(h & 511) && f[i + j] == h + j; j++)
			;
		huge += j == 512;
	}
	free(f);
	expect(huge == n / 512, "only %zu of %zu 2 MiB regions are THPs", huge, n / 512);
}

/*
 * Swap: MADV_PAGEOUT, then read every page, then write every page.  With
 * thp, the region is THPs (nswap pages, 2 MiB aligned): 5.10 swaps a THP
 * out whole where the device allows it, but always swaps it in as base
 * pages.
 */
enum { SW_OUT, SW_READ, SW_WRITE };
static struct result swap_step(const char *dev, const char *other, int step, int thp)
{
	char *p = map(nswap * PAGE, thp);
	struct result r = { 0, -1 };
	long long t0, t1, t2, t3;
	long f;

	swap_only(dev, other);
	fill(p, nswap);
	if (thp)
		check_thps(p, nswap);
	t0 = now();
	if (madvise(p, nswap * PAGE, MADV_PAGEOUT))
		die("madvise(MADV_PAGEOUT)");
	t1 = now();
	expect_all(p, nswap, PM_SWAP, step == SW_OUT ? "swapped out" :
		   "swapped out before the read");
	/* Let the disk writeback finish: the pages stay in the swap cache. */
	usleep(20000);
	f = nr_faults();
	t2 = now();
	read_all(p, nswap);
	t3 = now();
	switch (step) {
	case SW_OUT:
		r.ns = t1 - t0;
		break;
	case SW_READ:
		r.ns = t3 - t2;
		expect_faults(f, nswap, "the read");
		expect_all(p, nswap, PM_PRESENT, "present after the read");
		break;
	case SW_WRITE:
		/* Present after the read: checked first thing. */
		r = own_writes(p, nswap, 0, 0);
		break;
	}
	munmap(p, nswap * PAGE);
	swap_restore();
	return r;
}

static struct result r_zram_out(void) { return swap_step(zram_dev, disk_dev, SW_OUT, 0); }
static struct result r_zram_read(void) { return swap_step(zram_dev, disk_dev, SW_READ, 0); }
static struct result r_zram_write(void) { return swap_step(zram_dev, disk_dev, SW_WRITE, 0); }
static struct result r_disk_out(void) { return swap_step(disk_dev, zram_dev, SW_OUT, 0); }
static struct result r_disk_read(void) { return swap_step(disk_dev, zram_dev, SW_READ, 0); }
static struct result r_disk_write(void) { return swap_step(disk_dev, zram_dev, SW_WRITE, 0); }
static struct result r_zram_thp_write(void) { return swap_step(zram_dev, disk_dev, SW_WRITE, 1); }
static struct result r_disk_thp_write(void) { return swap_step(disk_dev, zram_dev, SW_WRITE, 1); }

static struct result r_thp_cow(void)
{
	size_t n = nthp * HPAGE / PAGE;
	char *p = map(nthp * HPAGE, 1);
	struct result r;

	fill(p, n);
	check_thps(p, n);
	/* At least one fault a THP; every 4 KiB is copied (checked in the child). */
	r = child_writes(p, n, 1, nthp);
	munmap(p, nthp * HPAGE);
	return r;
}

static struct result r_hugetlb_cow(void)
{
	size_t n = nthp * HPAGE / PAGE;
	char *p = mmap(NULL, nthp * HPAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	struct result r;

	if (p == MAP_FAILED)
		die("mmap(MAP_HUGETLB)");
	fill(p, n);
	/* A MAP_HUGETLB mapping holds only hugetlb pages: the child checks them present. */
	r = child_writes(p, n, 512, nthp);
	munmap(p, nthp * HPAGE);
	return r;
}

static int pin_said;

static struct result pin_row(int write, int shared)
{
	char *p = map(npin * PAGE, 0);
	uint64_t *a = malloc(npin * 8), *b = malloc(npin * 8);
	struct result r;
	int fd[2];
	pid_t pid = 0;
	long long user;
	char c = 0;
	long k;

	fill(p, npin);
	if (shared) {
		/* A child keeps the pages shared until the pin is done. */
		if (pipe(fd))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			close(fd[1]);
			if (read(fd[0], &c, 1) < 0)
				_exit(1);
			_exit(0);
		}
		close(fd[0]);
		k = pm_count(p, npin, PM_EXCLUSIVE);
		expect(!k, "%ld of %zu pages not shared with the child before the pin", k, npin);
	}
	expect_all(p, npin, PM_PRESENT, "present before the pin");
	frames(p, npin, a);
	r.ns = pin_fast(p, npin, write, &user);
	frames(p, npin, b);
	r.copied = changed(a, b, npin);
	if (!pin_said++)
		printf("# pin: %lld ns in the kernel (pin + unpin), %lld ns for the whole ioctl\n",
		       r.ns, user);
	if (shared) {
		close(fd[1]);
		reap(pid);
	}
	free(a), free(b);
	munmap(p, npin * PAGE);
	return r;
}

/*
 * O_DIRECT 4 KiB reads into, or writes from, one anonymous page, ndio
 * requests to consecutive blocks of the RAM disk: the request's cost,
 * which includes taking and dropping the page (a reference on the base,
 * a pin on the series and on 6.12) and the bio path.
 * The RAM disk completes the bio inside submit_bio(), so the guest never
 * idles and the count stays an instruction count.  Guards: every request
 * transfers 4 KiB, and the reads bring the data written at set-up.
 */
static struct result dio_row(int write)
{
	char *p = map(PAGE, 0), *blk = map(PAGE, 0);
	struct result r = { 0, -1 };
	long long t0;
	size_t i, ok = 0;
	int fd = open(dio_dev, O_RDWR | O_DIRECT);

	if (fd < 0)
		die("open(/dev/ram0, O_DIRECT)");
	/* Block i holds byte i + 1 (reads), the page a known pattern (writes). */
	for (i = 0; i < ndio; i++) {
		memset(blk, (int)(i + 1), PAGE);
		expect(pwrite(fd, blk, PAGE, (off_t)(i * PAGE)) == (ssize_t)PAGE,
		       "set-up write of block %zu failed", i);
	}
	memset(p, 0x5a, PAGE);
	expect_all(p, 1, PM_PRESENT, "present before the requests");
	t0 = now();
	for (i = 0; i < ndio; i++)
		ok += (write ? pwrite(fd, p, PAGE, (off_t)(i * PAGE)) :
			       pread(fd, p, PAGE, (off_t)(i * PAGE))) == (ssize_t)PAGE;
	r.ns = now() - t0;
	expect(ok == ndio, "only %zu of %zu O_DIRECT requests transferred 4 KiB",
	       ok, ndio);
	if (write) {
		expect(pread(fd, blk, PAGE, (off_t)((ndio - 1) * PAGE)) == (ssize_t)PAGE &&
		       blk[0] == 0x5a && blk[PAGE - 1] == 0x5a,
		       "the last block does not hold the written data");
	} else {
		expect(p[0] == (char)ndio && p[PAGE - 1] == (char)ndio,
		       "the page does not hold the last block's data");
	}
	close(fd);
	munmap(p, PAGE);
	munmap(blk, PAGE);
	return r;
}

static struct result r_dio_read(void) { return dio_row(0); }
static struct result r_dio_write(void) { return dio_row(1); }

/*
 * NUMA hinting faults.  With kernel.numa_balancing on, the scheduler tick
 * of a task that has run for numa_balancing_scan_delay (1 s by default,
 * left as it is) makes its process's anonymous PTEs and PMDs PROT_NONE
 * (task_numa_work(): one pass over the whole of this small process, which
 * then bumps mm->numa_scan_seq, shown in /proc/self/sched with
 * SCHED_DEBUG); the next access to each page takes a hinting fault that
 * maps it back.  5.10 and 6.12 skip pages that already sit on the node a
 * single-threaded process runs on, and the benchmark guest has one node:
 * the measuring child therefore runs a second, sleeping thread, as a
 * multi-threaded process would.  Nothing migrates (one node), so the row
 * times the fault that maps a page back, which is what the series changes.
 * Each measurement runs in a fresh child: a fresh mm, scanned once.
 */
static long scan_seq(void)
{
	FILE *f = fopen("/proc/self/sched", "r");
	char line[256];
	long v = -1;

	if (!f)
		die("open /proc/self/sched (CONFIG_SCHED_DEBUG)");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "mm->numa_scan_seq", 17))
			v = atol(strchr(line, ':') + 1);
	fclose(f);
	if (v < 0) {
		errno = ENOENT;
		die("mm->numa_scan_seq in /proc/self/sched (CONFIG_NUMA_BALANCING)");
	}
	return v;
}

static void numa_balancing(int on)
{
	int fd = open("/proc/sys/kernel/numa_balancing", O_WRONLY);

	/* 5.10 has the sysctl with CONFIG_NUMA_BALANCING and SCHED_DEBUG. */
	if (fd < 0 || write(fd, on ? "1" : "0", 1) != 1)
		die("write /proc/sys/kernel/numa_balancing");
	close(fd);
}

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

enum { NUMA_READ, NUMA_WRITE, NUMA_THP };
static struct result numa_child(void *arg)
{
	int kind = *(int *)arg;
	size_t n = kind == NUMA_THP ? nthp * 512 : nswap;
	size_t faults = kind == NUMA_THP ? nthp : n;
	char *p = map(n * PAGE, kind == NUMA_THP);
	uint64_t *a = malloc(n * 8), *b = malloc(n * 8);
	long long t0, limit = now() + 20000000000LL;
	volatile long spin;
	struct result r;
	pthread_t t;
	long seq, f;

	errno = pthread_create(&t, NULL, sleeper, NULL);
	if (errno)
		die("pthread_create");
	fill(p, n);
	if (kind == NUMA_THP)
		check_thps(p, n);
	/* Run until the scanner has passed over the whole process. */
	seq = scan_seq();
	while (scan_seq() == seq) {
		expect(now() <= limit, "no NUMA scan within 20 s of guest time");
		for (spin = 0; spin < 100000; spin++)
			;
	}
	frames(p, n, a);
	f = nr_faults();
	t0 = now();
	if (kind == NUMA_READ)
		read_all(p, n);
	else
		touch(p, n, kind == NUMA_THP ? 512 : 1);
	r.ns = now() - t0;
	/* The scan made every page (PMD) PROT_NONE: one hinting fault each. */
	expect_faults(f, faults, "the timed accesses (NUMA hinting faults)");
	/* A plain access costs a few instructions, a fault thousands. */
	expect(r.ns / (long long)faults >= 500,
	       "%lld instructions for %zu accesses: no hinting faults", r.ns, faults);
	frames(p, n, b);
	r.copied = changed(a, b, n);
	return r;
}

static struct result numa_step(int kind)
{
	struct result r;

	numa_balancing(1);
	r = in_child(numa_child, &kind);
	numa_balancing(0);
	return r;
}

static struct result r_numa_read(void) { return numa_step(NUMA_READ); }
static struct result r_numa_write(void) { return numa_step(NUMA_WRITE); }
static struct result r_numa_thp(void) { return numa_step(NUMA_THP); }

static struct result r_pin_ro(void) { return pin_row(0, 0); }
static struct result r_pin_rw(void) { return pin_row(1, 0); }
static struct result r_pin_shared_ro(void) { return pin_row(0, 1); }

struct row {
	const char *name;
	struct result (*fn)(void);
	const char *unit;	/* "page", "MiB" or "request" */
	int region;		/* REG_*: the region one measurement covers */
};

enum { REG_BASE, REG_SWAP, REG_HUGE, REG_PIN, REG_DIO };

static struct row rows[] = {
	{ "fault_anon", r_fault, "page", REG_BASE },
	{ "cow_child", r_cow, "page", REG_BASE },
	{ "fork", r_fork, "MiB", REG_BASE },
	{ "reuse_after_exit", r_reuse, "page", REG_BASE },
	{ "swapout_zram", r_zram_out, "page", REG_SWAP },
	{ "swapin_read_zram", r_zram_read, "page", REG_SWAP },
	{ "swapin_write_zram", r_zram_write, "page", REG_SWAP },
	{ "swapout_disk", r_disk_out, "page", REG_SWAP },
	{ "swapin_read_disk", r_disk_read, "page", REG_SWAP },
	{ "swapin_write_disk", r_disk_write, "page", REG_SWAP },
	{ "swapin_write_thp_zram", r_zram_thp_write, "page", REG_SWAP },
	{ "swapin_write_thp_disk", r_disk_thp_write, "page", REG_SWAP },
	{ "thp_cow", r_thp_cow, "MiB", REG_HUGE },
	{ "hugetlb_cow", r_hugetlb_cow, "MiB", REG_HUGE },
	{ "mprotect_ro_rw_write", r_mprotect, "page", REG_BASE },
	{ "numa_hint_read", r_numa_read, "page", REG_SWAP },
	{ "numa_hint_write", r_numa_write, "page", REG_SWAP },
	{ "numa_hint_thp", r_numa_thp, "MiB", REG_HUGE },
	{ "pin_fast_ro", r_pin_ro, "page", REG_PIN },
	{ "pin_fast_rw", r_pin_rw, "page", REG_PIN },
	{ "pin_fast_ro_shared", r_pin_shared_ro, "page", REG_PIN },
	{ "dio_read_4k", r_dio_read, "request", REG_DIO },
	{ "dio_write_4k", r_dio_write, "request", REG_DIO },
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = ((const struct result *)a)->ns, y = ((const struct result *)b)->ns;

	return x < y ? -1 : x > y;
}

static void run(struct row *w)
{
	size_t n = w->region == REG_BASE ? npages : w->region == REG_SWAP ? nswap :
		   w->region == REG_PIN ? npin : w->region == REG_DIO ? ndio : nthp * 512;
	double per = strcmp(w->unit, "MiB") ? (double)n : (double)n * PAGE / MIB;
	struct result *res = calloc(reps, sizeof(*res)), med;
	int i;

	row_name = w->name;
	w->fn();	/* warm up */
	for (i = 0; i < reps; i++)
		res[i] = w->fn();
	printf("# samples %s:", w->name);
	for (i = 0; i < reps; i++)
		printf(" %lld", res[i].ns);
	printf("\n");
	qsort(res, reps, sizeof(*res), cmp_ll);
	med = res[reps / 2];
	printf("row %s instr_per_unit=%.1f copied=%ld of=%zu unit=%s\n",
	       w->name, med.ns / per, med.copied, n, w->unit);
	fflush(stdout);
	free(res);
}

int main(int argc, char **argv)
{
	size_t i;
	int j, any = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "-r")) {
		reps = atoi(argv[2]);
		argc -= 2, argv += 2;
	}
	/* -p N: N base pages per region (to trace a row instruction by instruction) */
	if (argc > 2 && !strcmp(argv[1], "-p")) {
		npages = strtoul(argv[2], NULL, 0);
		argc -= 2, argv += 2;
	}
	if (reps < 1)
		reps = 1;
	printf("# cowbench: %d reps, median; %zu pages, %zu swap pages, %zu huge pages, %zu pin pages\n",
	       reps, npages, nswap, nthp, npin);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (j = 1; j < argc && strcmp(argv[j], rows[i].name); j++)
			;
		if (argc > 1 && j == argc)
			continue;
		run(&rows[i]);
		any = 1;
	}
	if (!any) {
		fprintf(stderr, "cowbench: no such row\n");
		return 1;
	}
	return 0;
}
