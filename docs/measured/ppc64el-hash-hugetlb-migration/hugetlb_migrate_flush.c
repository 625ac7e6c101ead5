// SPDX-License-Identifier: GPL-2.0
/*
 * After move_pages() migrates a hugetlb page of the default size, do the
 * process's writes through its mapping reach the page its page table now
 * maps?  Fill the page with 'A', migrate it to the other node, fill it
 * with 'B', and read it back through /proc/self/mem, which goes through
 * GUP and the Linux page table, not the CPU's translation.  A stale
 * translation left by the migration's flush would send the 'B's to the
 * old page: the read then sees 'A' (or whatever the old page holds).
 * Also reports whether move_pages()'s query and /proc/self/pagemap find
 * the page after the writes.  KTAP, one case per round.
 *   hugetlb_migrate_flush [rounds]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MPOL_MF_MOVE (1 << 1)

static long move_one(void *addr, const int *node, int *status)
{
	void *pages[1] = { addr };

	return syscall(SYS_move_pages, 0, 1UL, pages, node, status,
		       node ? MPOL_MF_MOVE : 0);
}

static size_t default_huge_size(void)
{
	char line[128];
	size_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

static int pagemap_present(void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (uintptr_t)addr / getpagesize() * sizeof(e);

	if (fd < 0 || pread(fd, &e, sizeof(e), off) != sizeof(e))
		e = 0;
	if (fd >= 0)
		close(fd);
	return !!(e >> 63);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	size_t sz = default_huge_size();
	int memfd = open("/proc/self/mem", O_RDONLY);
	char *buf;
	int r, failed = 0;

	if (!sz || memfd < 0) {
		printf("1..0 # SKIP no hugetlb size or no /proc/self/mem\n");
		return 0;
	}
	buf = malloc(sz);
	printf("1..%d\n", rounds);
	for (r = 1; r <= rounds; r++) {
		char *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		int from = -1, to, st = -1, after = -1;
		size_t bad = 0, i, first_bad = 0;

		if (p == MAP_FAILED) {
			printf("ok %d round %d # SKIP mmap(MAP_HUGETLB, %zu KiB): %s\n",
			       r, r, sz >> 10, strerror(errno));
			continue;
		}
		memset(p, 'A', sz);
		if (move_one(p, NULL, &from) || from < 0) {
			printf("ok %d round %d # SKIP move_pages() query: %d\n", r, r, from);
			munmap(p, sz);
			continue;
		}
		to = !from;
		if (move_one(p, &to, &st) || st != to) {
			printf("ok %d round %d # SKIP move_pages() to node %d: status %d\n",
			       r, r, to, st);
			munmap(p, sz);
			continue;
		}
		memset(p, 'B', sz);
		move_one(p, NULL, &after);
		if (pread(memfd, buf, sz, (off_t)(uintptr_t)p) != (ssize_t)sz) {
			printf("not ok %d round %d: reading /proc/self/mem: %s\n",
			       r, r, strerror(errno));
			failed = 1;
			munmap(p, sz);
			continue;
		}
		for (i = 0; i < sz; i++)
			if (buf[i] != 'B' && !bad++)
				first_bad = i;
		printf("# round %d: node %d -> %d; after the writes: query %d, pagemap %s; %zu of %zu bytes read back differ%s",
		       r, from, to, after, pagemap_present(p) ? "present" : "not present",
		       bad, sz, bad ? "" : "\n");
		if (bad)
			printf(" (first at %zu: '%c')\n", first_bad, buf[first_bad]);
		printf("%s %d round %d: the writes after migration reach the mapped page\n",
		       bad ? "not ok" : "ok", r, r);
		failed |= !!bad;
		munmap(p, sz);
	}
	return failed;
}
