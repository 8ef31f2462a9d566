/* A PowerShell export folder or archive read into memory (ps_export.h). */
#include "collectors/ps_export.h"
#include "lib/util.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void skip(struct ps_export *x, const char *fmt, const char *what)
{
	if (!x->skipped++)
		snprintf(x->skipped_why, sizeof(x->skipped_why), fmt, what);
}

static struct ps_file *add(struct ps_export *x, const char *path)
{
	if (x->nfiles >= PS_EXPORT_MAX_FILES) {
		skip(x, "more than 512 files (first left out: %s)", path);
		return NULL;
	}
	VFS_PUSH(x->files, x->nfiles, x->cap);
	struct ps_file *f = &x->files[x->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = vfs_xstrdup(path);
	return f;
}

void ps_export_add(struct ps_export *x, const char *path, const uint8_t *data, size_t len)
{
	struct ps_file *f = add(x, path);
	if (!f)
		return;
	if (len > PS_EXPORT_MAX_FILE || x->total + len > PS_EXPORT_MAX_TOTAL) {
		f->err = -EFBIG;
		snprintf(f->why, sizeof(f->why), "too large: %zu bytes (limit %u MiB a file, %u MiB in all)", len,
			 PS_EXPORT_MAX_FILE >> 20, PS_EXPORT_MAX_TOTAL >> 20);
		return;
	}
	f->data = vfs_xcalloc(1, len + 1);
	memcpy(f->data, data, len);
	f->len = len;
	x->total += len;
}

void ps_export_free(struct ps_export *x)
{
	for (size_t i = 0; i < x->nfiles; i++) {
		free(x->files[i].path);
		free(x->files[i].data);
	}
	free(x->files);
	memset(x, 0, sizeof(*x));
}

/* One regular file, opened without following a symlink. */
static void read_one(struct ps_export *x, int dfd, const char *name, const char *rel)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		skip(x, "not a regular file: %s", rel);
		return;
	}
	struct ps_file *f = add(x, rel);
	if (!f) {
		close(fd);
		return;
	}
	size_t len = (size_t)st.st_size;
	if (len > PS_EXPORT_MAX_FILE || x->total + len > PS_EXPORT_MAX_TOTAL) {
		f->err = -EFBIG;
		snprintf(f->why, sizeof(f->why), "too large: %zu bytes (limit %u MiB a file, %u MiB in all)", len,
			 PS_EXPORT_MAX_FILE >> 20, PS_EXPORT_MAX_TOTAL >> 20);
		close(fd);
		return;
	}
	f->data = malloc(len + 1);
	size_t got = 0;
	while (f->data && got < len) {
		ssize_t r = read(fd, f->data + got, len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!f->data || got != len) {
		f->err = -EIO;
		snprintf(f->why, sizeof(f->why), "read error after %zu of %zu bytes", got, len);
		free(f->data);
		f->data = NULL;
		return;
	}
	f->len = len;
	x->total += len;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk dfd (at relative path rel) up to PS_EXPORT_MAX_LEVELS deep, in name
 * order so the result does not depend on the file system. */
static void walk(struct ps_export *x, int dfd, const char *rel, int level)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < PS_EXPORT_MAX_ENTRIES) {
		if (e->d_name[0] == '.')
			continue;
		VFS_PUSH(names, n, cap);
		names[n++] = vfs_xstrdup(e->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW)) {
			skip(x, "unreadable: %s", path);
		} else if (S_ISDIR(st.st_mode)) {
			if (level + 1 > PS_EXPORT_MAX_LEVELS) {
				skip(x, "folder too deep: %s", path);
			} else {
				int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0)
					walk(x, sub, path, level + 1);
			}
		} else if (S_ISREG(st.st_mode)) {
			read_one(x, dirfd(d), names[i], path);
		} else {
			skip(x, "not a regular file: %s", path);
		}
		free(names[i]);
	}
	free(names);
	closedir(d);
}

/* An archive member's path, made relative and checked: no absolute path,
 * no "..", no empty component; NULL when unusable. */
