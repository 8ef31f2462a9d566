/* Placeholder: replaced by the bundle reader. */
#include "export/bundle.h"
#include <stdio.h>
struct machine *bundle_load(const char *path, char *err, size_t errlen)
{
	(void)path;
	snprintf(err, errlen, "bundle support not built yet");
	return NULL;
}
