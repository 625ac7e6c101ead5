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
 *   for a writable and for a R/O (mprotect) mapping;
 * - a page that migration to the device leaves in place keeps a write
 *   that only its PTE knew of: reclaim writes it to swap.
 *
 * Prints KTAP, one case a line.  Needs root (frame numbers in pagemap,
 * page flags, swapon), /dev/hmm_dmirror0, /sys/kernel/debug/gup_test and
 * swap on a disk.
 */
#define _GNU_SOURCE
/* __u64 is unsigned long long on every architecture (ppc64, mips64). */
#define __SANE_USERSPACE_TYPES__
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/kernel-page-flags.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/swap.h>

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

#define BIT_ULL(nr)	(1ULL << (nr))
#define PM_PRESENT	BIT_ULL(63)
#define PM_SWAPPED	BIT_ULL(62)
#define PM_PFN		(BIT_ULL(55) - 1)

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static int dmirror, gup, pagemap, nr;
static size_t psize;

static __u64 pm(void *addr)
{
	__u64 e = 0;

	if (pread(pagemap, &e, sizeof(e),
		  (uintptr_t)addr / psize * sizeof(e)) != sizeof(e))
		return 0;
	return e;
}

static __u64 page_flags(void *addr)
{
	__u64 flags = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &flags, sizeof(flags),
		  (pm(addr) & PM_PFN) * sizeof(flags)) != sizeof(flags))
		flags = 0;
	close(fd);
	return flags;
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
	__u64 before;
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
	__u64 back;
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
	if (__atomic_load_n(mem, __ATOMIC_RELAXED) != 3)
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

/* The active swap areas (/proc/swaps), highest priority first. */
struct swap_area {
	char name[128];
	int prio;
};

#define MAX_SWAPS	8

static int swaps_read(struct swap_area *s)
{
	struct swap_area t;
	char line[512];
	int n = 0, i;
	FILE *f;

	f = fopen("/proc/swaps", "r");
	if (!f)
		return -1;
	while (n < MAX_SWAPS && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %*s %*s %*s %d", t.name, &t.prio) != 2 ||
		    t.name[0] != '/')
			continue;
		for (i = n++; i > 0 && s[i - 1].prio < t.prio; i--)
			s[i] = s[i - 1];
		s[i] = t;
	}
	fclose(f);
	return n;
}

/*
 * Make @want (highest priority first) the active swap areas.  All go off
 * first: swapon() without a priority gives an area the next negative
 * priority below the lowest in use, so areas turned on again in their old
 * order get their old priorities back.
 */
static int swaps_set(const struct swap_area *want, int n)
{
	struct swap_area cur[MAX_SWAPS];
	int nr = swaps_read(cur), i;

	if (nr < 0)
		return -1;
	for (i = 0; i < nr; i++)
		if (swapoff(cur[i].name))
			return -1;
	for (i = 0; i < n; i++)
		if (swapon(want[i].name, want[i].prio < 0 ? 0 :
			   SWAP_FLAG_PREFER |
			   (want[i].prio & SWAP_FLAG_PRIO_MASK)))
			return -1;
	return 0;
}

/*
 * MADV_PAGEOUT @addr until it is swapped out.  Reclaim passes over a page
 * that someone holds a reference to for a moment: try for a while.
 */
static int page_out(char *addr)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (madvise(addr, psize, MADV_PAGEOUT))
			return 0;
		if (pm(addr) & PM_SWAPPED)
			return 1;
		usleep(10000);
	}
	printf("# not swapped out: pagemap %#llx, page flags %#llx\n",
	       pm(addr), page_flags(addr));
	return 0;
}

/*
 * Wait until the swap slot of the swapped-out @addr on @disk holds @c
 * (swap writeback is asynchronous), for 5 s at most.  A block device
 * swap area maps slot N to the disk's page N.
 */
static int slot_holds(const char *disk, char *addr, char c)
{
	__u64 slot = (pm(addr) & PM_PFN) >> 5;	/* the swap type below */
	int fd, i, ok = 0;
	char *buf;

	buf = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = open(disk, O_RDONLY | O_DIRECT);
	if (buf == MAP_FAILED || fd < 0)
		goto out;
	for (i = 0; i < 500 && !ok; i++) {
		if (pread(fd, buf, psize, slot * psize) != (ssize_t)psize)
			break;
		ok = buf[0] == c && !memcmp(buf, buf + 1, psize - 1);
		if (!ok)
			usleep(10000);
	}
	if (!ok)
		printf("# swap slot %llu of %s holds %#x, not %#x\n",
		       slot, disk, buf[0], c);
out:
	if (fd >= 0)
		close(fd);
	if (buf != MAP_FAILED)
		munmap(buf, psize);
	return ok;
}

