/* libFuzzer: the exporter's reading of a client's Accept-Encoding header
 * (export/gzip_body.c gzip_accepted), which any HTTP client controls. */
#include "export/gzip_body.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0; /* libmicrohttpd's request limit is 8 KiB */
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0; /* a header value never holds a NUL: libmicrohttpd ends it there */
	(void)gzip_accepted(s);
	free(s);
	return 0;
}
