/* A PowerShell export as files in memory: a folder (walked two levels
 * below it) or a zip/tar archive of one (libarchive). Untrusted input: only
 * regular files (no symlinks followed, no absolute or ".." paths from an
 * archive), bounded count, per-file and total size; a file over its limit
 * is listed with an error and no data. */
#ifndef VFS_PS_EXPORT_H
#define VFS_PS_EXPORT_H
#include <stddef.h>
#include <stdint.h>

#define PS_EXPORT_MAX_FILES   512
#define PS_EXPORT_MAX_ENTRIES 20000          /* archive headers walked */
#define PS_EXPORT_MAX_FILE    (64u << 20)    /* one file as stored (UTF-16 is twice its text) */
#define PS_EXPORT_MAX_TOTAL   (256u << 20)   /* all files */
#define PS_EXPORT_MAX_LEVELS  3              /* dir/guests/VM/file: components below the top */

struct ps_file {
	char *path;          /* relative, '/'-separated: "Get-VMSwitch.json", "guests/vm1/Get-NetAdapter.json" */
	uint8_t *data;       /* NULL when err */
	size_t len;
	int err;             /* 0, or -EFBIG / -EIO ... with why */
	char why[128];
};

struct ps_export {
	struct ps_file *files;
	size_t nfiles, cap;
	size_t total;
	size_t skipped;      /* entries not kept (links, too deep, over the count) */
	char skipped_why[160];
};

/* Read path (directory, or an archive file). 0, or a negative errno with a
 * reason in err (not found, not a folder or archive, unreadable archive). */
int ps_export_open(const char *path, struct ps_export *x, char *err, size_t errlen);
/* Keep one file given as bytes (the fuzz target and tests). */
void ps_export_add(struct ps_export *x, const char *path, const uint8_t *data, size_t len);
void ps_export_free(struct ps_export *x);
#endif
