#include "lib/strindex.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void strindex_init(struct strindex *x, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n && cap < ((size_t)1 << 40))
		cap <<= 1;
	x->keys = calloc(cap, sizeof(*x->keys));
	x->vals = calloc(cap, sizeof(*x->vals));
	if (!x->keys || !x->vals) {
		free(x->keys);
		free(x->vals);
		x->keys = NULL;
		x->vals = NULL;
		x->mask = 0;
		return;
	}
	x->mask = cap - 1;
}

bool strindex_ok(const struct strindex *x)
{
	return x->keys != NULL;
}

void strindex_put(struct strindex *x, const char *key, int val, bool replace)
{
	if (!x->keys || !key)
		return;
	size_t used = 0;
	for (size_t i = hash(key) & x->mask;; i = (i + 1) & x->mask) {
		if (!x->keys[i]) {
			x->keys[i] = key;
			x->vals[i] = val;
			return;
		}
		if (!strcmp(x->keys[i], key)) {
			if (replace)
				x->vals[i] = val;
			return;
		}
		if (++used > x->mask)
			return; /* full: more keys than init was told of */
	}
}

int strindex_get(const struct strindex *x, const char *key)
{
	if (!x->keys || !key)
		return -1;
	size_t used = 0;
	for (size_t i = hash(key) & x->mask; x->keys[i]; i = (i + 1) & x->mask) {
		if (!strcmp(x->keys[i], key))
			return x->vals[i];
		if (++used > x->mask)
			break;
	}
	return -1;
}

void strindex_free(struct strindex *x)
{
	free(x->keys);
	free(x->vals);
	x->keys = NULL;
	x->vals = NULL;
	x->mask = 0;
}
