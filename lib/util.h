/* Small helpers every layer may use: bounded string copies, terminal-safe
 * strings, MAC formatting, monotonic/real time. No I/O policy lives here. */
#ifndef VFS_UTIL_H
#define VFS_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

/* strlcpy semantics: always terminates, returns strlen(src). */
size_t vfs_strlcpy(char *dst, const char *src, size_t size);
/* Strip trailing whitespace/newlines in place; returns s. */
char *vfs_chomp(char *s);
/* Copy src into dst replacing every byte that could drive a terminal
 * (C0, DEL, C1 controls, ESC, invalid UTF-8) with '?'. Keeps valid UTF-8.
 * Returns dst. */
char *vfs_sanitize(char *dst, size_t size, const char *src);
/* Duplicate-and-sanitize; caller frees. NULL in -> NULL out. */
char *vfs_sanitize_dup(const char *src);
bool vfs_is_sane(const char *s);

/* "aa:bb:cc:dd:ee:ff" <-> 6 bytes. parse returns 0 or -EINVAL. */
int vfs_mac_parse(const char *s, uint8_t mac[6]);
void vfs_mac_format(const uint8_t mac[6], char out[18]);
bool vfs_mac_is_zero(const uint8_t mac[6]);
/* Case-insensitive compare of two textual MACs; false if either is NULL. */
bool vfs_mac_eq(const char *a, const char *b);

/* Parse a decimal/hex integer with full-string check. 0 or -EINVAL/-ERANGE. */
int vfs_parse_i64(const char *s, int base, int64_t *out);

uint64_t vfs_now_mono_ns(void);
uint64_t vfs_now_real_ns(void);
/* ISO 8601 UTC with milliseconds, e.g. 2026-11-25T10:00:00.123Z */
void vfs_fmt_time(uint64_t real_ns, char out[32]);

/* Walk a text buffer line by line: the next line of text[*pos..len) in
 * l and ll without its '\n', pos moved past it; false at the end. */
bool vfs_next_line(const char *text, size_t len, size_t *pos, const char **l, size_t *ll);
/* A line as a C string in dst (cut to size - 1), NULs inside turned into
 * spaces (a NUL in the text is not the end of the line); its length. */
size_t vfs_line_copy(char *dst, size_t size, const char *l, size_t ll);

void *vfs_xcalloc(size_t n, size_t sz); /* aborts on OOM */
char *vfs_xstrdup(const char *s);       /* NULL in -> NULL out */
void *vfs_xrealloc(void *p, size_t n, size_t sz);

/* Grow-on-demand array helper: ensures capacity for one more item. */
#define VFS_PUSH(arr, n, cap)                                                  \
	do {                                                                   \
		if ((n) >= (cap)) {                                            \
			(cap) = (cap) ? (cap) * 2 : 8;                         \
			(arr) = vfs_xrealloc((arr), (cap), sizeof(*(arr)));    \
		}                                                              \
	} while (0)

#endif
