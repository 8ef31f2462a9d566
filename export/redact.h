/* Consistent redaction for bundles: every MAC, IPv4/IPv6 address and known
 * host name in a text becomes a stable token (the same original maps to
 * the same token in every file, so correlation by MAC still works).
 * Tokens: MACs 02:00:5e:fe:xx:xx (locally administered, counter), IPv4
 * 198.18.x.y (benchmark net), IPv6 2001:db8:ffff::N, host names host-N.
 * Zero/broadcast MACs, 0.0.0.0, 255.255.255.255, 127/8, :: and ::1 stay. */
#ifndef VFS_REDACT_H
#define VFS_REDACT_H
#include <stddef.h>

struct redact;
struct redact *redact_new(void);
void redact_free(struct redact *r);
/* Reserve an original value so no token ever equals it (call with every
 * MAC/IP the model knows before redacting anything). */
void redact_reserve(struct redact *r, const char *value);
/* Host names (whole words) to replace; ignored if shorter than 2. */
void redact_add_host(struct redact *r, const char *name);
/* Redacted copy of in[0..len) (malloc'd, NUL-terminated; *outlen set). */
char *redact_text(struct redact *r, const char *in, size_t len, size_t *outlen);
/* How many distinct MACs / IPs / hosts were replaced. */
void redact_counts(const struct redact *r, size_t *macs, size_t *ips, size_t *hosts);
#endif
