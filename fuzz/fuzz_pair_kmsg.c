/* libFuzzer: the pair kernel-log line parser (collectors/pair_kmsg.c) on any
 * text; what it returns is a known kind with terminated, bounded names. */
#include "collectors/pair_kmsg.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);
	memcpy(t, data, size);
	t[size] = 0;
	struct pair_kmsg k;
	int kind = pair_kmsg_parse(t, &k);
	if (kind < 0 || kind >= PK_MAX || kind != k.kind || strlen(k.ifname) >= sizeof(k.ifname) ||
	    strlen(k.arg) >= sizeof(k.arg) || !pair_kmsg_kind_name(kind))
		abort();
	if (kind == PK_NONE && (k.ifname[0] || k.arg[0]))
		abort();
	free(t);
	return 0;
}