/*
 * A page read back in from a swap disk stays in the swap cache, clean,
 * and is mapped writable when it is exclusive: a CPU write then dirties
 * only the PTE.  Migration to the device unmaps the page (the migration
 * entry takes the PTE's place) but refuses a page with a mapping, the
 * swap cache, and maps it again: the dirty bit must have moved to the
 * page on the way (as try_to_unmap() moves it).  If it did not, reclaim
 * takes the page for clean and drops it without writing it to swap, and
 * the next read finds the data of before the write.  zram keeps no such
 * page in the swap cache: the disk is the only swap area meanwhile.
 */
static void swapcache_write_survives_migration(void)
{
	const char *name = "write_to_swap_cache_page_survives_refused_migration_and_pageout";
	struct swap_area saved[MAX_SWAPS];
	const char *why = "cannot read /proc/swaps";
	char *mem = MAP_FAILED, buf[65536];
	cpu_set_t cpus, one;
	int nr, disk, ok = 0, i;
	__u64 flags;

	nr = swaps_read(saved);
	if (nr < 0)
		goto out;
	for (disk = 0; disk < nr; disk++)
		if (strncmp(saved[disk].name, "/dev/zram", 9))
			break;
	why = "no swap on a disk: zram keeps no swap cache";
	if (disk == nr)
		goto out;
	why = "cannot make the disk the only swap area";
	if (swaps_set(&saved[disk], 1))
		goto restore;
	/*
	 * MADV_PAGEOUT drains only this CPU's LRU pagevec, where the fault
	 * put the page: stay on this CPU.
	 */
	why = "cannot pin the test to a CPU";
	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		goto restore;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		goto restore;
	why = "mmap failed";
	mem = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		goto affinity;
	memset(mem, 'A', psize);
	why = "MADV_PAGEOUT did not swap the page out";
	if (!page_out(mem))
		goto affinity;
	why = "the page did not read back in as A";
	if (__atomic_load_n(mem, __ATOMIC_RELAXED) != 'A' || !(pm(mem) & PM_PRESENT))
		goto affinity;
	why = "the page read back in is not in the swap cache";
	if (!(page_flags(mem) & BIT_ULL(KPF_SWAPCACHE)))
		goto affinity;
	memset(mem, 'B', psize);
	why = "migrating a swap cache page did not fail with ENOENT";
	if (migrate(mem, 1, buf) != -1 || errno != ENOENT)
		goto affinity;
	why = "the page did not stay mapped";
	if (!(pm(mem) & PM_PRESENT))
		goto affinity;
	flags = page_flags(mem);
	printf("# after the migration attempt the page is %s, %s\n",
	       flags & BIT_ULL(KPF_SWAPCACHE) ? "in the swap cache" :
	       "not in the swap cache", flags & BIT_ULL(KPF_DIRTY) ? "dirty" : "clean");
	why = "MADV_PAGEOUT did not swap the page out again";
	if (!page_out(mem))
		goto affinity;
	/*
	 * Reclaim may keep the page in the swap cache, where a read would
	 * still find B: look at the swap slot itself too.
	 */
	why = "the write was lost: reclaim did not write B to swap";
	if (!slot_holds(saved[disk].name, mem, 'B'))
		goto affinity;
	why = "the write was lost: the page read back from swap holds A, not B";
	for (i = 0; i < (int)psize && mem[i] == 'B'; i++)
		;
	ok = i == (int)psize;
	if (!ok && mem[i] != 'A')
		why = "the page read back from swap holds neither A nor B";
affinity:
	sched_setaffinity(0, sizeof(cpus), &cpus);
restore:
	if (mem != MAP_FAILED)
		munmap(mem, psize);
	if (swaps_set(saved, nr)) {
		why = "cannot restore the swap areas";
		ok = 0;
	}
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
	printf("KTAP version 1\n1..4\n");
	pinned_page_stays();
	round_trip_stays_exclusive(0);
	round_trip_stays_exclusive(1);
	swapcache_write_survives_migration();
	return 0;
}
