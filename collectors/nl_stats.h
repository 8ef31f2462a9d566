/* Every link's byte counters from one RTM_GETLINK dump (IFLA_STATS64), for
 * a dashboard sampling rates: one netlink round trip instead of opening
 * two sysfs statistics files per netdev (8,192 opens at 4,096 VFs). */
#ifndef VFS_NL_STATS_H
#define VFS_NL_STATS_H
#include <stddef.h>
#include <stdint.h>

struct nl_stat {
	char name[16]; /* IFNAMSIZ */
	int ifindex;
	uint64_t rx_bytes, tx_bytes;
};

/* Dumps this network namespace's links; *out (sorted by name, free()) and
 * *n. 0, or -errno (no socket, a failed or interrupted dump: the caller
 * falls back to sysfs). */
int nl_stats_dump(struct nl_stat **out, size_t *n);
/* One datagram of such a dump, appended to *acc (unsorted): the entries
 * with a name and IFLA_STATS64; anything else is skipped. Returns
 * mnl_cb_run's answer (MNL_CB_OK: more to come, MNL_CB_STOP: done, -1:
 * malformed). seq and port 0 check nothing (the fuzz target). */
struct nl_stats_acc {
	struct nl_stat *v;
	size_t n, cap;
};
int nl_stats_parse(struct nl_stats_acc *acc, const void *dg, size_t len, uint32_t seq, uint32_t port);
/* The entry named name in a sorted dump, or NULL. */
const struct nl_stat *nl_stats_find(const struct nl_stat *v, size_t n, const char *name);
#endif
