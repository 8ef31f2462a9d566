/* A sysfs/procfs tree built by a unit test under a temporary directory
 * (`top`), the way the kernel lays it out: tree_put writes a file,
 * tree_link makes a symlink, each making the parent directories first.
 * Used by the tests that run the collectors on --sysroot trees. */
#ifndef VFS_TREE_H
#define VFS_TREE_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static char top[256];

static void mkdirs(const char *rel)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	for (char *s = p + strlen(top) + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static void parent_of(const char *rel)
{
	char d[1024];
	snprintf(d, sizeof(d), "%s", rel);
	char *sl = strrchr(d, '/');
	if (sl) {
		*sl = 0;
		mkdirs(d);
	}
}

static void put(const char *rel, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static void put(const char *rel, const char *fmt, ...)
{
	char p[1024];
	parent_of(rel);
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	FILE *f = fopen(p, "w");
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void __attribute__((unused)) link_to(const char *rel, const char *target)
{
	char p[1024];
	parent_of(rel);
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (symlink(target, p))
		perror(p);
}
#endif
