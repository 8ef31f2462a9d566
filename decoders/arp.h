/* ARP over Ethernet for IPv4 (RFC 826), with gratuitous/announcement and
 * probe detection (RFC 5227): what a bond sends after a failover. */
#ifndef VFS_ARP_H
#define VFS_ARP_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

struct arp_info {
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;
	bool have_addrs;             /* the 20 address bytes were read */
	uint8_t sha[6], tha[6], spa[4], tpa[4];
	bool gratuitous;             /* sender IP == target IP, non-zero */
	bool probe;                  /* request from 0.0.0.0 */
	size_t got;
	const char *why;
};

/* buf starts after the ethertype. 0 / -ENODATA / -EBADMSG (not
 * Ethernet+IPv4 sizes, `why` says). */
int arp_decode(const uint8_t *buf, size_t len, struct arp_info *out);
int arp_format(const struct arp_info *a, char *buf, size_t len);
json_t *arp_json(const struct arp_info *a);
#endif
