// SPDX-License-Identifier: GPL-2.0
/*
 * odirect_fork: fork() racing O_DIRECT reads and writes into and out of
 * one page (work in progress for issue #33; not yet in the series).
 *
 * A reader thread pread()s 2 KiB with O_DIRECT into the first half of a
 * page, a writer thread keeps storing to the second half, and a forker
 * thread forks children that exit at once.  Direct I/O that takes plain
 * page references (5.10) lets fork() share the page while the read is in
 * flight; the writer's next store then copies the page for the parent,
 * and the read lands in the old page, now the child's: the parent's
 * buffer keeps stale data.  With pinned pages (FOLL_PIN) fork() copies
 * the page for the child instead and the parent keeps its own.
 *
 *   odirect_fork <file or block device> [seconds]
 *
 * Prints "stale reads: N of M" and "bad writes: N of M", then
 * "fork() calls: F"; exits 1 if N > 0, 2 on a set-up error, and 3 when
 * no fork() ran during the reads (the race never happened).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096
#define HALF		(PAGE / 2)
#define SECTORS		256		/* 1 MiB of the file is used */

static volatile int stop;
static unsigned long forks;
static unsigned char *buf;		/* the page under test */

static unsigned char pattern(unsigned int sector, unsigned int gen,
			     unsigned int off)
{
	return (unsigned char)(sector * 7 + gen * 13 + off % 251 + 1);
}

static void fill(unsigned char *p, unsigned int sector, unsigned int gen)
{
	unsigned int i;

	for (i = 0; i < HALF; i++)
		p[i] = pattern(sector, gen, i);
}

static int same(const unsigned char *p, unsigned int sector, unsigned int gen)
{
	unsigned int i;

	for (i = 0; i < HALF; i++)
		if (p[i] != pattern(sector, gen, i))
			return 0;
	return 1;
}

static void *forker(void *arg)
{
	while (!stop) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			__atomic_add_fetch(&forks, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void *writer(void *arg)
{
	unsigned int i = 0;

	while (!stop) {
		__atomic_store_n(&buf[HALF + (i % HALF)], (unsigned char)i,
				 __ATOMIC_RELAXED);
		i++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long reads = 0, stale = 0, writes = 0, bad = 0;
	unsigned char *check;
	pthread_t tf, tw;
	struct timespec t0, t;
	unsigned int s, gen = 1;
	double secs;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <file or block device> [seconds]\n", argv[0]);
		return 2;
	}
	secs = argc > 2 ? atof(argv[2]) : 10;
	fd = open(argv[1], O_RDWR | O_DIRECT | O_CREAT, 0600);
	buf = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || buf == MAP_FAILED ||
	    posix_memalign((void **)&check, PAGE, PAGE)) {
		perror("set-up");
		return 2;
	}
	/* Generation 0 on the disk: what every read must return. */
	for (s = 0; s < SECTORS; s++) {
		fill(check, s, 0);
		if (pwrite(fd, check, HALF, (off_t)s * PAGE) != HALF) {
			perror("pwrite (set-up)");
			return 2;
		}
	}
	memset(buf, 0, PAGE);
	if (pthread_create(&tf, NULL, forker, NULL) ||
	    pthread_create(&tw, NULL, writer, NULL))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		s = reads % SECTORS;
		/* Read: the first half must become exactly the disk's data. */
		memset(buf, 0, HALF);
		if (pread(fd, buf, HALF, (off_t)s * PAGE) != HALF) {
			perror("pread");
			return 2;
		}
		reads++;
		if (!same(buf, s, 0))
			stale++;
		/* Write: the disk must get exactly what the process had. */
		fill(buf, s, gen);
		if (pwrite(fd, buf, HALF, (off_t)(SECTORS + s) * PAGE) != HALF ||
		    pread(fd, check, HALF, (off_t)(SECTORS + s) * PAGE) != HALF) {
			perror("pwrite/pread");
			return 2;
		}
		writes++;
		if (!same(check, s, gen))
			bad++;
		gen++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	stop = 1;
	pthread_join(tf, NULL);
	pthread_join(tw, NULL);
	printf("stale reads: %lu of %lu\nbad writes: %lu of %lu\nfork() calls: %lu\n",
	       stale, reads, bad, writes, forks);
	if (!forks)
		return 3;
	return stale || bad;
}
