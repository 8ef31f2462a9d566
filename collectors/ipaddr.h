/* Addresses and default routes of the netdevs (issue 15: a pair slave
 * holding its own address or default route). Live: rtnetlink RTM_GETADDR
 * and RTM_GETROUTE dumps (read-only); in a tree: ip-addr.json (`ip -j addr
 * show`), ip-route.json and ip-route6.json (`ip -j [-6] route show table
 * main`). Fills netdev.naddrs, addr_first, default_route; a netdev of a
 * machine whose addresses were read and that has none gets 0, not unknown. */
#ifndef VFS_IPADDR_H
#define VFS_IPADDR_H
#include <stddef.h>
#include "model/model.h"

/* Parse `ip -j addr show` text and set naddrs/addr_first of the netdevs
 * named (src for the values). Returns entries read or -EBADMSG. */
int ipaddr_json_parse(struct machine *m, const char *text, size_t len, int src);
/* Parse `ip -j route show` text (IPv4 or IPv6): default routes set
 * default_route 1 on their dev (and multipath nexthops' devs). Returns
 * routes read or -EBADMSG. Does not reset netdevs to 0 (ipaddr_collect does). */
int iproute_json_parse(struct machine *m, const char *text, size_t len, int src);
/* Read the tree's files, or the live kernel; adds source "ipaddr". */
void ipaddr_collect(struct machine *m);
#endif
