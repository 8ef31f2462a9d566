/* libFuzzer: `ethtool -S` text (collectors/ethtool.c ethtool_stats_parse):
 * bounded count, every name terminated, non-empty and found again by
 * ethtool_stat_get. */
#include "collectors/ethtool.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ethtool_counters s;
	size_t n = ethtool_stats_parse((const char *)data, size, &s);
	if (n != s.n || n > ETHTOOL_MAX_STATS)
		abort();
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		if (!s.v[i].name[0] || strnlen(s.v[i].name, ETHTOOL_NAME_LEN) >= ETHTOOL_NAME_LEN ||
		    ethtool_stat_get(&s, s.v[i].name, &v))
			abort();
	}
	ethtool_stats_free(&s);
	return 0;
}
