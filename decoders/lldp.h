/* IEEE 802.1AB LLDPDU (ethertype 0x88cc): mandatory TLVs, the basic
 * management TLVs and the 802.1 (00-80-c2) / 802.3 (00-12-0f) extensions a
 * bond's peer switch advertises (PVID, link aggregation, MAC/PHY). */
#ifndef VFS_LLDP_H
#define VFS_LLDP_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

struct lldp_info {
	uint8_t chassis_subtype, port_subtype;
	char chassis_id[80], port_id[80];  /* MAC/IP formatted, strings sanitised */
	int ttl;                           /* -1 when absent */
	char port_desc[128], sys_name[128], sys_desc[256];
	bool have_caps;
	uint16_t cap_sys, cap_enabled;
	char mgmt_addr[64];
	int pvid;                          /* 802.1 port VLAN ID, -1 absent */
	bool have_agg;                     /* 802.1 or 802.3 link aggregation */
	uint8_t agg_status;                /* bit0 capable, bit1 enabled */
	uint32_t agg_port;
	bool have_macphy;
	uint8_t autoneg;                   /* bit0 supported, bit1 enabled */
	uint16_t pmd_cap, mau_type;
	unsigned ntlv;
	bool end;                          /* End of LLDPDU seen */
	size_t got;
	const char *why;
};

/* 0 / -ENODATA (partial fields set) / -EBADMSG (mandatory TLV order or
 * length wrong, `why` says which). buf starts after the ethertype. */
int lldp_decode(const uint8_t *buf, size_t len, struct lldp_info *out);
int lldp_format(const struct lldp_info *l, char *buf, size_t len);
json_t *lldp_json(const struct lldp_info *l);
const char *lldp_chassis_subtype_name(uint8_t st);
const char *lldp_port_subtype_name(uint8_t st);
#endif
