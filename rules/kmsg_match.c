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
};

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
	struct kmsg_info k = { .cls = 0, .pci = "", .vf = -1 };
	if (!text) {
		if (out)
			*out = k;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pats); i++)
		if (strstr(text, pats[i].a) && (!pats[i].b || strstr(text, pats[i].b)))
			k.cls |= pats[i].cls;
	size_t len = strlen(text);
	for (size_t i = 0; i + 12 <= len; i++)
		if (is_pci_at(text + i) && (i == 0 || !isxdigit((unsigned char)text[i - 1]))) {
			memcpy(k.pci, text + i, 12);
			k.pci[12] = 0;
			break;
		}
	/* "VF 3 ", "VF %d " and "VF: 3" forms; "Unprivileged VF 3". */
	for (const char *p = text; (p = strstr(p, "VF")); p += 2) {
		const char *q = p + 2;
		if (p > text && isalnum((unsigned char)p[-1]))
			continue;
		while (*q == ' ' || *q == ':' || *q == '#')
			q++;
		if (isdigit((unsigned char)*q)) {
			k.vf = (int)strtol(q, NULL, 10);
			break;
		}
	}
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
