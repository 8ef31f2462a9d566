/* libFuzzer: lacp decoder over arbitrary bytes (what follows the ethertypelacp), then its text and JSON output. */
#include "decoders/lacp.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lacp_info out;
	char buf[1024];
	/* Exactly-sized copy: ASan flags any read past the end. */
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	lacp_decode(b, size, &out);
	lacp_format(&out, buf, sizeof(buf));
	json_decref(lacp_json(&out));
	free(b);
	return 0;
}
