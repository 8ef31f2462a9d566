/* libFuzzer: ndisc decoder over arbitrary bytes (what follows the IPv6 header), then its text and JSON output. */
#include "decoders/ndisc.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndisc_na out;
	char buf[1024];
	/* Exactly-sized copy: ASan flags any read past the end. */
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	ndisc_decode(b, size, &out);
	ndisc_format(&out, buf, sizeof(buf));
	json_decref(ndisc_json(&out));
	free(b);
	return 0;
}
