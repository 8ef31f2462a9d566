/* The rtnetlink view as iproute2 prints it (`ip -d -j link show`): what a
 * customer can send, and what captured sysroots carry as ip-link.json (a
 * sysroot has no live netlink). Merged like a netlink dump, values marked
 * SRC_NETLINK with the source detail naming the file. */
#ifndef VFS_IPLINK_JSON_H
#define VFS_IPLINK_JSON_H
#include <stddef.h>
#include "model/model.h"

/* Parse the document and merge it; returns links merged or -EBADMSG. */
int iplink_json_parse(struct machine *m, const char *text, size_t len, char *err, size_t errlen);
/* Read FILE (relative to the root when rel is set) and merge it. */
int iplink_json_collect(struct machine *m, const char *path, int rel);
#endif
