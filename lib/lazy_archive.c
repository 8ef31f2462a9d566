/* libarchive, loaded on first use (lib/lazy.h): the calls of bundle
 * (write, read back) and the sos report reader. The constructors
 * (archive_read_new, archive_write_new, archive_write_disk_new,
 * archive_entry_new) return NULL without the library, which callers already
 * treat as failure; the rest then never run. */
#include "lib/lazy.h"
#include <archive.h>
#include <archive_entry.h>

static const char no_archive[] = "libarchive could not be loaded";
#define L lazy_archive

LAZY_FN(L, struct archive *, archive_read_new, (void), (), NULL)
LAZY_FN(L, struct archive *, archive_write_new, (void), (), NULL)
LAZY_FN(L, struct archive *, archive_write_disk_new, (void), (), NULL)
LAZY_FN(L, struct archive_entry *, archive_entry_new, (void), (), NULL)
LAZY_FN(L, const char *, archive_version_string, (void), (), no_archive)
LAZY_FN(L, const char *, archive_error_string, (struct archive *a), (a), no_archive)

LAZY_FN(L, __LA_MODE_T, archive_entry_filetype, (struct archive_entry *e), (e), 0)
LAZY_VOID(L, archive_entry_free, (struct archive_entry *e), (e))
LAZY_FN(L, const char *, archive_entry_hardlink, (struct archive_entry *e), (e), NULL)
LAZY_FN(L, const char *, archive_entry_pathname, (struct archive_entry *e), (e), NULL)
LAZY_VOID(L, archive_entry_set_filetype, (struct archive_entry *e, unsigned int t), (e, t))
LAZY_VOID(L, archive_entry_set_gname, (struct archive_entry *e, const char *s), (e, s))
LAZY_VOID(L, archive_entry_set_mtime, (struct archive_entry *e, time_t t, long ns), (e, t, ns))
LAZY_VOID(L, archive_entry_set_pathname, (struct archive_entry *e, const char *s), (e, s))
LAZY_VOID(L, archive_entry_set_perm, (struct archive_entry *e, __LA_MODE_T m), (e, m))
LAZY_VOID(L, archive_entry_set_size, (struct archive_entry *e, la_int64_t n), (e, n))
LAZY_VOID(L, archive_entry_set_symlink, (struct archive_entry *e, const char *s), (e, s))
LAZY_VOID(L, archive_entry_set_uname, (struct archive_entry *e, const char *s), (e, s))
LAZY_FN(L, la_int64_t, archive_entry_size, (struct archive_entry *e), (e), 0)

LAZY_FN(L, la_ssize_t, archive_read_data, (struct archive *a, void *b, size_t n), (a, b, n), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_data_block, (struct archive *a, const void **b, size_t *n, la_int64_t *off),
	(a, b, n, off), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_free, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_next_header, (struct archive *a, struct archive_entry **e), (a, e), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_open_filename, (struct archive *a, const char *f, size_t bs), (a, f, bs), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_support_filter_all, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_read_support_format_tar, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_add_filter_gzip, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_close, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, la_ssize_t, archive_write_data, (struct archive *a, const void *b, size_t n), (a, b, n), ARCHIVE_FATAL)
LAZY_FN(L, la_ssize_t, archive_write_data_block, (struct archive *a, const void *b, size_t n, la_int64_t off),
	(a, b, n, off), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_disk_set_options, (struct archive *a, int flags), (a, flags), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_finish_entry, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_free, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_header, (struct archive *a, struct archive_entry *e), (a, e), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_open_filename, (struct archive *a, const char *f), (a, f), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_set_format_pax_restricted, (struct archive *a), (a), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_errno, (struct archive *a), (a), 0)
LAZY_FN(L, int, archive_write_set_bytes_in_last_block, (struct archive *a, int n), (a, n), ARCHIVE_FATAL)
LAZY_FN(L, int, archive_write_open_fd, (struct archive *a, int fd), (a, fd), ARCHIVE_FATAL)
