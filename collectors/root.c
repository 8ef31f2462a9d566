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

/* Directories resolved once (root_cache_begin .. root_cache_end): a reader
 * that takes many entries of one directory (a netdev's attributes, a PCI
 * function's links) resolves the directory's path, and the links in it,
 * once, and then looks up only the last component relative to its fd.
 * Off by default: a directory fd outlives the directory's path (a netdev
 * renamed, a VF re-created), so it is kept only for one pass of a reader. */
#define ROOT_CACHE 8
static struct {
	char rel[512];
	int fd; /* O_PATH | O_DIRECTORY */
} cache[ROOT_CACHE];
static int cache_n, cache_next;
static bool cache_on;

static void cache_drop(void)
{
	for (int i = 0; i < cache_n; i++)
		close(cache[i].fd);
	cache_n = cache_next = 0;
}

void root_cache_begin(void)
{
	cache_drop();
	cache_on = true;
}

void root_cache_end(void)
{
	cache_drop();
	cache_on = false;
}

int root_set(const char *dir)
{
	if (!dir || !*dir)
		dir = "/";
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (root_fd >= 0)
		close(root_fd);
	cache_drop();
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

static int full_open(const char *rel, int flags)
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
		/* RESOLVE_IN_ROOT answers EAGAIN when a rename anywhere on the
		 * system raced a ".." step (a busy build machine does that
		 * often): the kernel asks for a retry; a VF was lost without. */
		long fd;
		int tries = 0;
		do
			fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
		while (fd < 0 && (errno == EAGAIN || errno == EINTR) && ++tries < 100);
		if (fd >= 0)
			return (int)fd;
		if (errno != ENOSYS)
			return -errno;
		have_openat2 = false;
	}
	int fd = openat(root_fd, rel, flags);
	return fd < 0 ? -errno : fd;
}

/* The cached directory fd of rel (opened inside the root on a miss), or
 * -errno. Only while the cache is on. */
static int cache_dir(const char *rel)
{
	for (int i = 0; i < cache_n; i++)
		if (!strcmp(cache[i].rel, rel))
			return cache[i].fd;
	if (strlen(rel) >= sizeof(cache[0].rel))
		return -ENAMETOOLONG;
	int fd = full_open(rel, O_RDONLY | O_DIRECTORY | O_PATH);
	if (fd < 0)
		return fd;
	int slot;
	if (cache_n < ROOT_CACHE) {
		slot = cache_n++;
	} else { /* round-robin: the oldest goes */
		slot = cache_next;
		close(cache[slot].fd);
		cache_next = (cache_next + 1) % ROOT_CACHE;
	}
	vfs_strlcpy(cache[slot].rel, rel, sizeof(cache[slot].rel));
	cache[slot].fd = fd;
	return fd;
}

/* Split rel at its last '/': the parent's cached fd and the leaf, or -1
 * when the cache is off or rel has no parent. */
static int cache_parent(const char *rel, const char **leaf)
{
	const char *slash = strrchr(rel, '/');
	if (!cache_on || !slash || !slash[1])
		return -1;
	char parent[512];
	size_t pl = (size_t)(slash - rel);
	if (pl >= sizeof(parent))
		return -1;
	memcpy(parent, rel, pl);
	parent[pl] = 0;
	*leaf = slash + 1;
	return cache_dir(parent);
}

int root_open(const char *rel, int flags)
{
	while (*rel == '/')
		rel++;
	const char *leaf;
	int pfd;
	if (!(flags & O_PATH) && (pfd = cache_parent(rel, &leaf)) >= 0) {
		/* The last component relative to the resolved parent; a link
		 * there is resolved from the root, as without the cache. */
		int fd = openat(pfd, leaf, flags | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 || (errno != ELOOP && errno != ENOTDIR))
			return fd < 0 ? -errno : fd;
	}
	return full_open(rel, flags);
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
		/* With the cache on (a sysfs pass), a short read is the end: a
		 * sysfs attribute comes whole from one read, as a regular file
		 * does; it saves the read that returns 0. */
		if (cache_on && off + 1 < size)
			break;
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

ssize_t root_read_into(const char *rel, unsigned char **buf, size_t *cap, size_t max)
{
	int fd = root_open(rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	/* The buffer grows with what is read, up to max (callers pass the
	 * largest they accept, 8 MiB for a JSON file: allocating and zeroing
	 * that for each of 64 namespaces' ip-link.json cost 4 % of a check). */
	size_t off = 0;
	while (off < max) {
		if (off == *cap) { /* off < max, so *cap < max */
			size_t ncap = !*cap ? MIN(max, (size_t)16384) : *cap > max / 2 ? max : *cap * 2;
			*buf = vfs_xrealloc(*buf, ncap, 1);
			*cap = ncap;
		}
		ssize_t n = read(fd, *buf + off, MIN(*cap, max) - off);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = -errno;
			close(fd);
			return e;
		}
		off += (size_t)n;
	}
	close(fd);
	return (ssize_t)off;
}

ssize_t root_read_bin(const char *rel, unsigned char **out, size_t max)
{
	unsigned char *b = NULL;
	size_t cap = 0;
	ssize_t n = root_read_into(rel, &b, &cap, max);
	if (n < 0) {
		free(b);
		return n;
	}
	if (!cap)
		b = vfs_xcalloc(1, 1);
	else /* what follows the data is zero, as before */
		memset(b + n, 0, cap - (size_t)n);
	*out = b;
	return n;
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
	int cfd = cache_parent(rel, &leaf);
	if (cfd >= 0) {
		dfd = cfd;
	} else if (slash) {
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
	while (*rel == '/')
		rel++;
	const char *leaf;
	int pfd = cache_parent(rel, &leaf);
	if (pfd >= 0) {
		/* Live, a link is followed as the kernel would; in a tree a
		 * link's target is looked up inside the tree (below). */
		struct stat st;
		if (fstatat(pfd, leaf, &st, root_is_live() ? 0 : AT_SYMLINK_NOFOLLOW))
			return false;
		if (!S_ISLNK(st.st_mode))
			return true;
	}
	int fd = full_open(rel, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

bool root_is_dir(const char *rel)
{
	while (*rel == '/')
		rel++;
	if (cache_on)
		return cache_dir(rel) >= 0; /* and kept, for what is read in it next */
	int fd = full_open(rel, O_RDONLY | O_DIRECTORY | O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* getdents64 straight on the directory's fd: opendir's fdopendir adds an
 * fstat and an fcntl to every listing (4,000 listings at 4,096 VFs). */
struct dirent64_hdr {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

char **root_list(const char *rel, size_t max, bool (*keep)(const char *name), size_t *n, bool *truncated)
{
	*n = 0;
	if (truncated)
		*truncated = false;
	int fd = root_open(rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	char **v = NULL;
	size_t cap = 0;
	char buf[16384] __attribute__((aligned(8))); /* on the stack: readers may run in threads */
	bool full = false;
	long got;
	while (!full && (got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			const struct dirent64_hdr *e = (const void *)(buf + off);
			if (e->reclen == 0 || off + e->reclen > got)
				break;
			off += e->reclen;
			const char *nm = e->name;
			if ((nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) || (keep && !keep(nm)))
				continue;
			if (*n >= max) {
				if (truncated)
					*truncated = true;
				full = true;
				break;
			}
			VFS_PUSH(v, *n, cap);
			v[(*n)++] = vfs_xstrdup(nm);
		}
	}
	int e = errno;
	close(fd);
	errno = e;
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
