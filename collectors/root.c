#include "collectors/root.h"
#include "lib/util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

static int root_fd = -1;
static char root_name[4096] = "/";
static bool have_openat2 = true;

int root_set(const char *dir)
{
	if (!dir || !*dir)
		dir = "/";
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
	vfs_strlcpy(root_name, dir, sizeof(root_name));
	return 0;
}

const char *root_dir(void) { return root_name; }
bool root_is_live(void) { return !strcmp(root_name, "/"); }

static int ensure_root(void)
{
	if (root_fd >= 0)
		return 0;
	return root_set(NULL);
}

int root_open(const char *rel, int flags)
{
	int r = ensure_root();
	if (r)
		return r;
	while (*rel == '/')
		rel++;
	flags |= O_CLOEXEC;
	if (!root_is_live() && have_openat2) {
		/* Links in a captured tree resolve inside it, never on the host. */
		struct open_how how = { .flags = (uint64_t)flags,
					.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
		long fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != ENOSYS)
			return -errno;
		have_openat2 = false;
	}
	int fd = openat(root_fd, rel, flags);
	return fd < 0 ? -errno : fd;
}

ssize_t root_read(const char *rel, char *buf, size_t size)
{
	if (!size)
		return -EINVAL;
	int fd = root_open(rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	size_t off = 0;
	ssize_t n;
	while (off + 1 < size && (n = read(fd, buf + off, size - 1 - off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			close(fd);
			buf[off] = 0;
			return e;
		}
		off += (size_t)n;
	}
	close(fd);
	buf[off] = 0;
	return (ssize_t)off;
}

int root_read_str(const char *rel, char *buf, size_t size)
{
	ssize_t n = root_read(rel, buf, size);
	if (n < 0)
		return (int)n;
	vfs_chomp(buf);
	return 0;
}

int root_read_i64(const char *rel, long long *out, int base)
{
	char b[64];
	int r = root_read_str(rel, b, sizeof(b));
	if (r)
		return r;
	int64_t v;
	r = vfs_parse_i64(b, base, &v);
	if (r)
		return r;
	*out = v;
	return 0;
}

ssize_t root_read_bin(const char *rel, unsigned char **out, size_t max)
{
	int fd = root_open(rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	unsigned char *b = vfs_xcalloc(1, max ? max : 1);
	size_t off = 0;
	ssize_t n;
	while (off < max && (n = read(fd, b + off, max - off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			close(fd);
			free(b);
			return e;
		}
		off += (size_t)n;
	}
	close(fd);
	*out = b;
	return (ssize_t)off;
}

ssize_t root_readlink(const char *rel, char *buf, size_t size)
{
	int r = ensure_root();
	if (r)
		return r;
	while (*rel == '/')
		rel++;
	/* The parent directories may be links themselves (sys/class/net/X);
	 * resolve the parent inside the root, then read the last component. */
	char parent[4096];
	const char *slash = strrchr(rel, '/');
	int dfd = root_fd, own = 0;
	const char *leaf = rel;
	if (slash) {
		size_t pl = (size_t)(slash - rel);
		if (pl >= sizeof(parent))
			return -ENAMETOOLONG;
		memcpy(parent, rel, pl);
		parent[pl] = 0;
		dfd = root_open(parent, O_RDONLY | O_DIRECTORY | O_PATH);
		if (dfd < 0)
			return dfd;
		own = 1;
		leaf = slash + 1;
	}
	ssize_t n = readlinkat(dfd, leaf, buf, size ? size - 1 : 0);
	int e = errno;
	if (own)
		close(dfd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return n;
}

int root_link_base(const char *rel, char *buf, size_t size)
{
	char t[4096];
	ssize_t n = root_readlink(rel, t, sizeof(t));
	if (n < 0)
		return (int)n;
	const char *b = strrchr(t, '/');
	vfs_strlcpy(buf, b ? b + 1 : t, size);
	return 0;
}

DIR *root_opendir(const char *rel)
{
	int fd = root_open(rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	DIR *d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

bool root_exists(const char *rel)
{
	int fd = root_open(rel, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **root_list(const char *rel, size_t max, bool (*keep)(const char *name), size_t *n, bool *truncated)
{
	DIR *d = root_opendir(rel);
	*n = 0;
	if (truncated)
		*truncated = false;
	if (!d)
		return NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *nm = e->d_name;
		if ((nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) || (keep && !keep(nm)))
			continue;
		if (*n >= max) {
			if (truncated)
				*truncated = true;
			break;
		}
		VFS_PUSH(v, *n, cap);
		v[(*n)++] = vfs_xstrdup(nm);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

void root_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *root_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return buf;
}
