/* Paravirtual failover pairs (issue 15): KVM net_failover (a virtio-net
 * STANDBY master with its standby and primary slaves) and Hyper-V/Azure
 * hv_netvsc with its VF, each recorded as a team (TEAM_NET_FAILOVER,
 * TEAM_NETVSC) with member roles and the data path. See docs/pairs.md. */
#ifndef VFS_PAIRS_H
#define VFS_PAIRS_H
#include "model/model.h"

#define PAIRS_MAX 64          /* pairs recognised per machine */
#define PAIRS_SAMPLE_MS 250   /* live: time between the two netvsc counter readings */

/* Recognition over the collected netdevs (sysfs links and files, ethtool
 * driver info), and netvsc's ethtool counters (two readings). Call after
 * the netdev readers, before machine_link(). */
void pairs_collect(struct machine *m);
/* The data path of every pair and the kernel log's switch counts, from the
 * linked model and m->kmsg; call after machine_link() and again after the
 * kernel log is read. Idempotent. */
void pairs_update(struct machine *m);
#endif
