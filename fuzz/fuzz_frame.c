/* libFuzzer: Ethernet/VLAN dispatch into every control-frame decoder. */
#include "decoders/frame.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct frame_info f;
	char buf[2048];
	uint8_t *b = malloc(size ? size : 1);
	memcpy(b, data, size);
	frame_decode(b, size, &f);
	frame_format(&f, buf, sizeof(buf));
	json_decref(frame_json(&f));
	free(b);
	return 0;
}
