/* libmicrohttpd, loaded on first use (lib/lazy.h): the calls of metrics --listen. */
#include "lib/lazy.h"
#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

static const char no_mhd[] = "libmicrohttpd could not be loaded";

/* MHD_start_daemon takes its options as varargs: forward them through the
 * library's va_list entry point. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc, void *apc_cls,
				    MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	static __typeof__(MHD_start_daemon_va) *fp;
	if (!fp && !(fp = (__typeof__(MHD_start_daemon_va) *)lazy_sym(&lazy_mhd, "MHD_start_daemon_va")))
		return NULL;
	va_list ap;
	va_start(ap, dh_cls);
	struct MHD_Daemon *d = fp(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

LAZY_VOID(lazy_mhd, MHD_stop_daemon, (struct MHD_Daemon *d), (d))
LAZY_FN(lazy_mhd, struct MHD_Response *, MHD_create_response_from_buffer,
	(size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode), NULL)
LAZY_FN(lazy_mhd, enum MHD_Result, MHD_add_response_header, (struct MHD_Response *r, const char *h, const char *v),
	(r, h, v), MHD_NO)
LAZY_FN(lazy_mhd, enum MHD_Result, MHD_queue_response,
	(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r), (c, status, r), MHD_NO)
LAZY_VOID(lazy_mhd, MHD_destroy_response, (struct MHD_Response *r), (r))
LAZY_FN(lazy_mhd, const char *, MHD_get_version, (void), (), no_mhd)
