/* collectors/root.c root_read_bin: the buffer grows with the file (it no
 * longer starts at the caller's maximum), so every size around the growth
 * steps must come back whole and byte-exact, zero after the data, cut at
 * the maximum, from a real file in a --sysroot tree. */
#include "t.h"
#include "collectors/root.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/vfscope-test-root-read.XXXXXX";

static unsigned char byte_at(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 8) + 1); /* never a run of zeros */
}

static void write_file(const char *name, size_t n)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unsigned char *b = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		b[i] = byte_at(i);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, b, n) == (ssize_t)n);
	close(fd);
	free(b);
}

static bool same(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != byte_at(i))
			return false;
	return true;
}

static void test_sizes(void)
{
	CHECK(mkdtemp(dir) != NULL);
	CHECK(!root_set(dir));
	static const size_t sizes[] = { 0, 1, 100, 16383, 16384, 16385, 32768, 32769, 100000, 1 << 20, (1 << 20) + 7 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		write_file("f", n);
		unsigned char *b = NULL;
		/* maximum above, equal to, and below the size */
		ssize_t got = root_read_bin("f", &b, n + 1);
		CHECK_INT(got, n);
		CHECK(b && same(b, n) && b[n] == 0);
		free(b);
		b = NULL;
		got = root_read_bin("f", &b, n ? n : 1);
		CHECK_INT(got, n);
		CHECK(b && same(b, n));
		free(b);
		if (n > 1) {
			b = NULL;
			got = root_read_bin("f", &b, n / 2);
			CHECK_INT(got, n / 2);
			CHECK(b && same(b, n / 2));
			free(b);
		}
		b = NULL;
		got = root_read_bin("f", &b, (8u << 20) + 1); /* what the JSON readers pass */
		CHECK_INT(got, n);
		CHECK(b && same(b, n) && b[n] == 0);
		free(b);
	}
	unsigned char *b = (unsigned char *)"untouched";
	CHECK_INT(root_read_bin("absent", &b, 100), -ENOENT);
	char p[256];
	snprintf(p, sizeof(p), "%s/f", dir);
	unlink(p);
	rmdir(dir);
}

T_MAIN(T(test_sizes))
