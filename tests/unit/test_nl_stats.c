/* collectors/nl_stats: one RTM_GETLINK dump gives every link's byte
 * counters; checked against the same counters read from sysfs around it
 * (the kernel's dev_get_stats() feeds both, so a counter that only grows
 * lies between the two sysfs reads). */
#include "tests/unit/t.h"
#include "collectors/nl_stats.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long sysfs_counter(const char *ifname, const char *which)
{
	char p[256];
	unsigned long long v = 0;
	snprintf(p, sizeof(p), "/sys/class/net/%s/statistics/%s", ifname, which);
	FILE *f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static void test_dump_matches_sysfs(void)
{
	unsigned long long rx0 = sysfs_counter("lo", "rx_bytes"), tx0 = sysfs_counter("lo", "tx_bytes");
	struct nl_stat *v;
	size_t n;
	CHECK_INT(nl_stats_dump(&v, &n), 0);
	unsigned long long rx1 = sysfs_counter("lo", "rx_bytes"), tx1 = sysfs_counter("lo", "tx_bytes");
	const struct nl_stat *lo = nl_stats_find(v, n, "lo");
	CHECK(lo != NULL);
	if (lo) {
		CHECK_INT(lo->ifindex, 1);
		CHECK(lo->rx_bytes >= rx0 && lo->rx_bytes <= rx1);
		CHECK(lo->tx_bytes >= tx0 && lo->tx_bytes <= tx1);
	}
	/* every link sysfs lists is in the dump, sorted by name */
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;
	size_t listed = 0, found = 0;
	while (d && (e = readdir(d))) {
		char p[300];
		snprintf(p, sizeof(p), "/sys/class/net/%s/ifindex", e->d_name);
		FILE *f = fopen(p, "r");
		if (!f)
			continue;
		fclose(f);
		listed++;
		found += nl_stats_find(v, n, e->d_name) != NULL;
	}
	if (d)
		closedir(d);
	CHECK(listed > 0);
	CHECK_INT(found, listed);
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(v[i - 1].name, v[i].name) < 0);
	CHECK(nl_stats_find(v, n, "no-such-link0") == NULL);
	CHECK(nl_stats_find(NULL, 0, "lo") == NULL);
	free(v);
}

T_MAIN(T(test_dump_matches_sysfs))
