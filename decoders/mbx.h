/* PF<->VF mailbox messages of the Intel SR-IOV drivers, decoded from the
 * 32-bit words the drivers read/write (as vfscope trace records them):
 *  - igb/igbvf (e1000_mbx.h) and ixgbe/ixgbevf (ixgbe_mbx.h): word0 low 16
 *    bits message type, bits 16-23 message info, bit 31 ACK (SUCCESS), bit
 *    30 NACK (FAILURE), bit 29 CTS; a MAC is in words 1-2 in memory order
 *    (the drivers memcpy it, so byte 0 is the low byte of word 1).
 *  - virtchnl (i40e/ice/iavf, include/linux/avf/virtchnl.h) as words:
 *    w0 opcode, w1 status (v_retval, signed; 0 for requests), w2.. payload
 *    bytes in little-endian word order. */
#ifndef VFS_MBX_H
#define VFS_MBX_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <jansson.h>

enum mbx_dir { MBX_VF2PF = 0, MBX_PF2VF = 1 };
enum mbx_result { MBX_RES_NONE, MBX_RES_ACCEPTED, MBX_RES_REFUSED };
enum mbx_family { MBX_IGB, MBX_IXGBE, MBX_VIRTCHNL };

#define MBX_ACK  0x80000000u
#define MBX_NACK 0x40000000u
#define MBX_CTS  0x20000000u

struct mbx_msg {
	enum mbx_family family;
	int dir;
	uint32_t type;           /* message type / virtchnl opcode */
	const char *name;        /* "SET_MAC_ADDR", "UNKNOWN" */
	bool ack, nack, cts;
	uint8_t info;            /* igb/ixgbe word0 bits 16-23 */
	int32_t retval;          /* virtchnl status */
	enum mbx_result result;  /* replies only */
	bool have_mac;
	uint8_t mac[6];
	int vid;                 /* -1 absent */
	int vlan_add;            /* 1 add, 0 remove, -1 n/a */
	int mc_count;            /* -1 absent */
	int promisc;             /* flag bits, -1 absent */
	int max_frame;           /* SET_LPE, -1 absent */
	int xcast_mode;          /* ixgbe UPDATE_XCAST_MODE, -1 absent */
	int api;                 /* ixgbe API_NEGOTIATE, -1 absent */
	int event;               /* virtchnl EVENT: 1 link change, 2 reset impending, 3 PF driver close */
	int mac_filter;          /* igb MAC filter op: 0 default MAC, 1 clear, 2 add */
	size_t got;              /* words decoded */
};

/* driver: "igb", "igbvf", "ixgbe", "ixgbevf", "i40e", "iavf", "ice",
 * "virtchnl". 0, -ENODATA (fewer words than the message needs; header
 * fields are set), -EINVAL (unknown driver). */
int mbx_decode(const char *driver, const uint32_t *words, size_t nwords, int dir, struct mbx_msg *out);
const char *mbx_type_name(enum mbx_family fam, uint32_t type);
const char *mbx_virtchnl_status_name(int32_t st);
int mbx_format(const struct mbx_msg *m, char *buf, size_t len);
json_t *mbx_json(const struct mbx_msg *m);
#endif
