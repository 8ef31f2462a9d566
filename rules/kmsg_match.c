/* Kernel log patterns from igb/ixgbe/i40e/ice/iavf/igbvf/ixgbevf and
 * bonding, matched as plain substrings (the messages are stable across
 * releases; format arguments are skipped by matching the fixed parts). */
#include "rules/kmsg_match.h"
#include "lib/util.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct pat { unsigned cls; const char *a, *b; }; /* both substrings must occur (b may be NULL) */

static const struct pat pats[] = {
	{ KM_ADMIN_MAC, "override administratively set MAC", NULL },
	{ KM_ADMIN_MAC, "administratively set MAC address", NULL },
	/* Not igb's bare "VF 0 is not trusted": that only echoes
	 * `ip link set ... trust off`. */
	{ KM_NOT_TRUSTED, "VF is not trusted", NULL },
	{ KM_NOT_TRUSTED, "is not trusted,", NULL },
	{ KM_NOT_TRUSTED, "is not trusted to", NULL },
	{ KM_SPOOF, "Spoofed packets detected", NULL },
	{ KM_SPOOF, "spoofed packets detected", NULL },
	/* igb_spoof_check(): dev_warn "Spoof event(s) detected on VF %d\n" */
	{ KM_SPOOF, "Spoof event(s) detected on VF", NULL },
	{ KM_PROMISC, "Unprivileged VF", "promiscuous" },
	{ KM_PROMISC, "is attempting to configure promiscuous mode", NULL },
	{ KM_MBX_FAIL, "failed opcode", "retval" },
	{ KM_PF_ERROR, "PF returned error", "to our request" },
	{ KM_RESET, "Reset indication received from the PF", NULL },
	{ KM_STILL_RESET, "still in reset", NULL },
	{ KM_BOND_DOWN, "link status definitely down", NULL },
	{ KM_BOND_UP, "link status definitely up", NULL },
	{ KM_BOND_ACTIVE, "the new active one", NULL },
	{ KM_SET_MAC_ERR, "calling set_mac_address", NULL },
	{ KM_SET_MAC_ERR, "set_mac_address", "rror" },
	{ KM_TX_TIMEOUT, "transmit queue", "timed out" },
	/* ice: "PF failed to honor VF %d, opcode %d, error %d" */
	{ KM_MBX_FAIL, "PF failed to honor VF", "opcode" },
	{ KM_LINK_DOWN, "NIC Link is Down", NULL },
	{ KM_LINK_UP, "NIC Link is Up", NULL },
	{ KM_LINK_UP, "NIC Link is up", NULL },
	{ KM_VF_RESET_MSG, "VF Reset msg received from vf", NULL },
	{ KM_MAC_FILTER, "Failed to add MAC filter", NULL },
	{ KM_PF_COMM, "Failed to communicate with PF", NULL },
	{ KM_PF_COMM, "Unable to get VF config", NULL },
	{ KM_PF_COMM, "Unable to send the message to VF", NULL },
};

const char *kmsg_class_name(unsigned bit)
{
	static const char *const n[KM_NCLASSES] = {
		"admin_mac", "not_trusted", "spoof", "promisc", "mbx_fail", "pf_error", "reset", "still_reset",
		"bond_down", "bond_up", "bond_active", "set_mac_err", "tx_timeout", "link_down", "link_up",
		"vf_reset_msg", "mac_filter", "pf_comm",
	};
	for (unsigned i = 0; i < KM_NCLASSES; i++)
		if (bit == 1u << i)
			return n[i];
	return NULL;
}

static bool name_ch(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '@';
}

/* Copy the interface name that ends at `end` (exclusive) into out, if the
 * word there is one (1..15 name characters, starting after a non-name
 * character or at `text`). */
static bool word_before(const char *text, const char *end, char out[16])
{
	const char *b = end;
	while (b > text && name_ch(b[-1]))
		b--;
	size_t n = (size_t)(end - b);
	if (!n || n > 15)
		return false;
	memcpy(out, b, n);
	out[n] = 0;
	return true;
}

