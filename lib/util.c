#include "lib/util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <ctype.h>

size_t vfs_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = 0;
	}
	return n;
}

char *vfs_chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

/* Length of a valid UTF-8 sequence at p (max avail bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	size_t n;
	unsigned cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) { n = 2; cp = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { n = 3; cp = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { n = 4; cp = p[0] & 0x07; }
	else return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
		return 0; /* overlong, surrogate, out of range, or C1 control */
	return n;
}

char *vfs_sanitize(char *dst, size_t size, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len = strlen(src), o = 0;
	if (!size)
		return dst;
	for (size_t i = 0; i < len && o + 1 < size;) {
		size_t n = utf8_len(p + i, len - i);
		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))
			n = 0;
		if (!n) {
			dst[o++] = '?';
			i++;
			continue;
		}
		if (o + n >= size)
			break;
		memcpy(dst + o, p + i, n);
		o += n;
		i += n;
	}
	dst[o] = 0;
	return dst;
}

char *vfs_sanitize_dup(const char *src)
{
	if (!src)
		return NULL;
	size_t sz = strlen(src) + 1;
	char *d = vfs_xcalloc(1, sz);
	return vfs_sanitize(d, sz, src);
}

bool vfs_is_sane(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(p + i, len - i);
		if (!n || (n == 1 && (p[i] < 0x20 || p[i] == 0x7f)))
			return false;
		i += n;
	}
	return true;
}

int vfs_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
		return -EINVAL;
	if (strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

void vfs_mac_format(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

bool vfs_mac_is_zero(const uint8_t m[6])
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

bool vfs_mac_eq(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

int vfs_parse_i64(const char *s, int base, int64_t *out)
{
	char *end;
	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	long long v = strtoll(s, &end, base);
	if (errno)
		return -ERANGE;
	while (*end == '\n' || *end == ' ')
		end++;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

uint64_t vfs_now_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t vfs_now_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void vfs_fmt_time(uint64_t ns, char out[32])
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03uZ", (unsigned)((ns / 1000000ull) % 1000));
}

void *vfs_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		abort();
	return p;
}

char *vfs_xstrdup(const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

void *vfs_xrealloc(void *p, size_t n, size_t sz)
{
	if (n && sz > SIZE_MAX / n)
		abort();
	size_t bytes = n * sz;
	void *q = realloc(p, bytes ? bytes : 1);
	if (!q)
		abort();
	return q;
}

bool vfs_next_line(const char *text, size_t len, size_t *pos, const char **l, size_t *ll)
{
	if (!text || *pos >= len)
		return false;
	const char *nl = memchr(text + *pos, '\n', len - *pos);
	size_t e = nl ? (size_t)(nl - text) : len;
	*l = text + *pos;
	*ll = e - *pos;
	*pos = e + 1;
	return true;
}

size_t vfs_line_copy(char *dst, size_t size, const char *l, size_t ll)
{
	if (!size)
		return 0;
	ll = MIN(ll, size - 1);
	for (size_t k = 0; k < ll; k++)
		dst[k] = l[k] ? l[k] : ' ';
	dst[ll] = 0;
	return ll;
}
