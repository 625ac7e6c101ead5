// SPDX-License-Identifier: GPL-2.0
/*
 * swapon(2) must report its errors in 5.10's order: with every swap slot
 * in use, a bad path pointer fails with EPERM (no free slot), as 5.10
 * resolves the path only after taking a slot.  Fill the slots with small
 * zram devices (zram-control hot_add), check, and remove them again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/swap.h>
#include <sys/syscall.h>

#define MAX_DEVS 40

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* Write a swap header as mkswap does: version 1, last page, magic. */
static int mkswap(const char *dev, long pagesz, long pages)
{
	char *hdr = calloc(1, pagesz);
	int fd = open(dev, O_WRONLY), ok;

	if (fd < 0 || !hdr)
		return -1;
	*(unsigned int *)(hdr + 1024) = 1;
	*(unsigned int *)(hdr + 1028) = pages - 1;
	memcpy(hdr + pagesz - 10, "SWAPSPACE2", 10);
	ok = write(fd, hdr, pagesz) == pagesz && !fsync(fd);
	close(fd);
	free(hdr);
	return ok ? 0 : -1;
}

int main(void)
{
	long pagesz = sysconf(_SC_PAGESIZE);
	int ids[MAX_DEVS], n = 0, i, full = 0, ret = 1;
	char path[64], buf[16];

	while (n < MAX_DEVS) {
		int fd = open("/sys/class/zram-control/hot_add", O_RDONLY);
		ssize_t len;

		if (fd < 0) {
			perror("zram-control/hot_add");
			goto out;
		}
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			break;
		buf[len] = 0;
		ids[n] = atoi(buf);
		snprintf(path, sizeof(path), "/sys/block/zram%d/disksize", ids[n]);
		n++;
		if (write_str(path, "1M"))
			break;
		snprintf(path, sizeof(path), "/dev/zram%d", ids[n - 1]);
		if (mkswap(path, pagesz, (1 << 20) / pagesz))
			break;
		if (swapon(path, 0)) {
			full = errno == EPERM;
			if (!full)
				perror("swapon");
			break;
		}
	}
	if (!full) {
		printf("could not use up the swap slots (%d zram devices)\n", n);
		goto out;
	}
	printf("%d swap areas added until swapon() failed with EPERM\n", n - 1);
	errno = 0;
	if (syscall(SYS_swapon, (const char *)1, 0) == 0)
		printf("swapon(bad pointer) succeeded?\n");
	else if (errno != EPERM)
		printf("swapon(bad pointer), all slots used: %s, 5.10 says EPERM\n",
		       strerror(errno));
	else
		ret = 0;
out:
	for (i = n - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), "/dev/zram%d", ids[i]);
		swapoff(path);
		snprintf(buf, sizeof(buf), "%d", ids[i]);
		write_str("/sys/class/zram-control/hot_remove", buf);
	}
	if (!ret)
		printf("swapon(bad pointer) with all slots used: EPERM, as 5.10\n");
	return ret;
}
