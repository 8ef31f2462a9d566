/* libFuzzer: the exporter-toolkit web configuration parser (export/webconfig.c). */
#include "export/webconfig.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webconfig wc;
	char err[256];
	if (webconfig_parse((const char *)data, size, &wc, err, sizeof(err)) == 0)
		webconfig_free(&wc);
	return 0;
}
