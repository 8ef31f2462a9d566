/* libFuzzer: iproute2 link text (`ip -s -d link`, `ip -d address`: sos
 * reports, pasted output), and the sos reader's other small text parsers on
 * the same bytes (`ethtool -i`, `devlink port show`, lspci's "Kernel driver in use"). A netdev with a PCI
 * address is known up front, as a sos report's ethtool -i would make it, so
 * that VF lines of links without parentdev are placed too. */
#include "collectors/ethtool_text.h"
#include "collectors/iplink_text.h"
#include "collectors/sos.h"
#include "lib/util.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine *m = machine_new("host");
	struct netdev *n = machine_add_netdev(m, "eth0");
	vs_set(&n->pci, "0000:01:00.0", SRC_SOS);
	struct iplink_text_stats st;
	iplink_text_parse(m, (const char *)data, size, SRC_SOS, &st);
	sos_devlink_ports_parse(m, (const char *)data, size, SRC_SOS);
	sos_lspci_drivers_parse(m, (const char *)data, size, SRC_SOS);
	machine_link(m);
	machine_free(m);
	struct ethtool_info ei;
	ethtool_info_parse((const char *)data, size, &ei);
	return 0;
}
