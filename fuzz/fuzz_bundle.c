/* libFuzzer: a support bundle as a customer sends it (tar.gz through
 * libarchive, then snapshot.json through the strict model reader). */
#define _GNU_SOURCE
#include "export/bundle.h"
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("bundle", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64], err[256];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		struct machine *m = bundle_load(path, err, sizeof(err));
		machine_free(m);
	}
	close(fd);
	return 0;
}
