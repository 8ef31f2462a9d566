/* Shared between bpf/mailbox.bpf.c (kernel) and bpf/probes.c (loader):
 * one record per PF<->VF mailbox message or VF management call, as seen by
 * fentry/fexit (or kprobes) on the PF driver (igb, ixgbe; i40e/ice virtchnl
 * entry points) and on the VF drivers (igbvf, ixgbevf, iavf). */
#ifndef VFS_BPF_MAILBOX_H
#define VFS_BPF_MAILBOX_H

#define MBX_WORDS 16 /* E1000_VFMAILBOX_SIZE; also our bound for virtchnl */
#define MBX_NAME_LEN 16

enum mbx_kind {
	MBX_EV_WRITE = 1,   /* igb/ixgbe_write_mbx_pf: PF -> VF (VF drivers: VF -> PF) */
	MBX_EV_READ = 2,    /* igb/ixgbe_read_mbx_pf returned 0: VF -> PF (VF drivers: PF -> VF) */
	MBX_EV_VF_RESET = 3,/* igb_vf_reset */
	MBX_EV_SET_MAC = 4, /* igb_set_vf_mac */
	MBX_EV_VC_RECV = 5, /* i40e/ice_vc_process_vf_msg: VF -> PF virtchnl (iavf: completion, PF -> VF) */
	MBX_EV_VC_SEND = 6, /* i40e/ice_vc_send_msg_to_vf: PF -> VF virtchnl (iavf_send_pf_msg: VF -> PF) */
};

enum mbx_driver { MBX_DRV_IGB = 1, MBX_DRV_I40E = 2, MBX_DRV_ICE = 3, MBX_DRV_IXGBE = 4,
		  /* VF side: write = VF -> PF, read = PF -> VF */
		  MBX_DRV_IGBVF = 5, MBX_DRV_IXGBEVF = 6, MBX_DRV_IAVF = 7 };

/* How the record was produced (the loader counts per attach type). */
enum mbx_via { MBX_VIA_KPROBE = 0, MBX_VIA_FENTRY = 1 };

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
	unsigned int via;         /* enum mbx_via */
	unsigned int words[MBX_WORDS];
	unsigned char mac[8];     /* set_mac: 6 bytes */
	char pf[MBX_NAME_LEN];    /* PF netdev (PF drivers), "" unknown */
	char ifname[MBX_NAME_LEN];/* VF netdev (VF drivers), "" unknown */
};

/* Saved at igb/ixgbe_read_mbx_pf entry, read at return (keyed by pid_tgid);
 * kprobe fallback only (fexit sees arguments and return value at once). */
struct mbx_read_args {
	unsigned long long msg;
	unsigned long long hw;
	unsigned int size;
	unsigned int vf;
};

#endif
