/* IEEE 802.1AX slow protocols (ethertype 0x8809): LACPDU (subtype 1) and
 * Marker PDU (subtype 2). Pure: bytes after the ethertype in, struct out. */
#ifndef VFS_LACP_H
#define VFS_LACP_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

#define LACP_ST_ACTIVITY     0x01
#define LACP_ST_TIMEOUT      0x02 /* short timeout */
#define LACP_ST_AGGREGATION  0x04
#define LACP_ST_SYNC         0x08
#define LACP_ST_COLLECTING   0x10
#define LACP_ST_DISTRIBUTING 0x20
#define LACP_ST_DEFAULTED    0x40
#define LACP_ST_EXPIRED      0x80

struct lacp_port {
	bool valid; /* the whole 20-byte TLV was read */
	uint16_t sys_prio;
	uint8_t sys[6];
	uint16_t key, port_prio, port;
	uint8_t state;
};

struct lacp_info {
	uint8_t subtype, version;      /* 1 LACP, 2 Marker */
	struct lacp_port actor, partner;
	bool have_collector;
	uint16_t collector_max_delay;
	/* Marker PDU */
	bool have_marker;
	uint8_t marker_tlv;            /* 1 information, 2 response */
	uint16_t marker_port;
	uint8_t marker_sys[6];
	uint32_t marker_xid;
	size_t got;                    /* bytes decoded */
	const char *why;               /* set on -EBADMSG */
};

/* 0, -ENODATA (short: fields read so far are set, `got` says how far),
 * -EBADMSG (bad subtype/TLV), -ENOENT (other slow protocol, e.g. OAM). */
int lacp_decode(const uint8_t *buf, size_t len, struct lacp_info *out);
/* "Activity,Timeout,Aggregation,..." or "-" when no bit is set. */
void lacp_state_format(uint8_t state, char *buf, size_t len);
int lacp_format(const struct lacp_info *l, char *buf, size_t len);
json_t *lacp_json(const struct lacp_info *l);
#endif
