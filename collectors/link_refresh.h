/* A live model brought up to date link by link (vfscope top, issue 17):
 * for each link rtnetlink announced a change of, its last RTM_NEWLINK
 * notification, or one RTM_GETLINK by ifindex (always with
 * RTEXT_FILTER_VF for a PF: notifications carry no VF info), merged with
 * the collector's own parser (netlink_parse_link), the
 * sysfs-only speed read again; instead of a whole collection. What this
 * cannot follow (a link that appeared, vanished or was renamed, a bond or
 * team or one of its members: /proc/net/bonding) is said with
 * LINK_REFRESH_FULL so the caller collects everything again. */
#ifndef VFS_LINK_REFRESH_H
#define VFS_LINK_REFRESH_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define LINK_REFRESH_FULL 1 /* -> a full collection is needed */

struct link_refresh;
/* A request socket kept open across refreshes; NULL with errno. */
struct link_refresh *link_refresh_open(void);
void link_refresh_close(struct link_refresh *r);
/* Refresh the links ifindexes[0..n) of m. 0 (merged, or nothing to do),
 * LINK_REFRESH_FULL, or a negative errno (the socket failed: collect
 * again too). *merged (may be NULL) counts the links merged. msgs (may be
 * NULL, or an entry's buf NULL): the link's last RTM_NEWLINK notification
 * (collectors/nl_monitor.h), merged instead of asking again; a PF always
 * asks (notifications carry no VF info); speed is read from sysfs again.
 * netlink_parse_link leaves the carrier of a link that is not up unknown,
 * as machine_link does: a model where no PF was refreshed needs no linking
 * again. */
struct link_refresh_msg { const void *buf; size_t len; };
int link_refresh_links(struct link_refresh *r, struct machine *m, const int *ifindexes,
		       const struct link_refresh_msg *msgs, size_t n, size_t *merged);
/* The PFs whose VFs back a team member: their VF info (stats for rates)
 * asked again, one request per PF. Same returns. */
int link_refresh_vf_stats(struct link_refresh *r, struct machine *m, size_t *merged);
/* Pure over bytes (tests, fuzzing): the kernel's answer to one RTM_GETLINK
 * for the link `name` (ifindex) merged into m: 0; LINK_REFRESH_FULL when it
 * says the link is gone (NLMSG_ERROR -ENODEV) or names another link;
 * -ENODATA short or empty, -EBADMSG malformed, or the NLMSG_ERROR's code. */
int link_refresh_reply(struct machine *m, const void *buf, size_t len, int ifindex, const char *name);
/* Whether a netdev of m can be refreshed alone (not a bond or team, not a
 * member of one, not in a net_failover pair). */
bool link_refresh_alone(const struct machine *m, const struct netdev *n);
#endif
