/* libFuzzer: PowerShell exports as collectors/hyperv.c reads them. Mode
 * byte 0 even: the rest is one or two export files (split at the first
 * "\n--guest--\n": host file, then guest file) read by content, linked,
 * printed and taken through snapshot JSON and back; odd: the rest is an
 * archive (zip/tar) given to --hyperv. Seeds: tests/fuzz/corpus/hyperv/. */
#include "collectors/hyperv.h"
#include "model/hyperv.h"
#include "model/json.h"
#include "model/json_hyperv.h"
#include "model/print.h"
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void files(const uint8_t *d, size_t n)
{
	static const char sep[] = "\n--guest--\n";
	const uint8_t *g = memmem(d, n, sep, sizeof(sep) - 1);
	size_t hn = g ? (size_t)(g - d) : n;
	char err[512];
	struct machine *h = machine_new("host");
	h->hyperv = hv_new(false);
	hyperv_read_file(h, h->hyperv, "Get-Export.json", d, hn, err, sizeof(err));
	if (g) {
		struct machine *gm = machine_new("guest");
		gm->label = strdup("vm");
		gm->hyperv = hv_new(true);
		size_t off = hn + sizeof(sep) - 1;
		hyperv_read_file(gm, gm->hyperv, "guest.json", d + off, n - off, err, sizeof(err));
		hv_mirror(gm);
		machine_add_guest(h, gm);
	}
	hv_link(h);
	FILE *f = fopen("/dev/null", "w");
	if (f) {
		machine_print(f, h);
		fclose(f);
	}
	json_t *j = machine_to_json(h);
	char *t = json_dumps(j, 0);
	json_decref(j);
	if (t) {
		machine_free(machine_from_text(t, strlen(t), 0, err, sizeof(err)));
		free(t);
	}
	machine_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		files(data + 1, size - 1);
		return 0;
	}
	int fd = memfd_create("hyperv", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1)) {
		char path[64], err[512];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		machine_free(hyperv_load(path, err, sizeof(err)));
	}
	close(fd);
	return 0;
}
