/* Placeholder: replaced by the guest/agent implementation. */
#include "collectors/guest.h"
#include <stdio.h>
struct machine *guest_load(const char *spec, bool is_file, int timeout_ms, char *err, size_t errlen)
{
	(void)spec; (void)is_file; (void)timeout_ms;
	snprintf(err, errlen, "guest support not built yet");
	return NULL;
}
