/* Classify kernel log lines that matter to SR-IOV teams (PF drivers, VF
 * drivers, bonding) and pull out the PCI address / VF number they name. */
#ifndef VFS_KMSG_MATCH_H
#define VFS_KMSG_MATCH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kmsg_class {
	KM_NONE = 0,
	KM_ADMIN_MAC    = 1u << 0,  /* VF tried to override an administratively set MAC */
	KM_NOT_TRUSTED  = 1u << 1,  /* "VF is not trusted" / untrusted VF refused */
	KM_SPOOF        = 1u << 2,  /* ixgbe "%u Spoofed packets detected", igb "Spoof event(s) detected on VF %d" */
	KM_PROMISC      = 1u << 3,  /* "Unprivileged VF %d is attempting to configure promiscuous mode" */
	KM_MBX_FAIL     = 1u << 4,  /* PF: "VF %d failed opcode %d, retval" */
	KM_PF_ERROR     = 1u << 5,  /* VF: "PF returned error %d (...) to our request %d" */
	KM_RESET        = 1u << 6,  /* "Reset indication received from the PF" */
	KM_STILL_RESET  = 1u << 7,  /* "still in reset" */
	KM_BOND_DOWN    = 1u << 8,  /* bonding: "link status definitely down" */
	KM_BOND_UP      = 1u << 9,  /* bonding: "link status definitely up" */
	KM_BOND_ACTIVE  = 1u << 10, /* bonding: "making interface X the new active one" */
	KM_SET_MAC_ERR  = 1u << 11, /* "Error -99 calling set_mac_address" and kin */
	KM_TX_TIMEOUT   = 1u << 12, /* "NETDEV WATCHDOG: ... transmit queue N timed out" */
	KM_LINK_DOWN    = 1u << 13, /* a driver's "NIC Link is Down" (igb, ixgbe, i40e, iavf, ...) */
	KM_LINK_UP      = 1u << 14, /* a driver's "NIC Link is Up ..." / ice "NIC Link is up" */
	KM_VF_RESET_MSG = 1u << 15, /* PF: ixgbe "VF Reset msg received from vf %d" */
	KM_MAC_FILTER   = 1u << 16, /* VF: iavf "Failed to add MAC filter, error %s" */
	KM_PF_COMM      = 1u << 17, /* PF<->VF talk failed: iavf "Failed to communicate with PF",
				     * "Unable to get VF config", i40e "Unable to send the message to VF %d" */
};
#define KM_NCLASSES 18

/* Bit -> short name ("admin_mac", "link_down", ...), NULL for no class. */
const char *kmsg_class_name(unsigned bit);

struct kmsg_info {
	unsigned cls;       /* enum kmsg_class bits */
	char pci[16];       /* first PCI address in the line ("" none) */
	int vf;             /* VF number named by the line, -1 none */
	char netdev[16];    /* the netdev the line is about ("" none): the driver's
			     * "drv PCI ifname: ..." or a bonding line's bond */
	char slave[16];     /* bonding: the member the line names ("" none) */
};

unsigned kmsg_classify(const char *text, struct kmsg_info *out);
/* True when text names the interface as a whole word. */
bool kmsg_mentions(const char *text, const char *ifname);
#endif
