/* rtnetlink link monitor (libmnl, RTNLGRP_LINK): turns RTM_NEWLINK/DELLINK
 * notifications into struct vfs_event: EV_LINK on carrier/operstate/admin
 * (IFF_UP) changes,
 * EV_FAILOVER when a bond's active slave (IFLA_BOND_ACTIVE_SLAVE) or a
 * slave's bond state (IFLA_BOND_SLAVE_STATE) changes. The first sight of a
 * link (from the initial dump) only records its state: events are changes.
 * Timestamps are taken on receipt (CLOCK_MONOTONIC and real time), so they
 * merge with bpf_ktime_get_ns() events. */
#ifndef VFS_NL_MONITOR_H
#define VFS_NL_MONITOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/event.h"

struct nl_monitor;
typedef void (*nl_monitor_fn)(const struct vfs_event *ev, void *ctx);

/* ifindexes/n: only report these (0 = all). NULL with errno on failure. */
struct nl_monitor *nl_monitor_open(const int *ifindexes, size_t n, nl_monitor_fn cb, void *ctx);
/* For tests: a monitor without a socket; feed it with nl_monitor_parse. */
struct nl_monitor *nl_monitor_new(const int *ifindexes, size_t n, nl_monitor_fn cb, void *ctx);
int nl_monitor_fd(const struct nl_monitor *m);
/* Read everything pending without blocking; returns events emitted or a
 * negative errno (-ENOBUFS overruns are counted in lost and not fatal). */
int nl_monitor_read(struct nl_monitor *m);
/* Process one buffer of netlink messages (pure apart from the callback).
 * Returns events emitted, -ENODATA on a short message, -EBADMSG if bad. */
int nl_monitor_parse(struct nl_monitor *m, const void *buf, size_t len);
uint64_t nl_monitor_lost(const struct nl_monitor *m);
/* The last state seen of a link (initial dump or notification), for a
 * screen that shows it at once: flags IFF_* (IFF_UP = admin up), carrier
 * and operstate (IF_OPER_*) -1 when not reported. 0, or -ENOENT. */
struct nl_monitor_link { int ifindex; char name[16]; long flags; int carrier, operstate, master; };
int nl_monitor_link(const struct nl_monitor *m, int ifindex, struct nl_monitor_link *out);
/* Counts every change of a link's flags, carrier or operstate seen since
 * priming (whether or not it made an event): compare to spot changes. */
uint64_t nl_monitor_changes(const struct nl_monitor *m);
/* The ifindexes of the changes since nl_monitor_changes() was `since`
 * (one per change, repeats kept, oldest first) into out: how many, or
 * SIZE_MAX when they do not fit in max or are no longer all remembered
 * (the monitor keeps the last 256): then look at every link. */
size_t nl_monitor_changed_since(const struct nl_monitor *m, uint64_t since, int *out, size_t max);
/* IF_OPER_* as `ip` prints it in lower case ("up", "lowerlayerdown"), "?" */
const char *nl_monitor_oper_name(int operstate);
uint64_t nl_monitor_events(const struct nl_monitor *m);
/* What changed since the last call, for a screen that refreshes only that
 * (cli/top_refresh.c): the ifindexes with any RTM_NEWLINK since (all of
 * them counted in the return value, the first max written to out), and in
 * *structural the NLM_STRUCT_* bits: something a per-link refresh cannot
 * follow, so the caller collects everything again. Clears both. */
#define NLM_STRUCT_NEW     0x01 /* a link appeared (ifindex not seen before) */
#define NLM_STRUCT_GONE    0x02 /* RTM_DELLINK */
#define NLM_STRUCT_RENAMED 0x04
#define NLM_STRUCT_MASTER  0x08 /* a link joined or left a bond, team or bridge */
#define NLM_STRUCT_LOST    0x10 /* notifications lost (ENOBUFS) */
#define NLM_STRUCT_FULL    0x20 /* more links than the monitor keeps */
size_t nl_monitor_take_dirty(struct nl_monitor *m, int *out, size_t max, int *structural);
/* Without clearing: how many links are dirty, and the structural bits. */
size_t nl_monitor_ndirty(const struct nl_monitor *m);
int nl_monitor_structural(const struct nl_monitor *m);
/* Keep each link's last RTM_NEWLINK notification (the link's whole state,
 * AF_UNSPEC only) so a refresh can merge it instead of asking the kernel
 * again (cli/top_refresh.c). nl_monitor_msg: that message of a link
 * nl_monitor_take_dirty has just given (it stays until the next take or
 * the next notification of the link); NULL none. */
void nl_monitor_keep_msgs(struct nl_monitor *m, bool on);
const void *nl_monitor_msg(const struct nl_monitor *m, int ifindex, size_t *len);
void nl_monitor_close(struct nl_monitor *m);
#endif
