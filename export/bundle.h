/* Support bundles (libarchive tar.gz): write one, read one back. */
#ifndef VFS_BUNDLE_H
#define VFS_BUNDLE_H
#include <stddef.h>
#include "model/model.h"
struct machine *bundle_load(const char *path, char *err, size_t errlen);
#endif