static bool word_at(const char *p, char out[16])
{
	size_t n = 0;
	while (name_ch(p[n]) && n < 16)
		n++;
	if (!n || n > 15)
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

/* The netdev a line is about: dev_printk/netdev_printk's "drv PCI ifname:"
 * after the PCI address, igb/e1000e's older "drv: ifname NIC Link is ...",
 * and bonding's "bond: (slave m): ...", "bond: link status ... for
 * interface m", "bond: making interface m the new active one". */
static void names(const char *text, const char *pci_at, unsigned cls, struct kmsg_info *k)
{
	if (pci_at && pci_at[12] == ' ') {
		const char *w = pci_at + 13;
		char tmp[16];
		size_t n = 0;
		while (name_ch(w[n]))
			n++;
		if (n && w[n] == ':' && word_at(w, tmp))
			memcpy(k->netdev, tmp, sizeof(tmp));
	}
	const char *nl = strstr(text, " NIC Link is ");
	if (!k->netdev[0] && nl && nl - text >= 3 && nl[-1] != ':') {
		const char *b = nl;
		while (b > text && name_ch(b[-1]))
			b--;
		if (b - text >= 2 && b[-1] == ' ' && b[-2] == ':')
			word_before(text, nl, k->netdev);
	}
	const char *slave = strstr(text, ": (slave ");
	static const char *const anchors[] = { ": link status ", ": making interface ",
					       ": now running without any active interface" };
	const char *a = slave;
	for (size_t i = 0; !a && i < ARRAY_SIZE(anchors); i++)
		a = strstr(text, anchors[i]);
	bool bonding = cls & (KM_BOND_DOWN | KM_BOND_UP | KM_BOND_ACTIVE | KM_SET_MAC_ERR);
	if (!a || (!slave && !bonding))
		return;
	if (!k->netdev[0])
		word_before(text, a, k->netdev);
	const char *m;
	if (slave)
		word_at(slave + strlen(": (slave "), k->slave);
	else if ((m = strstr(a, " for interface ")))
		word_at(m + strlen(" for interface "), k->slave);
	else if ((m = strstr(a, ": making interface ")))
		word_at(m + strlen(": making interface "), k->slave);
	if (!strcmp(k->slave, "the"))
		k->slave[0] = 0; /* "making interface the new active one" without a name */
}

static bool is_pci_at(const char *p)
{
	/* dddd:bb:dd.f */
	static const char shape[] = "xxxx:xx:xx.x";
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'x' ? !isxdigit((unsigned char)p[i]) : p[i] != shape[i])
			return false;
	}
	return true;
}

unsigned kmsg_classify(const char *text, struct kmsg_info *out)
{
	struct kmsg_info k = { .cls = 0, .pci = "", .vf = -1, .netdev = "", .slave = "" };
	if (!text) {
		if (out)
			*out = k;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pats); i++)
		if (strstr(text, pats[i].a) && (!pats[i].b || strstr(text, pats[i].b)))
			k.cls |= pats[i].cls;
	size_t len = strlen(text);
	const char *pci_at = NULL;
	for (size_t i = 0; i + 12 <= len; i++)
		if (is_pci_at(text + i) && (i == 0 || !isxdigit((unsigned char)text[i - 1])) &&
		    !isxdigit((unsigned char)text[i + 12])) {
			memcpy(k.pci, text + i, 12);
			k.pci[12] = 0;
			pci_at = text + i;
			break;
		}
	/* "VF 3 ", "VF %d " and "VF: 3" forms; "Unprivileged VF 3"; ixgbe's
	 * lower-case "... received from vf 3". The first that has a number. */
	for (const char *p = text; *p; p++) {
		if (!((p[0] == 'V' && p[1] == 'F') || (p[0] == 'v' && p[1] == 'f' && p[2] == ' ')))
			continue;
		if (p > text && isalnum((unsigned char)p[-1]))
			continue;
		const char *q = p + 2;
		while (*q == ' ' || *q == ':' || *q == '#')
			q++;
		if (isdigit((unsigned char)*q)) {
			long v = strtol(q, NULL, 10);
			k.vf = v >= 0 && v < 65536 ? (int)v : -1;
			break;
		}
	}
	names(text, pci_at, k.cls, &k);
	if (out)
		*out = k;
	return k.cls;
}

bool kmsg_mentions(const char *text, const char *ifname)
{
	if (!text || !ifname || !*ifname)
		return false;
	size_t n = strlen(ifname);
	for (const char *p = text; (p = strstr(p, ifname)); p++) {
		bool l = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.');
		bool r = !(isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.');
		if (l && r)
			return true;
	}
	return false;
}
