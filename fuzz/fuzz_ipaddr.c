/* libFuzzer: `ip -j addr show` and `ip -j route show` output (a tree's
 * ip-addr.json / ip-route.json, collectors/ipaddr.c). The input is read as
 * both, on a machine with netdevs eth0/eth1 so that names match. */
#include "collectors/ipaddr.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine *m = machine_new("host");
	const char *names[] = { "eth0", "eth1" };
	for (int i = 0; i < 2; i++) {
		struct netdev *n = machine_add_netdev(m, names[i]);
		vi_set(&n->ifindex, i + 2, SRC_SYSFS);
	}
	ipaddr_json_parse(m, (const char *)data, size, SRC_NETLINK);
	iproute_json_parse(m, (const char *)data, size, SRC_NETLINK);
	machine_link(m);
	machine_free(m);
	return 0;
}
