/* libFuzzer: a guest agent's or bundle's JSON document (untrusted). */
#include "model/json.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct machine *m = machine_from_text((const char *)data, size, SRC_GUEST, err, sizeof(err));
	if (m) {
		machine_link(m);
		json_t *j = machine_to_json(m);
		json_decref(j);
	}
	machine_free(m);
	return 0;
}
