/* Appends to a fixed text buffer without printf: the decoders' text output
 * (decode prints one line per frame, and formatting was most of its time:
 * vfprintf, its string-stream set-up and strchrnul, issue 17). Same
 * contract as decoders/rd.h's rd_cat: BUF of SIZE bytes, *POS the length so
 * far; a piece that does not fit is cut at SIZE - 1 and the buffer stays
 * NUL-terminated, so a line built piece by piece is byte for byte what one
 * snprintf of the whole line would give. Numbers are plain ASCII digits
 * (printf's %u, %d, %x, %02x: no locale is involved either way). */
#ifndef VFS_TEXTCAT_H
#define VFS_TEXTCAT_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void tc_mem(char *buf, size_t size, size_t *pos, const char *s, size_t n)
{
	if (!size || *pos >= size - 1)
		return;
	size_t room = size - 1 - *pos;
	if (n > room)
		n = room;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = 0;
}

/* For a literal the compiler folds the strlen. */
static inline void tc_str(char *buf, size_t size, size_t *pos, const char *s)
{
	tc_mem(buf, size, pos, s, strlen(s));
}

static inline void tc_chr(char *buf, size_t size, size_t *pos, char c)
{
	tc_mem(buf, size, pos, &c, 1);
}

/* Digits of V in base 10 at the end of T[24]; returns where they start. */
static inline char *tc_utoa(unsigned long long v, char t[24])
{
	char *p = t + 24;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

/* %llu, %u */
static inline void tc_u(char *buf, size_t size, size_t *pos, unsigned long long v)
{
	char t[24], *p = tc_utoa(v, t);
	tc_mem(buf, size, pos, p, (size_t)(t + 24 - p));
}

/* %lld, %d */
static inline void tc_i(char *buf, size_t size, size_t *pos, long long v)
{
	char t[24], *p = tc_utoa(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, t);
	if (v < 0)
		*--p = '-';
	tc_mem(buf, size, pos, p, (size_t)(t + 24 - p));
}

/* %0*llx: lower-case hex, at least WIDTH digits (zero-padded), at least
 * one; WIDTH is at most 16. */
static inline void tc_hex(char *buf, size_t size, size_t *pos, unsigned long long v, int width)
{
	static const char hx[] = "0123456789abcdef";
	char t[24], *p = t + 24;
	do
		*--p = hx[v & 15];
	while (v >>= 4);
	while (t + 24 - p < width && p > t)
		*--p = '0';
	tc_mem(buf, size, pos, p, (size_t)(t + 24 - p));
}

/* %06ld of 0 <= V < 1,000,000 (a pcap timestamp's microseconds); other
 * values as %06lld would print them. */
static inline void tc_u06(char *buf, size_t size, size_t *pos, long long v)
{
	if (v < 0 || v > 999999) {
		char t[24], *p = tc_utoa(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, t);
		while (t + 24 - p < (v < 0 ? 5 : 6))
			*--p = '0';
		if (v < 0)
			*--p = '-';
		tc_mem(buf, size, pos, p, (size_t)(t + 24 - p));
		return;
	}
	char t[6];
	for (int i = 5; i >= 0; i--, v /= 10)
		t[i] = (char)('0' + v % 10);
	tc_mem(buf, size, pos, t, 6);
}

/* aa:bb:cc:dd:ee:ff (vfs_mac_format's form) */
void tc_mac(char *buf, size_t size, size_t *pos, const uint8_t m[6]);
/* a.b.c.d and RFC 5952 IPv6 text, exactly as glibc's inet_ntop writes them. */
void tc_ipv4(char *buf, size_t size, size_t *pos, const uint8_t a[4]);
void tc_ipv6(char *buf, size_t size, size_t *pos, const uint8_t a[16]);
#endif
