/* Where every file reader reads from: the live root "/", a --sysroot tree,
 * or a bundle unpacked to a directory. One place decides (pciutils' access
 * methods, reduced to the one thing vfscope needs). Paths are relative to
 * the root ("sys/class/net"); symlinks inside the tree resolve inside it
 * (openat2 RESOLVE_IN_ROOT), so a captured sysfs tree behaves like /sys. */
#ifndef VFS_ROOT_H
#define VFS_ROOT_H
#include <stddef.h>
#include <stdbool.h>
#include <dirent.h>
#include <sys/types.h>

#define ROOT_MAX_FILE (1u << 20) /* no sysfs/procfs file we read is larger */

/* Set the root; NULL or "/" = live. Returns 0 or -errno (not a directory). */
int root_set(const char *dir);
const char *root_dir(void);      /* "/" when live */
bool root_is_live(void);

/* open relative to root, O_RDONLY|O_CLOEXEC plus flags; -errno on failure. */
int root_open(const char *rel, int flags);
/* Read a whole small file into buf (NUL-terminated, trailing newline kept);
 * returns bytes read or -errno. Truncates silently at size-1. */
ssize_t root_read(const char *rel, char *buf, size_t size);
/* Read a file, chomp it; returns 0 or -errno. */
int root_read_str(const char *rel, char *buf, size_t size);
int root_read_i64(const char *rel, long long *out, int base);
/* Read up to max bytes of a binary file; *out malloc'd. bytes or -errno. */
ssize_t root_read_bin(const char *rel, unsigned char **out, size_t max);
/* The same into a buffer the caller keeps and reuses (*buf, *cap: NULL
 * and 0 at first; grown as needed, never shrunk, not zeroed): the file's
 * length (at most max) or -errno. */
ssize_t root_read_into(const char *rel, unsigned char **buf, size_t *cap, size_t max);
/* readlink relative to root (the link text as stored). bytes or -errno. */
ssize_t root_readlink(const char *rel, char *buf, size_t size);
/* Basename of a symlink's target (e.g. driver -> ".../igb" gives "igb"). */
int root_link_base(const char *rel, char *buf, size_t size);
DIR *root_opendir(const char *rel);
bool root_exists(const char *rel);
/* rel is (or leads by links to) a directory; with the cache on it is kept. */
bool root_is_dir(const char *rel);
/* Sorted listing of a directory without "." and "..": at most max names for
 * which keep() (NULL: all) is true; *truncated (may be NULL) says whether
 * more were left out. NULL with *n = 0 when unreadable (errno set). */
char **root_list(const char *rel, size_t max, bool (*keep)(const char *name), size_t *n, bool *truncated);
void root_list_free(char **v, size_t n);
/* Between these, the directories of the paths given are resolved once and
 * kept (a few, most recent): a reader taking many entries of one directory
 * pays one path lookup for it, and root_read takes a short read as the end
 * of a file (a sysfs attribute comes whole from one read). For one pass of one reader (sysfs_collect):
 * a kept directory outlives a rename or re-creation of its path. */
void root_cache_begin(void);
void root_cache_end(void);
/* printf-style path builder into a caller buffer; returns buf. */
char *root_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
