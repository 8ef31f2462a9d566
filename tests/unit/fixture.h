/* A test's fixture machine: the text snapshot at PATH (a lab capture or a
 * rules fixture) read into a model; NULL, with the reason on stderr, when
 * it cannot be opened or parsed. */
#ifndef VFS_T_FIXTURE_H
#define VFS_T_FIXTURE_H
#include "model/json.h"
#include <stdio.h>

static struct machine *t_load_machine(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	char err[256];
	struct machine *m = machine_from_text(buf, n, 0, err, sizeof(err));
	if (!m)
		fprintf(stderr, "%s: %s\n", path, err);
	return m;
}
#endif
