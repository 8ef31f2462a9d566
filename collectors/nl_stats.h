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
/* The entry named name in a sorted dump, or NULL. */
const struct nl_stat *nl_stats_find(const struct nl_stat *v, size_t n, const char *name);
#endif
