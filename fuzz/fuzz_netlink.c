/* libFuzzer: one RTM_NEWLINK message (attributes, nests, VF info, bond and
 * bond-slave data) parsed into a model that already has a PF. */
#include "collectors/netlink.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* netlink messages are 4-byte aligned in the kernel's buffers. */
	void *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct machine *m = machine_new("host");
	struct netdev *n = machine_add_netdev(m, "eth0");
	vs_set(&n->pci, "0000:01:00.0", SRC_SYSFS);
	vi_set(&n->ifindex, 2, SRC_SYSFS);
	machine_add_pf(m, "0000:01:00.0");
	netlink_parse_link(m, buf, size);
	machine_link(m);
	machine_free(m);
	free(buf);
	return 0;
}
