/* libarchive's zip reader, loaded on first use like the rest of libarchive
 * (lib/lazy_archive.c): Compress-Archive makes zips of the PowerShell
 * exports collectors/ps_export.c reads. Kept apart so that file stays the
 * bundle and sos readers' list. */
#include "lib/lazy.h"
#include <archive.h>

LAZY_FN(lazy_archive, int, archive_read_support_format_zip, (struct archive *a), (a), ARCHIVE_FATAL)
