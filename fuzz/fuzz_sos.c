/* libFuzzer: a sos report archive as a customer sends it (tar.xz/.gz/plain
 * through libarchive, unpacked into a private directory under bounds, then
 * read by collectors/sos.c). The seed is the dev-vm fixture, packed. */
#include "collectors/sos.h"
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("sos", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64], err[256];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (sos_is_report(path))
			machine_free(sos_load(path, err, sizeof(err)));
	}
	close(fd);
	return 0;
}
