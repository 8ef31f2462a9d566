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


/* The inverse: the model's netlink-sourced facts in the shape of
 * `ip -d -j link show` (the fields iplink_json_parse reads), so a bundle
 * carries an ip-link.json without running ip, whose `ip link` sends an
 * empty RTM_NEWLINK as a feature probe (vfscope sends no set requests). */
#include <jansson.h>
json_t *iplink_json_write(const struct machine *m);
#endif
