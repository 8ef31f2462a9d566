/* See gzip_body.h. */
#include "export/gzip_body.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

int gzip_body_make(struct gzip_body *g, const void *text, size_t len, int level)
{
	memset(g, 0, sizeof(*g));
	z_stream z = { 0 };
	/* raw deflate (-15): the gzip header is ours, the trailer comes per response */
	if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	size_t cap = 10 + deflateBound(&z, (uLong)len) + 16;
	unsigned char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return -ENOMEM;
	}
	/* ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown) */
	static const unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
	memcpy(out, hdr, sizeof(hdr));
	z.next_out = out + 10;
	z.avail_out = (uInt)(cap - 10);
	const unsigned char *in = text;
	size_t left = len;
	int r = Z_OK;
	do { /* avail_in is 32 bits */
		size_t n = left > (1u << 30) ? (1u << 30) : left;
		z.next_in = (unsigned char *)in;
		z.avail_in = (uInt)n;
		r = deflate(&z, n == left ? Z_SYNC_FLUSH : Z_NO_FLUSH);
		in += n - z.avail_in;
		left -= n - z.avail_in;
	} while (r == Z_OK && left);
	if (r != Z_OK || z.avail_in) {
		deflateEnd(&z);
		free(out);
		return -EIO;
	}
	g->data = out;
	g->len = cap - 10 - z.avail_out + 10;
	g->crc = (uint32_t)crc32_z(crc32_z(0, NULL, 0), text, len);
	g->ulen = len;
	deflateEnd(&z);
	return 0;
}

void gzip_body_free(struct gzip_body *g)
{
	free(g->data);
	memset(g, 0, sizeof(*g));
}

static void le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

int gzip_tail_frame(const struct gzip_body *g, const void *tail, size_t tlen, unsigned char hdr[5],
		    unsigned char trl[8])
{
	if (tlen > GZIP_TAIL_MAX)
		return -E2BIG;
	/* BFINAL=1, BTYPE=00 (stored), the rest of the byte padding; LEN, NLEN */
	hdr[0] = 1;
	hdr[1] = (unsigned char)tlen;
	hdr[2] = (unsigned char)(tlen >> 8);
	hdr[3] = (unsigned char)~tlen;
	hdr[4] = (unsigned char)(~tlen >> 8);
	uint32_t tcrc = (uint32_t)crc32_z(crc32_z(0, NULL, 0), tail, tlen);
	le32(trl, (uint32_t)crc32_combine(g->crc, tcrc, (z_off_t)tlen));
	le32(trl + 4, (uint32_t)(g->ulen + tlen)); /* ISIZE: modulo 2^32 */
	return 0;
}

/* q=0, q=0., q=0.0, q=0.00, q=0.000 (RFC 9110 12.4.2), spaces allowed around '=' */
static bool q_zero(const char *p, const char *end)
{
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *e = semi ? semi : end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && (*p == 'q' || *p == 'Q')) {
			const char *v = p + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			if (v < e && *v == '=') {
				v++;
				while (v < e && (*v == ' ' || *v == '\t'))
					v++;
				if (v < e && *v == '0') {
					v++;
					if (v < e && *v == '.')
						for (v++; v < e && *v == '0'; v++)
							;
					while (v < e && (*v == ' ' || *v == '\t'))
						v++;
					return v == e;
				}
				return false;
			}
		}
		p = semi ? semi + 1 : end;
	}
	return false;
}

bool gzip_accepted(const char *ae)
{
	if (!ae)
		return false;
	int gzip = -1, star = -1; /* -1 not named, 0 refused, 1 accepted */
	const char *p = ae;
	while (*p) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		const char *s = p;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		const char *t = s;
		while (t < end && *t != ';' && *t != ' ' && *t != '\t')
			t++;
		size_t n = (size_t)(t - s);
		const char *params = memchr(s, ';', (size_t)(end - s));
		int ok = !(params && q_zero(params + 1, end));
		if ((n == 4 && !strncasecmp(s, "gzip", 4)) || (n == 6 && !strncasecmp(s, "x-gzip", 6)))
			gzip = ok;
		else if (n == 1 && *s == '*')
			star = ok;
		p = comma ? comma + 1 : end;
	}
	return gzip >= 0 ? gzip == 1 : star == 1;
}
