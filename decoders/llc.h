/* IEEE 802.3 frames whose type/length field is a length (< 0x0600): the
 * 802.2 LLC header (DSAP, SSAP, control), a SNAP header (OUI + protocol ID)
 * when DSAP/SSAP are 0xaa, and the name of what they carry: spanning tree
 * BPDUs (LLC 0x42/0x42; Cisco PVST+ over SNAP 00:00:0c/0x010b, with the BPDU
 * header's version and type), CDP, VTP, DTP, UDLD, PAgP (Cisco SNAP PIDs),
 * Novell raw 802.3 (0xffff, no LLC). Only named, never decoded further: a
 * bond's failover depends on none of them, but a reader must see what they
 * are instead of a bogus "ethertype". Pure: bytes after the length field. */
#ifndef VFS_LLC_H
#define VFS_LLC_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

enum llc_proto {
	LLC_P_NONE = 0, /* not recognised */
	LLC_P_STP,      /* IEEE 802.1D/w/s BPDU over LLC 0x42 */
	LLC_P_PVST,     /* Cisco PVST+ / Rapid PVST+ BPDU over SNAP */
	LLC_P_CDP,
	LLC_P_VTP,
	LLC_P_DTP,
	LLC_P_UDLD,
	LLC_P_PAGP,
	LLC_P_IPX_RAW,  /* Novell "raw 802.3": IPX checksum 0xffff, no LLC */
	LLC_P_IPX,      /* LLC SAP 0xe0 */
	LLC_P_NETBIOS,  /* LLC SAP 0xf0 */
	LLC_P_ISO,      /* LLC SAP 0xfe: OSI network layer (IS-IS, ES-IS, CLNP) */
	LLC_P_ISL,      /* Cisco ISL: to 01:00:0c:00:00:0x, its header reads as SNAP
			 * 00:00:0c with the VLAN (15 bits) and BPDU bit as the PID */
};

struct llc_info {
	uint16_t length;      /* the 802.3 length field */
	bool have_llc;        /* DSAP, SSAP and the whole control field read */
	uint8_t dsap, ssap;
	uint16_t control;     /* 1 byte (U format) or 2 bytes (I, S format) */
	uint8_t control_len;
	bool have_snap;
	uint8_t oui[3];
	uint16_t pid;
	bool have_bpdu;       /* BPDU protocol id, version and type read */
	uint16_t bpdu_proto;
	uint8_t bpdu_version, bpdu_type;
	enum llc_proto proto;
	uint16_t isl_vlan;    /* LLC_P_ISL */
	bool isl_bpdu;
	size_t got;           /* bytes decoded after the length field */
	const char *why;      /* set on -EBADMSG */
};

/* buf/len: the bytes after the length field, as captured (padding
 * included). Reads at most `length` of them. 0; -ENODATA when the frame
 * ends before its length (or before a header that must be there: what was
 * read is set, `got` says how far); -EBADMSG when the length cannot hold an
 * LLC header (`why`). */
int llc_decode(uint16_t length, const uint8_t *buf, size_t len, struct llc_info *out);
/* An LLC/SNAP frame sent to ISL's multicast address (01:00:0c:00:00, low 4
 * bits of the 6th byte the encapsulated type) is Cisco ISL: renames it. */
void llc_isl(const uint8_t dst[6], struct llc_info *l);
/* "stp", "cdp", ... or NULL (not recognised). */
const char *llc_proto_name(enum llc_proto p);
/* "config", "tcn", "rst", "mst", "spt" or NULL: the BPDU type and version. */
const char *llc_bpdu_name(const struct llc_info *l);
int llc_format(const struct llc_info *l, char *buf, size_t len);
json_t *llc_json(const struct llc_info *l);
#endif
