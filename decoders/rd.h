/* Bounded reads shared by the frame decoders (netdissect's ND_TCHECK in
 * spirit): every read names the offset and first checks that the bytes are
 * there; callers bail out with -ENODATA and report `off` as how far they got. */
#ifndef VFS_DEC_RD_H
#define VFS_DEC_RD_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

static inline bool rd_has(size_t len, size_t off, size_t n) { return off <= len && len - off >= n; }
static inline uint8_t rd_u8(const uint8_t *b, size_t o) { return b[o]; }
static inline uint16_t rd_be16(const uint8_t *b, size_t o) { return (uint16_t)(b[o] << 8 | b[o + 1]); }
static inline uint32_t rd_be32(const uint8_t *b, size_t o)
{
	return (uint32_t)b[o] << 24 | (uint32_t)b[o + 1] << 16 | (uint32_t)b[o + 2] << 8 | b[o + 3];
}
/* Append to a fixed text buffer without overflowing; keeps it terminated. */
#include <stdarg.h>
#include <stdio.h>
static inline void rd_cat(char *buf, size_t size, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void rd_cat(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
	if (!size || *pos >= size - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *pos, size - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos = (*pos + (size_t)n < size - 1 ? *pos + (size_t)n : size - 1);
}
#endif
