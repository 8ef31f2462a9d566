#include "lib/outfile.h"
#include "lib/util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void split(const char *final, char *dir, size_t dlen, const char **base)
{
	const char *sl = strrchr(final, '/');
	if (!sl) {
		vfs_strlcpy(dir, ".", dlen);
		*base = final;
	} else if (sl == final) {
		vfs_strlcpy(dir, "/", dlen);
		*base = sl + 1;
	} else {
		snprintf(dir, dlen, "%.*s", (int)(sl - final), final);
		*base = sl + 1;
	}
}

int outfile_sweep(const char *final)
{
	char dir[4096];
	const char *base;
	split(final, dir, sizeof(dir), &base);
	size_t bl = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int n = 0, seen = 0;
	struct dirent *e;
	while ((e = readdir(d)) && seen++ < 100000) {
		/* BASE.PID.part */
		if (strncmp(e->d_name, base, bl) || e->d_name[bl] != '.')
			continue;
		const char *p = e->d_name + bl + 1;
		char *end;
		errno = 0;
		long pid = strtol(p, &end, 10);
		if (errno || end == p || strcmp(end, ".part") || pid <= 0 || pid > 4194304)
			continue;
		if (pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its writer may still be at work */
		if (!unlinkat(dirfd(d), e->d_name, 0))
			n++;
	}
	closedir(d);
	return n;
}

int outfile_open(struct outfile *o, const char *final, char *err, size_t errlen)
{
	o->fd = -1;
	if (strlen(final) >= sizeof(o->final)) {
		snprintf(err, errlen, "%.64s...: path too long", final);
		return -ENAMETOOLONG;
	}
	vfs_strlcpy(o->final, final, sizeof(o->final));
	snprintf(o->part, sizeof(o->part), "%s.%d.part", final, (int)getpid());
	outfile_sweep(final);
	o->fd = open(o->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (o->fd < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", o->part, strerror(e));
		return -e;
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	unlink(o->part);
}

int outfile_commit(struct outfile *o, char *err, size_t errlen)
{
	int e = 0;
	if (o->fd < 0) {
		snprintf(err, errlen, "%s: not open", o->part);
		return -EBADF;
	}
	if (fsync(o->fd))
		e = errno;
	if (close(o->fd) && !e)
		e = errno;
	o->fd = -1;
	if (e) {
		snprintf(err, errlen, "%s: %s", o->final, strerror(e));
		unlink(o->part);
		return -e;
	}
	if (rename(o->part, o->final)) {
		e = errno;
		snprintf(err, errlen, "rename %s to %s: %s", o->part, o->final, strerror(e));
		unlink(o->part);
		return -e;
	}
	char dir[4096];
	const char *base;
	split(o->final, dir, sizeof(dir), &base);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* the rename itself reaches the disk */
		close(dfd);
	}
	return 0;
}
