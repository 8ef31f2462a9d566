/* The libmicrohttpd calls of the exporter's guard, TLS and basic auth that
 * lib/lazy_mhd.c does not forward: when the build loads libmicrohttpd on
 * first use (lib/lazy.h) these forward the same way; when it links the
 * library, this file is empty. */
#if __has_include("lib/lazy.h")
#include "lib/lazy.h"
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

LAZY_FN(lazy_mhd, struct MHD_Response *, MHD_create_response_from_iovec,
	(const struct MHD_IoVec *iov, unsigned int n, MHD_ContentReaderFreeCallback cb, void *cls), (iov, n, cb, cls),
	NULL)
LAZY_FN(lazy_mhd, const union MHD_ConnectionInfo *, MHD_get_connection_info,
	(struct MHD_Connection *c, enum MHD_ConnectionInfoType t, ...), (c, t), NULL)
LAZY_FN(lazy_mhd, enum MHD_Result, MHD_is_feature_supported, (enum MHD_FEATURE f), (f), MHD_NO)
LAZY_FN(lazy_mhd, char *, MHD_basic_auth_get_username_password, (struct MHD_Connection *c, char **pw), (c, pw),
	NULL)
LAZY_FN(lazy_mhd, enum MHD_Result, MHD_queue_basic_auth_fail_response,
	(struct MHD_Connection *c, const char *realm, struct MHD_Response *r), (c, realm, r), MHD_NO)
LAZY_VOID(lazy_mhd, MHD_free, (void *p), (p))
LAZY_FN(lazy_mhd, const char *, MHD_lookup_connection_value,
	(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *key), (c, kind, key), NULL)
LAZY_VOID(lazy_mhd, MHD_suspend_connection, (struct MHD_Connection *c), (c))
LAZY_VOID(lazy_mhd, MHD_resume_connection, (struct MHD_Connection *c), (c))
LAZY_FN(lazy_mhd, const union MHD_DaemonInfo *, MHD_get_daemon_info, (struct MHD_Daemon *d, enum MHD_DaemonInfoType t, ...),
	(d, t), NULL)
#else
typedef int http_mhd_linked; /* ISO C wants something in a file */
#endif
