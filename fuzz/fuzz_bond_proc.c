/* libFuzzer: /proc/net/bonding text parser. */
#include "collectors/bond_proc.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine *m = machine_new("guest");
	struct team *t = machine_add_team(m, "bond0");
	bond_proc_parse((const char *)data, size, t);
	machine_free(m);
	return 0;
}
