/* libFuzzer: RTM_GETLINK dump datagrams through the counters reader of
 * top's rates (collectors/nl_stats.c: names and IFLA_STATS64, then sorted
 * and searched). Input as fuzz_nldump: datagrams, each prefixed by a 16-bit
 * little-endian length. */
#include "collectors/nl_stats.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct nl_stat *)a)->name, ((const struct nl_stat *)b)->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_stats_acc acc = { 0 };
	while (size >= 2) {
		size_t n = (size_t)data[0] | (size_t)data[1] << 8;
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		void *dg = malloc(n ? n : 1); /* the kernel's datagrams are aligned */
		memcpy(dg, data, n);
		int r = nl_stats_parse(&acc, dg, n, 0, 0);
		free(dg);
		data += n;
		size -= n;
		if (r <= 0)
			break;
	}
	if (acc.n)
		qsort(acc.v, acc.n, sizeof(*acc.v), cmp);
	for (size_t i = 0; i < acc.n; i++)
		if (nl_stats_find(acc.v, acc.n, acc.v[i].name) == NULL)
			abort(); /* a name in the list must be found */
	free(acc.v);
	return 0;
}
