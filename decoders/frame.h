/* Ethernet II + 802.1Q/802.1ad dispatch to the control-frame decoders a
 * bond failover depends on: LACP/Marker, LLDP, ARP, IPv6 NA; an 802.3
 * frame (type/length below 0x0600 is a length) goes to the LLC/SNAP
 * decoder, which names it (STP, CDP, ...) without decoding it. */
#ifndef VFS_FRAME_H
#define VFS_FRAME_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>
#include "decoders/lacp.h"
#include "decoders/lldp.h"
#include "decoders/arp.h"
#include "decoders/ndisc.h"
#include "decoders/llc.h"

enum frame_kind { FRAME_OTHER, FRAME_LACP, FRAME_MARKER, FRAME_LLDP, FRAME_ARP, FRAME_NA, FRAME_LLC };

struct frame_info {
	bool have_eth;
	uint8_t dst[6], src[6];
	int vlan[2];               /* outer, inner VID; -1 absent */
	uint16_t ethertype;        /* after VLAN tags; 0 if not read or not an ethertype (< 0x0600) */
	uint16_t type_length;      /* the raw type/length field after the tags (ethertype or length) */
	enum frame_kind kind;
	int rc;                    /* what the protocol decoder returned */
	size_t l3off;              /* where the protocol payload starts */
	size_t got;                /* bytes of the frame decoded */
	const char *why;           /* -EBADMSG reason */
	union {
		struct lacp_info lacp; /* FRAME_LACP, FRAME_MARKER */
		struct lldp_info lldp;
		struct arp_info arp;
		struct ndisc_na na;
		struct llc_info llc;   /* FRAME_LLC: 802.3 length frames */
	} u;
};

/* 0, -ENODATA (frame cut short; what was read is filled in and `got` says
 * how far), -EBADMSG (malformed; `why`). Non-control frames: 0 and
 * FRAME_OTHER; 802.3 length frames: FRAME_LLC (u.llc). */
int frame_decode(const uint8_t *buf, size_t len, struct frame_info *out);
const char *frame_kind_name(enum frame_kind k);
int frame_format(const struct frame_info *f, char *buf, size_t len);
json_t *frame_json(const struct frame_info *f);
#endif
