/* A gzip response made of a body compressed once and a short tail that
 * changes with every response (a scrape's age, connection counters).
 *
 * The body is deflated once (raw deflate behind a gzip header, ended by a
 * sync flush: byte-aligned, not final) and shared by every response; each
 * response appends its tail as one final stored block (RFC 1951 3.2.4)
 * and the gzip trailer (RFC 1952: CRC-32 and size of the whole text, the
 * CRC combined from the body's and the tail's). Nothing is compressed
 * per response. */
#ifndef VFS_GZIP_BODY_H
#define VFS_GZIP_BODY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gzip_body {
	unsigned char *data; /* gzip header + deflate blocks, not final */
	size_t len;
	uint32_t crc;        /* CRC-32 of the uncompressed body */
	uint64_t ulen;       /* its length */
};

/* 0, or -ENOMEM / -EIO (zlib refused); g is empty on failure. */
int gzip_body_make(struct gzip_body *g, const void *text, size_t len, int level);
void gzip_body_free(struct gzip_body *g);

/* The largest tail one stored block carries. */
#define GZIP_TAIL_MAX 65535u
/* The stored block's 5-byte header and the 8-byte trailer for a response
 * of g's body followed by tail (tlen <= GZIP_TAIL_MAX): send g->data, hdr,
 * tail, trl. -E2BIG when the tail is too long. */
int gzip_tail_frame(const struct gzip_body *g, const void *tail, size_t tlen, unsigned char hdr[5],
		    unsigned char trl[8]);

/* An Accept-Encoding header value (RFC 9110 12.5.3): true when it accepts
 * gzip (the token "gzip", "x-gzip" or "*" with a q-value above 0, and
 * gzip not refused with q=0). NULL: false. */
bool gzip_accepted(const char *accept_encoding);
#endif
