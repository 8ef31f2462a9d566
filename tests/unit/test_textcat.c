/* lib/textcat against what it replaces: snprintf with the same conversion,
 * rd_cat's cut at SIZE - 1, vfs_mac_format and glibc's inet_ntop, on
 * edge values and on pseudo-random ones (fixed seed). */
#include "t.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include "decoders/rd.h"
#include <arpa/inet.h>
#include <limits.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_numbers(void)
{
	static const long long iv[] = { 0, 1, -1, 9, 10, 99, 100, 65535, 65536, INT_MAX, INT_MIN,
					LLONG_MAX, LLONG_MIN, 999999, 1000000, -99999, -100000 };
	char a[64], b[64];
	int bad = 0;
	for (size_t k = 0; k < ARRAY_SIZE(iv) + 2000; k++) {
		long long v = k < ARRAY_SIZE(iv) ? iv[k] : (long long)rnd() >> (rnd() % 64);
		size_t pos = 0;
		tc_i(a, sizeof(a), &pos, v);
		snprintf(b, sizeof(b), "%lld", v);
		bad += strcmp(a, b) != 0 || pos != strlen(b);
		pos = 0;
		tc_u(a, sizeof(a), &pos, (unsigned long long)v);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
		bad += strcmp(a, b) != 0;
		for (int w = 0; w <= 4; w++) {
			pos = 0;
			tc_hex(a, sizeof(a), &pos, (unsigned long long)v, w);
			snprintf(b, sizeof(b), "%0*llx", w, (unsigned long long)v);
			bad += strcmp(a, b) != 0;
		}
		pos = 0;
		tc_u06(a, sizeof(a), &pos, v);
		snprintf(b, sizeof(b), "%06lld", v);
		bad += strcmp(a, b) != 0;
	}
	CHECK_INT(bad, 0);
}

static void test_addresses(void)
{
	char a[64], b[64];
	int bad = 0;
	for (int k = 0; k < 20000; k++) {
		uint8_t x[16];
		/* mostly zero words, so every "::" placement and the IPv4
		 * forms (::a.b.c.d, ::ffff:a.b.c.d) come up */
		for (int i = 0; i < 8; i++) {
			unsigned r = (unsigned)rnd();
			unsigned w = r % 3 ? 0 : r % 5 == 0 ? 0xffff : (unsigned)(rnd() >> (rnd() % 16)) & 0xffff;
			x[2 * i] = (uint8_t)(w >> 8);
			x[2 * i + 1] = (uint8_t)w;
		}
		if (k % 7 == 0)
			for (int i = 12; i < 16; i++)
				x[i] = (uint8_t)rnd();
		size_t pos = 0;
		tc_ipv6(a, sizeof(a), &pos, x);
		inet_ntop(AF_INET6, x, b, sizeof(b));
		if (strcmp(a, b)) {
			if (bad++ < 5)
				fprintf(stderr, "ipv6 %s != %s\n", a, b);
		}
		pos = 0;
		tc_ipv4(a, sizeof(a), &pos, x + 12);
		inet_ntop(AF_INET, x + 12, b, sizeof(b));
		bad += strcmp(a, b) != 0;
		pos = 0;
		tc_mac(a, sizeof(a), &pos, x + 3);
		vfs_mac_format(x + 3, b);
		bad += strcmp(a, b) != 0;
	}
	CHECK_INT(bad, 0);
	static const uint8_t v4m[16] = { [10] = 0xff, [11] = 0xff, [12] = 192, [13] = 0, [14] = 2, [15] = 1 };
	size_t pos = 0;
	tc_ipv6(a, sizeof(a), &pos, v4m);
	CHECK_STR(a, "::ffff:192.0.2.1");
}

/* A line built piece by piece is cut exactly where one rd_cat of the
 * whole line would cut it, at every buffer size. */
static void test_cut(void)
{
	int bad = 0;
	for (size_t size = 0; size < 40; size++) {
		char a[40], b[40];
		memset(a, 'x', sizeof(a));
		memset(b, 'x', sizeof(b));
		size_t pa = 0, pb = 0;
		tc_str(a, size, &pa, "LACPv");
		tc_u(a, size, &pa, 1);
		tc_str(a, size, &pa, " state 0x");
		tc_hex(a, size, &pa, 0x3d, 2);
		tc_chr(a, size, &pa, ' ');
		static const uint8_t m[6] = { 2, 0, 0, 0, 0, 0xab };
		tc_mac(a, size, &pa, m);
		rd_cat(b, size, &pb, "LACPv%u state 0x%02x %s", 1, 0x3d, "02:00:00:00:00:ab");
		bad += pa != pb || (size && memcmp(a, b, pa + 1)) || (!size && a[0] != 'x');
	}
	CHECK_INT(bad, 0);
}

T_MAIN(T(test_numbers), T(test_addresses), T(test_cut))
