/* A string -> index table for one pass over a model (machine_link): the
 * keys are pointers into the caller's data, not copied, so the table lives
 * no longer than the strings it was filled from. Open addressing, sized
 * once for the number of keys, so a lookup is O(1) where a scan of
 * thousands of netdevs was O(n). */
#ifndef VFS_STRINDEX_H
#define VFS_STRINDEX_H
#include <stdbool.h>
#include <stddef.h>

struct strindex {
	const char **keys;
	int *vals;
	size_t mask; /* capacity - 1, a power of two; keys NULL: empty table */
};

/* Room for up to n keys. An allocation failure leaves an empty table
 * (every lookup answers -1, every put is dropped): callers fall back. */
void strindex_init(struct strindex *x, size_t n);
/* key -> val; a key already there keeps its value unless replace. NULL
 * keys are ignored. */
void strindex_put(struct strindex *x, const char *key, int val, bool replace);
/* The value of key, or -1. */
int strindex_get(const struct strindex *x, const char *key);
bool strindex_ok(const struct strindex *x); /* false: init failed */
void strindex_free(struct strindex *x);

#endif
