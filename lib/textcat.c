#include "lib/textcat.h"

static const char hexd[] = "0123456789abcdef";

void tc_mac(char *buf, size_t size, size_t *pos, const uint8_t m[6])
{
	char t[17];
	for (int i = 0; i < 6; i++) {
		t[i * 3] = hexd[m[i] >> 4];
		t[i * 3 + 1] = hexd[m[i] & 15];
		if (i < 5)
			t[i * 3 + 2] = ':';
	}
	tc_mem(buf, size, pos, t, sizeof(t));
}

static size_t ipv4_text(char *t, const uint8_t a[4])
{
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (i)
			t[n++] = '.';
		if (v >= 100)
			t[n++] = (char)('0' + v / 100);
		if (v >= 10)
			t[n++] = (char)('0' + v / 10 % 10);
		t[n++] = (char)('0' + v % 10);
	}
	return n;
}

void tc_ipv4(char *buf, size_t size, size_t *pos, const uint8_t a[4])
{
	char t[16];
	tc_mem(buf, size, pos, t, ipv4_text(t, a));
}

/* glibc's inet_ntop6 rules: the longest run of two or more zero words
 * (the first of equal ones) becomes "::"; words in lower-case hex without
 * leading zeros; ::a.b.c.d and ::ffff:a.b.c.d keep the IPv4 tail dotted. */
void tc_ipv6(char *buf, size_t size, size_t *pos, const uint8_t a[16])
{
	unsigned w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	int best = -1, bestlen = 0, cur = -1, curlen = 0;
	for (int i = 0; i < 8; i++) {
		if (!w[i]) {
			if (cur < 0)
				cur = i, curlen = 1;
			else
				curlen++;
		} else if (cur >= 0) {
			if (best < 0 || curlen > bestlen)
				best = cur, bestlen = curlen;
			cur = -1;
		}
	}
	if (cur >= 0 && (best < 0 || curlen > bestlen))
		best = cur, bestlen = curlen;
	if (best >= 0 && bestlen < 2)
		best = -1;
	char t[48];
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + bestlen) {
			if (i == best)
				t[n++] = ':';
			continue;
		}
		if (i)
			t[n++] = ':';
		if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
			n += ipv4_text(t + n, a + 12);
			break;
		}
		int sh = w[i] >= 0x1000 ? 12 : w[i] >= 0x100 ? 8 : w[i] >= 0x10 ? 4 : 0;
		for (; sh >= 0; sh -= 4)
			t[n++] = hexd[(w[i] >> sh) & 15];
	}
	if (best >= 0 && best + bestlen == 8)
		t[n++] = ':';
	tc_mem(buf, size, pos, t, n);
}
