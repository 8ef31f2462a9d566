/* Guest views: a file written by 'vfscope snapshot --json' inside a guest,
 * or a running 'vfscope agent' over AF_VSOCK or TCP. Untrusted input:
 * bounded size (VFS_JSON_MAX_BYTES), one deadline for connect + request +
 * reply (timeout_ms), strict parsing with every value marked SRC_GUEST. */
#ifndef VFS_GUEST_H
#define VFS_GUEST_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define VFS_AGENT_PORT 7477                 /* default vsock port */
#define VFS_AGENT_REQUEST "GET snapshot v1\n" /* the one request the agent answers */
#define VFS_AGENT_MAX_REQUEST 256           /* longest request line the agent reads */

struct machine *guest_load(const char *spec, bool is_file, int timeout_ms, char *err, size_t errlen);

/* Parse "tcp:HOST:PORT" / "tcp:[V6]:PORT" / "vsock:CID[:PORT]" into a
 * sockaddr (family AF_INET, AF_INET6 or AF_VSOCK). vsock_any accepts
 * "vsock:PORT" (listen side: any CID). 0 or -EINVAL. */
struct sockaddr_storage;
int guest_parse_addr(const char *spec, bool listen_side, struct sockaddr_storage *ss, unsigned *sslen);
#endif
