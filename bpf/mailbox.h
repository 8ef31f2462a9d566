/* Shared between bpf/mailbox_igb.bpf.c (kernel) and bpf/probes.c (loader):
 * one record per PF<->VF mailbox message or VF management call, as seen by
 * kprobes on the PF driver (igb, ixgbe; i40e/ice virtchnl entry points). */
#ifndef VFS_BPF_MAILBOX_H
#define VFS_BPF_MAILBOX_H

#define MBX_WORDS 16 /* E1000_VFMAILBOX_SIZE; also our bound for virtchnl */

enum mbx_kind {
	MBX_EV_WRITE = 1,   /* igb/ixgbe_write_mbx_pf: PF -> VF */
	MBX_EV_READ = 2,    /* igb/ixgbe_read_mbx_pf returned 0: VF -> PF */
	MBX_EV_VF_RESET = 3,/* igb_vf_reset */
	MBX_EV_SET_MAC = 4, /* igb_set_vf_mac */
	MBX_EV_VC_RECV = 5, /* i40e_vc_process_vf_msg: VF -> PF virtchnl */
	MBX_EV_VC_SEND = 6, /* i40e/ice_vc_send_msg_to_vf: PF -> VF virtchnl */
};

enum mbx_driver { MBX_DRV_IGB = 1, MBX_DRV_I40E = 2, MBX_DRV_ICE = 3, MBX_DRV_IXGBE = 4,
		  MBX_DRV_IGBVF = 5 /* VF side: write = VF -> PF, read = PF -> VF */ };

struct mbx_event {
	unsigned long long ts_ns; /* bpf_ktime_get_ns */
	unsigned int kind;        /* enum mbx_kind */
	unsigned int driver;      /* enum mbx_driver */
	unsigned int cpu;
	int vf;                   /* VF number, -1 when the call does not say */
	int ret;                  /* read: return value */
	unsigned int nwords;      /* valid words[] */
	unsigned int size;        /* words (igb) or bytes (virtchnl) the call named */
	unsigned int opcode;      /* virtchnl opcode */
	unsigned int retval;      /* virtchnl status */
	unsigned int pad;
	unsigned int words[MBX_WORDS];
	unsigned char mac[8];     /* set_mac: 6 bytes */
};

/* Saved at igb/ixgbe_read_mbx_pf entry, read at return (keyed by pid_tgid). */
struct mbx_read_args {
	unsigned long long msg;
	unsigned int size;
	unsigned int vf;
};

#endif
