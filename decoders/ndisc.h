/* IPv6 Neighbour Advertisement (RFC 4861 4.4): ICMPv6 type 136 in an IPv6
 * packet without extension headers, flags R/S/O, target and the target
 * link-layer address option. Unsolicited = S clear (what a bond sends after
 * failover, like a gratuitous ARP). */
#ifndef VFS_NDISC_H
#define VFS_NDISC_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

#define NDISC_NA_R 0x80
#define NDISC_NA_S 0x40
#define NDISC_NA_O 0x20

struct ndisc_na {
	uint8_t src[16], dst[16];
	uint8_t hop_limit;
	bool have_ip;
	bool have_na;            /* flags + target read */
	uint8_t flags;
	uint8_t target[16];
	bool have_tlla;
	uint8_t tlla[6];
	bool unsolicited;
	size_t got;
	const char *why;
};

/* buf starts at the IPv6 header. 0; -ENOENT when it is IPv6 but not an NA
 * (another next header or ICMPv6 type); -ENODATA short; -EBADMSG bad option
 * length or code. */
int ndisc_decode(const uint8_t *buf, size_t len, struct ndisc_na *out);
int ndisc_format(const struct ndisc_na *n, char *buf, size_t len);
json_t *ndisc_json(const struct ndisc_na *n);
#endif
