/* One call that builds a machine's model from every collector, honouring
 * the root (live, --sysroot) and a PCI dump. Guests and bundles are added
 * by the caller (cli/common.c). */
#ifndef VFS_COLLECT_H
#define VFS_COLLECT_H
#include <stdbool.h>
#include "model/model.h"

struct collect_opts {
	const char *sysroot;   /* NULL = live */
	const char *pci_dump;  /* lspci -xxx/-xxxx text, NULL = none */
	const char *ip_link_json; /* `ip -d -j link show` output instead of netlink */
	bool no_netlink;
	bool no_kmsg;
	bool no_netns;         /* skip network namespaces (collectors/netns.h) */
	const char *role;      /* "host" (default) or "guest" */
};

/* Returns a machine (never NULL) or NULL with err set when the root is
 * unusable (a usage error: exit 2). Partial failures are in m->sources. */
struct machine *collect_machine(const struct collect_opts *o, char *err, size_t errlen);
/* Host readers run after collect_machine (and after a capture window): the
 * kernel log (collectors/kmsg.h, unless o->no_kmsg) and vfio ownership
 * (collectors/vfio.h). o may be NULL. */
void host_extras(struct machine *m, const struct collect_opts *o);
#endif
