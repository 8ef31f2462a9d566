/* libFuzzer: mailbox decoder. Byte 0 picks driver (bits 0-1) and direction
 * (bit 2); the rest are little-endian words. */
#include "decoders/mbx.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const drv[] = { "igb", "ixgbe", "virtchnl", "i40e" };
	if (!size)
		return 0;
	size_t nw = (size - 1) / 4;
	uint32_t *w = malloc((nw ? nw : 1) * sizeof(*w));
	for (size_t i = 0; i < nw; i++)
		w[i] = (uint32_t)data[1 + 4 * i] | (uint32_t)data[2 + 4 * i] << 8 |
		       (uint32_t)data[3 + 4 * i] << 16 | (uint32_t)data[4 + 4 * i] << 24;
	struct mbx_msg m;
	char buf[512];
	mbx_decode(drv[data[0] & 3], w, nw, (data[0] >> 2) & 1, &m);
	mbx_format(&m, buf, sizeof(buf));
	json_decref(mbx_json(&m));
	free(w);
	return 0;
}
