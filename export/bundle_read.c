/* Bundle reader: the model comes back from snapshot.json (guests included)
 * exactly as it was collected; the raw files in the bundle are for people
 * and for `--sysroot` on the extracted tree. Untrusted input: entry sizes
 * are bounded (VFS_JSON_MAX_BYTES) and parsing is model/json.c's strict one. */
#include "export/bundle.h"
#include "collectors/frames.h"
#include "collectors/sos.h"
#include "model/json.h"
#include "lib/util.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUNDLE_MAX_ENTRIES 200000 /* headers walked before giving up */
#define BUNDLE_MAX_PCAP (16u << 20)

/* The bundle's control.pcap into the model, unless the writer already did
 * (its snapshot then has the source "capture"): bundles written before
 * vfscope applied its capture. */
static void apply_pcap(struct machine *m, const char *pcap)
{
	char err[256];
	if (machine_source(m, "capture"))
		return;
	frames_read_file(m, pcap, NULL, "capture", "bundle", err, sizeof(err));
}

static void link_all(struct machine *m)
{
	machine_link(m);
	for (size_t i = 0; i < m->nguests; i++)
		link_all(m->guests[i]);
}

static struct machine *from_buf(const char *buf, size_t len, const char *path, char *err, size_t errlen)
{
	char e[400] = "";
	struct machine *m = machine_from_text(buf, len, 0, e, sizeof(e));
	if (!m) {
		snprintf(err, errlen, "%s: snapshot.json: %s", path, e);
		return NULL;
	}
	link_all(m);
	return m;
}

static struct machine *load_dir(const char *path, char *err, size_t errlen)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/snapshot.json", path);
	FILE *f = fopen(p, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s (not a vfscope bundle directory)", p, strerror(errno));
		return NULL;
	}
	char *buf = vfs_xcalloc(1, VFS_JSON_MAX_BYTES + 1);
	size_t n = fread(buf, 1, VFS_JSON_MAX_BYTES + 1, f);
	fclose(f);
	struct machine *m = n > VFS_JSON_MAX_BYTES ? NULL : from_buf(buf, n, path, err, errlen);
	if (n > VFS_JSON_MAX_BYTES)
		snprintf(err, errlen, "%s: larger than %u bytes", p, VFS_JSON_MAX_BYTES);
	free(buf);
	snprintf(p, sizeof(p), "%s/control.pcap", path);
	if (m && !access(p, R_OK))
		apply_pcap(m, p);
	return m;
}

struct machine *bundle_load(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "bundle %s: %s", path, strerror(errno));
		return NULL;
	}
	if (sos_is_report(path)) /* --from takes a sos report too (collectors/sos.c) */
		return sos_load(path, err, errlen);
	if (S_ISDIR(st.st_mode))
		return load_dir(path, err, errlen);
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		snprintf(err, errlen, "bundle %s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	struct archive_entry *e;
	struct machine *m = NULL;
	int r, n = 0;
	char pcap[64] = "";
	bool failed = false;
	snprintf(err, errlen, "bundle %s: no snapshot.json in it", path);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK && n++ < BUNDLE_MAX_ENTRIES) {
		const char *name = archive_entry_pathname(e);
		if (name && !strncmp(name, "./", 2))
			name += 2;
		if (!name || archive_entry_filetype(e) != AE_IFREG)
			continue;
		la_int64_t sz = archive_entry_size(e);
		if (!strcmp(name, "control.pcap") && !pcap[0] && sz > 0 && sz <= BUNDLE_MAX_PCAP) {
			/* libpcap reads files: a private temporary copy */
			snprintf(pcap, sizeof(pcap), "/tmp/vfscope-read-XXXXXX");
			int fd = mkstemp(pcap);
			char *buf = fd >= 0 ? vfs_xcalloc(1, (size_t)sz) : NULL;
			if (fd < 0 || archive_read_data(a, buf, (size_t)sz) != sz ||
			    write(fd, buf, (size_t)sz) != (ssize_t)sz) {
				if (fd >= 0)
					unlink(pcap);
				pcap[0] = 0;
			}
			if (fd >= 0)
				close(fd);
			free(buf);
			if (m)
				break;
			continue;
		}
		if (strcmp(name, "snapshot.json") || m || failed)
			continue;
		if (sz < 0 || sz > VFS_JSON_MAX_BYTES) {
			snprintf(err, errlen, "bundle %s: snapshot.json larger than %u bytes", path, VFS_JSON_MAX_BYTES);
			failed = true;
			break;
		}
		char *buf = vfs_xcalloc(1, (size_t)sz + 1);
		la_ssize_t got = archive_read_data(a, buf, (size_t)sz);
		if (got != sz)
			snprintf(err, errlen, "bundle %s: snapshot.json: %s", path,
				 got < 0 ? archive_error_string(a) : "truncated");
		else
			m = from_buf(buf, (size_t)got, path, err, errlen);
		free(buf);
		if (!m || pcap[0])
			break;
	}
	if (m && pcap[0])
		apply_pcap(m, pcap);
	if (pcap[0])
		unlink(pcap);
	if (r != ARCHIVE_OK && r != ARCHIVE_EOF && !m)
		snprintf(err, errlen, "bundle %s: %s", path, archive_error_string(a));
	archive_read_free(a);
	return m;
}
