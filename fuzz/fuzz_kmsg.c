/* libFuzzer: the kernel log reader (collectors/kmsg.c) on dmesg text and on
 * /dev/kmsg records; the first byte picks the format. */
#include "collectors/kmsg.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct machine *m = machine_new("host");
	if (data[0] & 1)
		kmsg_parse_records(m, (const char *)data + 1, size - 1);
	else
		kmsg_parse_dmesg(m, (const char *)data + 1, size - 1);
	machine_free(m);
	return 0;
}
