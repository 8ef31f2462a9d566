/* libFuzzer: the kernel's answer to one RTM_GETLINK by ifindex (RTM_NEWLINK
 * messages, NLMSG_ERROR) merged into a model that has the link asked for
 * (eth0, ifindex 2, a PF) by collectors/link_refresh.c, then linked. */
#include "collectors/link_refresh.h"
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
	vs_set(&n->ifalias, "uplink", SRC_SYSFS);
	machine_add_pf(m, "0000:01:00.0");
	link_refresh_reply(m, buf, size, 2, "eth0");
	machine_link(m);
	link_refresh_alone(m, &m->netdevs[0]);
	machine_free(m);
	free(buf);
	return 0;
}
