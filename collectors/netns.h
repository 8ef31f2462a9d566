/* Network namespaces as places where VFs are used (issue 14, docs/netns.md).
 * Each namespace other than vfscope's own becomes a machine with role
 * "netns" appended to host->guests: its links and bonds read by netlink
 * inside it (a short-lived thread that setns()es there), its bonding files,
 * its name (/run/netns), a process in it, and its Kubernetes owner
 * (collectors/k8s_owner.h). Read-only; bounded; a namespace that goes away
 * while being listed is left out and counted in the host's "netns" source.
 * On --sysroot the tree's netns/<id>/ directories are read instead. */
#ifndef VFS_NETNS_H
#define VFS_NETNS_H
#include <stddef.h>
#include "model/model.h"

#define NETNS_MAX 256          /* namespaces read */
#define NETNS_PROC_MAX 65536   /* /proc entries looked at */
#define NETNS_READ_MS 5000     /* one namespace's read */
#define NETNS_TOTAL_MS 20000   /* all of them */

/* Collect every namespace (live or the sysroot's) into host->guests, then
 * the owners of VFs (k8s_owner_vfs). Returns namespaces added. */
int netns_collect(struct machine *host);
/* Give ns its label from what is known: "pod NS/POD", "netns NAME",
 * "netns ino:INODE" (fallback: "netns " + fallback). */
void netns_label(struct machine *ns, const char *fallback);
#endif
