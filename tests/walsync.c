/* tests/walsync.c: SQLite syncs with fdatasync(); this one, interposed, does
 * the real one, then counts the completed syncs of write-ahead logs. */
#include "walsync.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int wal_syncs;

int fdatasync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	char link[64], name[PATH_MAX];
	ssize_t n;
	int rc = real ? real(fd) : -1;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, name, sizeof name - 1);
	if (rc == 0 && n > 4 && memcmp(name + n - 4, "-wal", 4) == 0)
		__atomic_add_fetch(&wal_syncs, 1, __ATOMIC_SEQ_CST);
	return rc;
}

int tu_wal_syncs(void)
{
	return __atomic_load_n(&wal_syncs, __ATOMIC_SEQ_CST);
}
