/* export/gzip_body.c: a body gzipped once plus a per-response tail in a
 * stored block is one valid gzip stream (zlib's own inflate checks the
 * CRC-32 and the size), and the Accept-Encoding reading of RFC 9110. */
#include "t.h"
#include "export/gzip_body.h"
#include <errno.h>
#include <zlib.h>

/* inflate body + hdr + tail + trl with gzip framing (windowBits 31):
 * Z_STREAM_END only when the trailer's CRC and ISIZE match */
static int gunzip(const struct gzip_body *g, const char *tail, size_t tl, char *out, size_t cap, size_t *outlen)
{
	unsigned char hdr[5], trl[8];
	if (gzip_tail_frame(g, tail, tl, hdr, trl))
		return -1;
	size_t n = g->len + 5 + tl + 8;
	unsigned char *all = malloc(n);
	memcpy(all, g->data, g->len);
	memcpy(all + g->len, hdr, 5);
	memcpy(all + g->len + 5, tail, tl);
	memcpy(all + g->len + 5 + tl, trl, 8);
	z_stream z = { 0 };
	inflateInit2(&z, 31);
	z.next_in = all;
	z.avail_in = (uInt)n;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)cap;
	int r = inflate(&z, Z_FINISH);
	*outlen = cap - z.avail_out;
	int left = (int)z.avail_in;
	inflateEnd(&z);
	free(all);
	return r == Z_STREAM_END && !left ? 0 : -1;
}

static void test_roundtrip(void)
{
	size_t blen = 300000;
	char *body = malloc(blen);
	for (size_t i = 0; i < blen; i++) /* exposition-like: repetitive text with varying numbers */
		body[i] = (i % 61 == 60) ? '\n' : "vfscope_vf_info{pf=\"eth0\",vf=\"0123456789\"} 1 "[i % 45];
	size_t tlens[] = { 0, 1, 37, 4096, GZIP_TAIL_MAX };
	char *tail = malloc(GZIP_TAIL_MAX);
	for (size_t i = 0; i < GZIP_TAIL_MAX; i++)
		tail[i] = (char)('a' + i % 26);
	struct gzip_body g;
	CHECK_INT(gzip_body_make(&g, body, blen, 1), 0);
	CHECK(g.len < blen / 4);
	char *out = malloc(blen + GZIP_TAIL_MAX + 1);
	for (size_t k = 0; k < sizeof(tlens) / sizeof(tlens[0]); k++) {
		size_t ol = 0;
		CHECK_INT(gunzip(&g, tail, tlens[k], out, blen + GZIP_TAIL_MAX + 1, &ol), 0);
		CHECK_INT(ol, blen + tlens[k]);
		CHECK(!memcmp(out, body, blen) && !memcmp(out + blen, tail, tlens[k]));
	}
	unsigned char h[5], t[8];
	CHECK_INT(gzip_tail_frame(&g, tail, GZIP_TAIL_MAX + 1, h, t), -E2BIG);
	/* a wrong trailer must be refused by inflate: the CRC is really checked */
	unsigned char hdr[5], trl[8];
	gzip_tail_frame(&g, "x", 1, hdr, trl);
	gzip_tail_frame(&g, "y", 1, h, t);
	CHECK(memcmp(trl, t, 4) != 0);
	gzip_body_free(&g);
	/* an empty body */
	CHECK_INT(gzip_body_make(&g, "", 0, 1), 0);
	size_t ol = 1;
	CHECK_INT(gunzip(&g, "tail\n", 5, out, 16, &ol), 0);
	CHECK_INT(ol, 5);
	CHECK(!memcmp(out, "tail\n", 5));
	gzip_body_free(&g);
	free(body);
	free(tail);
	free(out);
}

static void test_accept(void)
{
	CHECK(gzip_accepted("gzip"));
	CHECK(gzip_accepted("gzip, deflate, br")); /* curl, browsers */
	CHECK(gzip_accepted("GZIP"));
	CHECK(gzip_accepted("deflate, x-gzip"));
	CHECK(gzip_accepted("gzip;q=0.5"));
	CHECK(gzip_accepted("gzip; q=1"));
	CHECK(gzip_accepted("*"));
	CHECK(gzip_accepted("identity, *;q=0.1"));
	CHECK(gzip_accepted("gzip;q=0.001"));
	CHECK(!gzip_accepted(NULL));
	CHECK(!gzip_accepted(""));
	CHECK(!gzip_accepted("identity"));
	CHECK(!gzip_accepted("deflate, br"));
	CHECK(!gzip_accepted("gzip;q=0"));
	CHECK(!gzip_accepted("gzip; q = 0.000"));
	CHECK(!gzip_accepted("gzip;q=0, *"));      /* gzip named and refused: '*' does not bring it back */
	CHECK(!gzip_accepted("*;q=0"));
	CHECK(!gzip_accepted("gzipx, xgzip"));
	CHECK(!gzip_accepted("gzip;level=1;q=0"));
}

T_MAIN(T(test_roundtrip), T(test_accept))
