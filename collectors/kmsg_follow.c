/* See kmsg_follow.h. */
#include "collectors/kmsg_follow.h"
#include "collectors/kmsg.h"
#include "collectors/root.h"
#include "lib/util.h"
#include "model/model.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct kmsg_follow {
	int fd;
};

struct kmsg_follow *kmsg_follow_open(void)
{
	int fd = root_open("dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	struct kmsg_follow *k = vfs_xcalloc(1, sizeof(*k));
	k->fd = fd;
	kmsg_follow_skip(k);
	return k;
}

void kmsg_follow_skip(struct kmsg_follow *k)
{
	if (k && k->fd >= 0)
		lseek(k->fd, 0, SEEK_END); /* devkmsg_llseek: the next record to come */
}

int kmsg_follow_fd(const struct kmsg_follow *k)
{
	return k ? k->fd : -1;
}

int kmsg_follow_read(struct kmsg_follow *k)
{
	if (!k || k->fd < 0)
		return -EBADF;
	char rec[8192];
	int kept = 0, lost = 0;
	struct machine *scratch = NULL;
	for (int records = 0; records < 100000; records++) {
		ssize_t n = read(k->fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) { /* overwritten before we read it */
				lost = 1;
				continue;
			}
			if (errno == EAGAIN)
				break;
			int e = errno;
			machine_free(scratch);
			return -e;
		}
		if (n == 0)
			break;
		if (!scratch)
			scratch = machine_new("host");
		kept += (int)kmsg_parse_records(scratch, rec, (size_t)n);
		if (scratch->nkmsg > 256) { /* only the count matters */
			machine_free(scratch);
			scratch = NULL;
		}
	}
	machine_free(scratch);
	return lost ? KMSG_FOLLOW_LOST : kept;
}

void kmsg_follow_close(struct kmsg_follow *k)
{
	if (!k)
		return;
	if (k->fd >= 0)
		close(k->fd);
	free(k);
}
