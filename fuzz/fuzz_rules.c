/* libFuzzer: the rules over an untrusted model (a bundle's snapshot, a
 * guest's view): model JSON -> correlate (machine_link of host and guests)
 * -> rules_run -> findings JSON and text. Any document the reader accepts
 * must run through every rule without a crash, leak or hang. */
#include "model/json.h"
#include "rules/rules.h"
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct machine *m = machine_from_text((const char *)data, size, 0, err, sizeof(err));
	if (!m)
		return 0;
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	json_t *j = findings_to_json(&fs);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	free(s);
	json_decref(j);
	(void)findings_count(&fs, 0);
	findings_free(&fs);
	/* The correlated model written back (used_by/backing indexes). */
	j = machine_to_json(m);
	json_decref(j);
	machine_free(m);
	return 0;
}
