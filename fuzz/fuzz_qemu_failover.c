/* libFuzzer: a QEMU command line (NUL-separated, as /proc/PID/cmdline) into
 * collectors/qemu_failover.c: the failover_pair_id of the -device holding a
 * VF and its standby's mac come back terminated and bounded. */
#include "collectors/qemu_failover.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[64], mac[32];
	int r = qemu_failover_lookup((const char *)data, size, "0000:01:10.0", id, sizeof(id), mac, sizeof(mac));
	if (strnlen(id, sizeof(id)) >= sizeof(id) || strnlen(mac, sizeof(mac)) >= sizeof(mac) || (r == 0 && !id[0]) ||
	    (r != 0 && (id[0] || mac[0])))
		abort();
	return 0;
}
