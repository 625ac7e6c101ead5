// SPDX-License-Identifier: GPL-2.0
/*
 * Migration to device-private memory (migrate_vma, CONFIG_TEST_HMM's
 * /dev/hmm_dmirror0) against PG_anon_exclusive and long-term pins:
 *
 * - a page held by a R/O long-term pin is not migrated: it stays mapped,
 *   at the same frame, and the pin sees the process's later writes;
 * - an exclusive page migrated to the device and faulted back by a CPU
 *   read is still exclusive: a R/O long-term pin then pins it in place,
 *   where a page that lost the flag would first be copied (unshared),
 *   for a writable and for a R/O (mprotect) mapping.
 *
 * Prints KTAP, one case a line.  Needs root (frame numbers in pagemap),
 * /dev/hmm_dmirror0 and /sys/kernel/debug/gup_test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

/* lib/test_hmm_uapi.h */
struct hmm_dmirror_cmd {
	__u64 addr, ptr, npages, cpages, faults;
};
#define HMM_DMIRROR_MIGRATE	_IOWR('H', 0x02, struct hmm_dmirror_cmd)

/* mm/gup_test.h (the series' PIN_LONGTERM_TEST_*) */
struct pin_longterm_test {
	__u64 addr, size;
	__u32 flags;
};
#define PIN_LONGTERM_TEST_START	_IOW('g', 7, struct pin_longterm_test)
#define PIN_LONGTERM_TEST_STOP	_IO('g', 8)
/* Its argument points to the address of a buffer for the pinned pages. */
#define PIN_LONGTERM_TEST_READ	_IOW('g', 9, __u64)

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN		((1ULL << 55) - 1)

static int dmirror, gup, pagemap, nr;
static size_t psize;

static uint64_t pm(void *addr)
{
	uint64_t e = 0;

	if (pread(pagemap, &e, sizeof(e),
		  (uintptr_t)addr / psize * sizeof(e)) != sizeof(e))
		return 0;
	return e;
}

static int migrate(char *addr, size_t npages, char *buf)
{
	struct hmm_dmirror_cmd cmd = {
		.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf,
		.npages = npages,
	};

	return ioctl(dmirror, HMM_DMIRROR_MIGRATE, &cmd);
}

static int pin(char *addr)
{
	struct pin_longterm_test t = { .addr = (uintptr_t)addr, .size = psize };

	return ioctl(gup, PIN_LONGTERM_TEST_START, &t);
}

static void report(int ok, const char *name, const char *why)
{
	printf("%s %d %s%s%s\n", ok ? "ok" : "not ok", ++nr, name,
	       ok ? "" : " # ", ok ? "" : why);
}

/* Two pages; page 0 pinned R/O: it must stay, page 1 must go. */
static void pinned_page_stays(void)
{
	const char *name = "pinned_page_is_not_migrated_and_sees_writes";
	char *mem, buf[65536], seen[65536];
	uint64_t before;
	__u64 dst = (uintptr_t)seen;
	int ok = 0;
	const char *why = "setup failed";

	mem = mmap(NULL, 2 * psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto out;
	memset(mem, 1, 2 * psize);
	before = pm(mem);
	if (pin(mem))
		goto unmap;
	/*
	 * test_hmm reads back what it migrated: a page left behind makes the
	 * ioctl fail with ENOENT.
	 */
	why = "migrating the pinned page did not fail with ENOENT";
	if (migrate(mem, 1, buf) != -1 || errno != ENOENT)
		goto unpin;
	why = "migrating the unpinned page failed";
	if (migrate(mem + psize, 1, buf))
		goto unpin;
	why = "the unpinned page was not migrated";
	if (pm(mem + psize) & PM_PRESENT)
		goto unpin;
	why = "the pinned page was migrated or moved";
	if (!(pm(mem) & PM_PRESENT) || (pm(mem) & PM_PFN) != (before & PM_PFN))
		goto unpin;
	mem[0] = 2;
	why = "the pin does not see the write";
	if (ioctl(gup, PIN_LONGTERM_TEST_READ, &dst) || seen[0] != 2)
		goto unpin;
	why = "the migrated page lost its data";
	ok = mem[psize] == 1;
unpin:
	ioctl(gup, PIN_LONGTERM_TEST_STOP);
unmap:
	munmap(mem, 2 * psize);
out:
	report(ok, name, why);
}

/*
 * An exclusive page goes to the device and comes back on a CPU read; a R/O
 * long-term pin must then pin it where it is mapped, no unshare copy.
 */
static void round_trip_stays_exclusive(int ro)
{
	const char *name = ro ? "ro_exclusive_page_round_trip_pins_in_place" :
				"exclusive_page_round_trip_pins_in_place";
	char *mem, buf[65536];
	const char *why = "setup failed";
	uint64_t back;
	int ok = 0;

	mem = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto out;
	memset(mem, 3, psize);
	if (ro && mprotect(mem, psize, PROT_READ))
		goto unmap;
	why = "migrate failed";
	if (migrate(mem, 1, buf))
		goto unmap;
	why = "the page was not migrated";
	if (pm(mem) & PM_PRESENT)
		goto unmap;
	why = "data lost on the way back";
	if (*(volatile char *)mem != 3)
		goto unmap;
	back = pm(mem);
	why = "pin failed";
	if (pin(mem))
		goto unmap;
	why = "the pin copied the page: it was not exclusive after the round trip";
	ok = (pm(mem) & PM_PRESENT) && (pm(mem) & PM_PFN) == (back & PM_PFN) &&
	     (back & PM_PFN);
	ioctl(gup, PIN_LONGTERM_TEST_STOP);
unmap:
	munmap(mem, psize);
out:
	report(ok, name, why);
}

int main(void)
{
	psize = getpagesize();
	if (psize > 65536)
		return 1;
	dmirror = open("/dev/hmm_dmirror0", O_RDWR);
	gup = open("/sys/kernel/debug/gup_test", O_RDWR);
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (dmirror < 0 || gup < 0 || pagemap < 0) {
		perror("open /dev/hmm_dmirror0, gup_test or pagemap");
		return 1;
	}
	printf("KTAP version 1\n1..3\n");
	pinned_page_stays();
	round_trip_stays_exclusive(0);
	round_trip_stays_exclusive(1);
	return 0;
}
