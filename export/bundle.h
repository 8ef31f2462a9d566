/* Support bundles (libarchive tar.gz): write one, read one back.
 * Layout and manifest: docs/bundle.md. */
#ifndef VFS_BUNDLE_H
#define VFS_BUNDLE_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

/* Read a bundle (tar.gz as written by bundle_write, or a directory it was
 * extracted to): the machine from snapshot.json with its guests, index
 * links rebuilt; values keep the sources they were collected with.
 * A sos report (archive or directory, collectors/sos.h) is read too. */
struct machine *bundle_load(const char *path, char *err, size_t errlen);

#define BUNDLE_DEFAULT_DURATION_MS 5000
#define BUNDLE_DEFAULT_MAX_BYTES (64u << 20) /* uncompressed bytes of raw files */

struct bundle_opts {
	const char *output;        /* tar.gz path; NULL = vfscope-<host>-<time>.tar.gz */
	/* The correlated model to write (with guests). The raw files are read
	 * from the current root (collectors/root.h), i.e. where m came from.
	 * NULL: bundle_write collects the host itself (no guests). */
	struct machine *m;
	const char *pci_dump;      /* also copied when set */
	const char *ip_link_json;  /* also copied when set */
	unsigned duration_ms;      /* event/capture window; 0 = none */
	size_t max_bytes;          /* size cap; 0 = BUNDLE_DEFAULT_MAX_BYTES */
	bool redact;               /* MACs, IPs, host names -> stable tokens */
	bool model_only;           /* m came from elsewhere (--from): no raw files, no window */
	bool progress;             /* progress lines on stderr */
	int argc;                  /* command line for the manifest */
	char **argv;
	volatile sig_atomic_t *stop; /* set (e.g. by SIGINT): finish what's there, mark partial */
	char *written;             /* optional buffer: the path written */
	size_t written_len;
};

/* Write the bundle. 0 complete, 1 partial (interrupted or size cap: the
 * manifest says so and lists what is missing), or -errno with a one-line
 * reason in err (nothing usable written). */
int bundle_write(const struct bundle_opts *o, char *err, size_t errlen);
#endif
