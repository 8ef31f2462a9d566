/* libFuzzer: the kernel-log line classifier (rules/kmsg_match.c): classes,
 * PCI address, VF index, netdev and bonding member of any text, and
 * kmsg_mentions with a name taken from the input's first line. */
#include "rules/kmsg_match.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size + 1);
	memcpy(t, data, size);
	t[size] = 0;
	struct kmsg_info k;
	kmsg_classify(t, &k);
	/* what it returns is terminated and within bounds */
	if (strlen(k.pci) >= sizeof(k.pci) || strlen(k.netdev) >= sizeof(k.netdev) ||
	    strlen(k.slave) >= sizeof(k.slave))
		abort();
	char *nl = strchr(t, '\n');
	if (nl) {
		*nl = 0;
		kmsg_mentions(nl + 1, t);
	}
	kmsg_classify(NULL, NULL);
	free(t);
	return 0;
}
