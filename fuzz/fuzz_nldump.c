/* libFuzzer: whole RTM_GETLINK dumps as the kernel delivers them, through
 * the dump reader (nl_dump_feed: datagrams, NLMSG_DONE/ERROR, DUMP_INTR,
 * truncation) and the merge into a model that has a PF, and through the
 * link monitor (nl_monitor_parse). Input: datagrams, each prefixed by a
 * 16-bit little-endian length. */
#include "collectors/netlink.h"
#include "collectors/nl_monitor.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static void on_event(const struct vfs_event *ev, void *ctx)
{
	(void)ev;
	(*(int *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_dump d = { 0 };
	nl_dump_init(&d, 0, 0);
	int events = 0;
	struct nl_monitor *mon = nl_monitor_new(NULL, 0, on_event, &events);
	while (size >= 2) {
		size_t n = (size_t)data[0] | (size_t)data[1] << 8;
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		void *dg = malloc(n ? n : 1); /* the kernel's datagrams are aligned */
		memcpy(dg, data, n);
		nl_monitor_parse(mon, dg, n);
		int r = nl_dump_feed(&d, dg, n);
		free(dg);
		data += n;
		size -= n;
		if (r != 0)
			break;
	}
	struct machine *m = machine_new("host");
	struct netdev *nd = machine_add_netdev(m, "eth0");
	vs_set(&nd->pci, "0000:01:00.0", SRC_SYSFS);
	vi_set(&nd->ifindex, 2, SRC_SYSFS);
	machine_add_pf(m, "0000:01:00.0");
	int changed = 0;
	nl_dump_merge(m, &d, &changed);
	machine_link(m);
	machine_free(m);
	nl_dump_free(&d);
	nl_monitor_close(mon);
	return 0;
}
