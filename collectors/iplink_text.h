/* iproute2's text output of `ip [-s] [-d] link show` and `ip [-d] address
 * show`: what sos reports keep (sos_commands/networking/ip_-s_-d_link,
 * ip_-d_address, namespaces/NS/ip_netns_exec_NS_ip_-d_address_show) and what
 * customers paste. Pure parser over a text buffer, merged into the model
 * like iplink_json.c merges the JSON form; every value gets the caller's
 * source (SRC_SOS for a sos report).
 *
 * VF lines in every form iproute2 has printed them (ip/ipaddress.c
 * print_vfinfo):
 *   before v2.6.34: "vf 0: MAC 00:11:22:33:44:55, vlan 10, qos 2, tx rate 100 (Mbps_"
 *   v2.6.34-v5.2:   "vf 8 MAC 00:00:00:00:00:00, spoof checking on, link-state auto"
 *                   (spoof checking from v3.2, link-state v3.11, trust v4.6, query_rss v4.9)
 *   since v5.3:     "vf 0     link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff, spoof
 *                    checking on, link-state auto, trust off"
 * with the optional clauses vlan N, qos N, vlan protocol 802.1ad, tx rate N
 * (Mbps), max_tx_rate NMbps, min_tx_rate NMbps, spoof checking on|off,
 * NODE_GUID, PORT_GUID, link-state auto|enable|disable, trust on|off,
 * query_rss on|off, and with -s the VF counters ("RX: bytes packets mcast
 * bcast [dropped]" / "TX: bytes packets [dropped]", each header followed by
 * one line of numbers). */
#ifndef VFS_IPLINK_TEXT_H
#define VFS_IPLINK_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define IPLINK_TEXT_MAX_LINKS 8192
#define IPLINK_TEXT_MAX_VFS   4096 /* per PF */

struct iplink_text_stats {
	int links;          /* link header lines merged ("N: NAME: <FLAGS> ...") */
	int vfs;            /* VF lines merged into a PF */
	int vfs_unplaced;   /* VF lines of a link whose PCI address is unknown (no parentdev) */
	int bad;            /* lines not understood */
	int first_bad;      /* line number (1-based) of the first of them, 0 none */
	bool truncated_vfs; /* iproute2 said "Truncated VF list: NAME" */
};

/* Merge the text into m. The PF of a link's VF lines is the link's PCI
 * address: "parentbus pci parentdev ADDR" (iproute2 >= 5.14 with -d) or
 * what m already knew of that netdev (sysfs, ethtool -i bus-info). Returns
 * links merged, or -EBADMSG when non-empty text has no link header at all;
 * st (may be NULL) says what was and was not understood. */
int iplink_text_parse(struct machine *m, const char *text, size_t len, int src, struct iplink_text_stats *st);
#endif
