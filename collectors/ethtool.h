/* Read-only ethtool driver info and statistics of one netdev (issue 15:
 * only pair devices are asked, bounded). Live: the SIOCETHTOOL ioctl
 * (ETHTOOL_GDRVINFO; ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS and ETHTOOL_GSTATS
 * for ETH_SS_STATS), which only reads. Under a sysroot the same from text
 * files: ethtool-i/<dev> (`ethtool -i DEV`) and ethtool-S/<dev> (`ethtool -S
 * DEV`; ethtool-S/<dev>.2 a second reading, ethtool-S/interval_ms the time
 * between the two). */
#ifndef VFS_ETHTOOL_H
#define VFS_ETHTOOL_H
#include <stddef.h>
#include <stdint.h>

#define ETHTOOL_MAX_STATS 4096 /* more than any driver has; the rest is ignored */
#define ETHTOOL_NAME_LEN 32    /* ETH_GSTRING_LEN */

struct ethtool_counter { char name[ETHTOOL_NAME_LEN]; uint64_t value; };
struct ethtool_counters { struct ethtool_counter *v; size_t n; };

/* Driver name ("net_failover", "hv_netvsc", ...) into driver; 0 or -errno. */
int ethtool_driver(const char *ifname, char *driver, size_t size);
/* Statistics; second reads ethtool-S/<dev>.2 in a tree (live: same as first).
 * 0 or -errno; out is empty on error. */
int ethtool_read_stats(const char *ifname, int second, struct ethtool_counters *out);
void ethtool_stats_free(struct ethtool_counters *s);
/* Value of the counter called name; 0 found, -ENOENT not there. */
int ethtool_stat_get(const struct ethtool_counters *s, const char *name, uint64_t *value);
/* `ethtool -S` text ("NIC statistics:" then "     name: value" lines);
 * returns the counters understood. Pure parser. */
size_t ethtool_stats_parse(const char *text, size_t len, struct ethtool_counters *out);
#endif
