/* libFuzzer: lldp decoder over arbitrary bytes (what follows the ethertypelldp), then its text and JSON output. */
#include "decoders/lldp.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lldp_info out;
	char buf[1024];
	/* Exactly-sized copy: ASan flags any read past the end. */
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	lldp_decode(b, size, &out);
	lldp_format(&out, buf, sizeof(buf));
	json_decref(lldp_json(&out));
	free(b);
	return 0;
}
