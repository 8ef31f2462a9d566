/* Guest views: a file written by 'vfscope snapshot --json' inside a guest,
 * or a running 'vfscope agent' over AF_VSOCK or TCP. Untrusted input. */
#ifndef VFS_GUEST_H
#define VFS_GUEST_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"
struct machine *guest_load(const char *spec, bool is_file, int timeout_ms, char *err, size_t errlen);
#endif
