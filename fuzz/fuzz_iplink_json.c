/* libFuzzer: `ip -d -j link show` output (customer-supplied). */
#include "collectors/iplink_json.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct machine *m = machine_new("host");
	iplink_json_parse(m, (const char *)data, size, err, sizeof(err));
	machine_link(m);
	machine_free(m);
	return 0;
}