static const char *clean_member(const char *name, char *buf, size_t len)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if (name[0] == '/' || !name[0] || strlen(name) >= len)
		return NULL;
	vfs_strlcpy(buf, name, len);
	/* Compress-Archive on older Windows writes '\' separators */
	for (char *p = buf; *p; p++)
		if (*p == '\\')
			*p = '/';
	size_t l = strlen(buf);
	while (l && buf[l - 1] == '/')
		buf[--l] = 0;
	int levels = 0;
	for (char *c = buf; *c;) {
		size_t cl = strcspn(c, "/");
		if (!cl || (cl == 2 && c[0] == '.' && c[1] == '.') || (cl == 1 && c[0] == '.'))
			return NULL;
		c += cl;
		if (*c == '/') {
			c++;
			levels++;
		}
	}
	/* one more level than a folder: a zip may wrap the folder in a directory */
	return levels <= PS_EXPORT_MAX_LEVELS ? buf : NULL;
}

static int read_archive(const char *path, struct ps_export *x, char *err, size_t errlen)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: not a folder, zip or tar archive (%s)", path, archive_error_string(a));
		archive_read_free(a);
		return -EINVAL;
	}
	struct archive_entry *e;
	int r = 0, n = 0;
	uint64_t walked = 0;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (++n > PS_EXPORT_MAX_ENTRIES) {
			skip(x, "more than 20000 archive entries (after %s)", "the limit");
			break;
		}
		const char *name = archive_entry_pathname(e);
		char rel[PATH_MAX];
		if (archive_entry_filetype(e) == AE_IFDIR)
			continue;
		if (!name || !clean_member(name, rel, sizeof(rel))) {
			skip(x, "unusable archive path: %s", name ? name : "(none)");
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG) {
			skip(x, "not a regular file: %s", rel);
			continue;
		}
		la_int64_t sz = archive_entry_size(e); /* 0 when the header does not say */
		struct ps_file *f = add(x, rel);
		if (!f)
			break;
		if (sz > (la_int64_t)PS_EXPORT_MAX_FILE || (sz > 0 && x->total + (size_t)sz > PS_EXPORT_MAX_TOTAL)) {
			f->err = -EFBIG;
			snprintf(f->why, sizeof(f->why), "too large: %lld bytes (limit %u MiB a file, %u MiB in all)",
				 (long long)sz, PS_EXPORT_MAX_FILE >> 20, PS_EXPORT_MAX_TOTAL >> 20);
			continue;
		}
		/* the size in a header may lie: read in blocks, bounded */
		size_t cap = sz > 0 ? (size_t)sz : 65536, got = 0;
		uint8_t *buf = malloc(cap + 1);
		bool big = false;
		while (buf) {
			if (got == cap) {
				if (cap >= PS_EXPORT_MAX_FILE || x->total + got >= PS_EXPORT_MAX_TOTAL) {
					big = true;
					break;
				}
				size_t nc = cap * 2 > PS_EXPORT_MAX_FILE ? PS_EXPORT_MAX_FILE : cap * 2;
				uint8_t *nb = realloc(buf, nc + 1);
				if (!nb)
					break;
				buf = nb;
				cap = nc;
			}
			la_ssize_t rd = archive_read_data(a, buf + got, cap - got);
			if (rd < 0) {
				f->err = -EIO;
				snprintf(f->why, sizeof(f->why), "archive read error: %s", archive_error_string(a));
				break;
			}
			if (rd == 0)
				break;
			got += (size_t)rd;
			walked += (size_t)rd;
		}
		if (!buf || big || f->err) {
			if (!f->err) {
				f->err = big ? -EFBIG : -ENOMEM;
				snprintf(f->why, sizeof(f->why), big ? "too large (limit %u MiB a file)" : "out of memory",
					 PS_EXPORT_MAX_FILE >> 20);
			}
			free(buf);
			if (f->err == -EIO)
				break;
			continue;
		}
		f->data = buf;
		f->len = got;
		x->total += got;
		if (walked > (uint64_t)PS_EXPORT_MAX_TOTAL * 2)
			break;
	}
	if (r == ARCHIVE_FATAL && !x->nfiles) {
		snprintf(err, errlen, "%s: unreadable archive (%s)", path, archive_error_string(a));
		archive_read_free(a);
		return -EIO;
	}
	archive_read_free(a);
	return 0;
}

int ps_export_open(const char *path, struct ps_export *x, char *err, size_t errlen)
{
	memset(x, 0, sizeof(*x));
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -errno;
		}
		walk(x, fd, "", 0);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder or an archive", path);
		return -EINVAL;
	}
	return read_archive(path, x, err, errlen);
}
