// SPDX-License-Identifier: GPL-2.0
/* PF<->VF mailbox probes on the PF driver. igb: the PF reads a VF's message
 * with igb_read_mbx_pf and answers with igb_write_mbx_pf (both take the
 * message as u32 words, size in words, and the VF number), plus the VF
 * management calls igb_vf_reset and igb_set_vf_mac. ixgbe: the same pair,
 * ixgbe_read_mbx_pf/ixgbe_write_mbx_pf. i40e/ice: the virtchnl
 * entry points. kprobes (the dev kernel has none; the lab's 6.12 has them);
 * module functions, so the loader turns autoload off for each one that is
 * not in /proc/kallsyms. Arguments are plain registers: no driver types are
 * needed from BTF, so this object builds against any vmlinux.h. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/mailbox.h"

char LICENSE[] SEC("license") = "GPL";

/* libbpf 1.1's bpf_tracing.h stops at PARM5; the sixth x86-64 argument is r9. */
#ifndef PT_REGS_PARM6
#if defined(__TARGET_ARCH_x86)
#define PT_REGS_PARM6(x) (BPF_CORE_READ((struct pt_regs *)(x), r9))
#else
#define PT_REGS_PARM6(x) 0
#endif
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} mbx_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct mbx_read_args);
} mbx_reads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} mbx_lost SEC(".maps");

static __always_inline struct mbx_event *mbx_new(unsigned int kind, unsigned int drv)
{
	struct mbx_event *e = bpf_ringbuf_reserve(&mbx_events, sizeof(*e), 0);

	if (!e) {
		__u32 zero = 0;
		__u64 *n = bpf_map_lookup_elem(&mbx_lost, &zero);
		if (n)
			(*n)++;
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = kind;
	e->driver = drv;
	e->cpu = bpf_get_smp_processor_id();
	e->vf = -1;
	return e;
}

/* Copy min(n, MBX_WORDS) words; one bounded read per word keeps the
 * verifier happy on every kernel and never reads past the caller's array. */
static __always_inline void copy_words(struct mbx_event *e, const __u32 *msg, unsigned int n)
{
	e->size = n;
	for (int i = 0; i < MBX_WORDS; i++) {
		if (i >= n)
			break;
		bpf_probe_read_kernel(&e->words[i], 4, &msg[i]);
		e->nwords = i + 1;
	}
}

/* The PF's mailbox write and read, shared by igb and ixgbe: both drivers
 * have the same (hw, u32 *msg, u16 size, u16 vf_number) shape. */
static __always_inline int mbx_write(void *msg, __u16 size, __u16 vf, unsigned int drv)
{
	struct mbx_event *e = mbx_new(MBX_EV_WRITE, drv);

	if (!e)
		return 0;
	e->vf = vf == 0xffff ? -1 : vf;
	copy_words(e, (const __u32 *)msg, size);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int mbx_read_entry(void *msg, __u16 size, __u16 vf)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct mbx_read_args a = { .msg = (__u64)msg, .size = size, .vf = vf };

	bpf_map_update_elem(&mbx_reads, &id, &a, BPF_ANY);
	return 0;
}

static __always_inline int mbx_read_ret(int ret, unsigned int drv)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct mbx_read_args *a = bpf_map_lookup_elem(&mbx_reads, &id);
	struct mbx_event *e;

	if (!a)
		return 0;
	if (ret == 0 && (e = mbx_new(MBX_EV_READ, drv))) {
		e->vf = a->vf == 0xffff ? -1 : (int)a->vf;
		e->ret = ret;
		copy_words(e, (const __u32 *)a->msg, a->size);
		bpf_ringbuf_submit(e, 0);
	}
	bpf_map_delete_elem(&mbx_reads, &id);
	return 0;
}

/* s32 igb_write_mbx_pf(struct e1000_hw *hw, u32 *msg, u16 size, u16 vf_number) */
SEC("kprobe/igb_write_mbx_pf")
int BPF_KPROBE(kp_igb_write_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf)
{
	return mbx_write(msg, size, vf, MBX_DRV_IGB);
}

/* s32 igb_read_mbx_pf(struct e1000_hw *hw, u32 *msg, u16 size, u16 vf_number,
 *                     bool unlock) on 6.12; the words are there only at return. */
SEC("kprobe/igb_read_mbx_pf")
int BPF_KPROBE(kp_igb_read_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf)
{
	return mbx_read_entry(msg, size, vf);
}

SEC("kretprobe/igb_read_mbx_pf")
int BPF_KRETPROBE(krp_igb_read_mbx_pf, int ret)
{
	return mbx_read_ret(ret, MBX_DRV_IGB);
}

/* static s32 ixgbe_write_mbx_pf(struct ixgbe_hw *hw, u32 *msg, u16 size, u16 vf_number) */
SEC("kprobe/ixgbe_write_mbx_pf")
int BPF_KPROBE(kp_ixgbe_write_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf)
{
	return mbx_write(msg, size, vf, MBX_DRV_IXGBE);
}

/* static s32 ixgbe_read_mbx_pf(struct ixgbe_hw *hw, u32 *msg, u16 size, u16 vf_number) */
SEC("kprobe/ixgbe_read_mbx_pf")
int BPF_KPROBE(kp_ixgbe_read_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf)
{
	return mbx_read_entry(msg, size, vf);
}

SEC("kretprobe/ixgbe_read_mbx_pf")
int BPF_KRETPROBE(krp_ixgbe_read_mbx_pf, int ret)
{
	return mbx_read_ret(ret, MBX_DRV_IXGBE);
}

/* VF side (igbvf, e.g. inside a guest that sees only its VF): the VF writes
 * requests (VF -> PF) and reads the PF's answers (PF -> VF, with ACK/NACK).
 * static s32 e1000_write_mbx_vf(struct e1000_hw *hw, u32 *msg, u16 size)
 * static s32 e1000_read_mbx_vf(struct e1000_hw *hw, u32 *msg, u16 size)
 * No VF number: the VF does not know its own index (vf = -1). */
SEC("kprobe/e1000_write_mbx_vf")
int BPF_KPROBE(kp_igbvf_write_mbx_vf, void *hw, __u32 *msg, __u16 size)
{
	return mbx_write(msg, size, 0xffff, MBX_DRV_IGBVF);
}

SEC("kprobe/e1000_read_mbx_vf")
int BPF_KPROBE(kp_igbvf_read_mbx_vf, void *hw, __u32 *msg, __u16 size)
{
	return mbx_read_entry(msg, size, 0xffff);
}

SEC("kretprobe/e1000_read_mbx_vf")
int BPF_KRETPROBE(krp_igbvf_read_mbx_vf, int ret)
{
	return mbx_read_ret(ret, MBX_DRV_IGBVF);
}

/* static void igb_vf_reset(struct igb_adapter *adapter, u32 vf) */
SEC("kprobe/igb_vf_reset")
int BPF_KPROBE(kp_igb_vf_reset, void *adapter, __u32 vf)
{
	struct mbx_event *e = mbx_new(MBX_EV_VF_RESET, MBX_DRV_IGB);

	if (!e)
		return 0;
	e->vf = vf;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* static int igb_set_vf_mac(struct igb_adapter *adapter, int vf, unsigned char *mac_addr) */
SEC("kprobe/igb_set_vf_mac")
int BPF_KPROBE(kp_igb_set_vf_mac, void *adapter, int vf, unsigned char *mac)
{
	struct mbx_event *e = mbx_new(MBX_EV_SET_MAC, MBX_DRV_IGB);

	if (!e)
		return 0;
	e->vf = vf;
	bpf_probe_read_kernel(e->mac, 6, mac);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* int i40e_vc_process_vf_msg(struct i40e_pf *pf, s16 vf_id, u32 v_opcode,
 *                            u32 v_retval, u8 *msg, u16 msglen) */
SEC("kprobe/i40e_vc_process_vf_msg")
int BPF_KPROBE(kp_i40e_vc_process_vf_msg, void *pf, short vf_id, __u32 opcode, __u32 retval,
	       __u8 *msg)
{
	struct mbx_event *e = mbx_new(MBX_EV_VC_RECV, MBX_DRV_I40E);
	__u16 len = (__u16)PT_REGS_PARM6(ctx);

	if (!e)
		return 0;
	e->vf = vf_id; /* absolute VF id (vf_base_id not subtracted) */
	e->opcode = opcode;
	e->retval = retval;
	copy_words(e, (const __u32 *)msg, (len + 3) / 4);
	e->size = len;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* int i40e_vc_send_msg_to_vf(struct i40e_vf *vf, u32 v_opcode, u32 v_retval,
 *                            u8 *msg, u16 msglen); same shape for ice. */
static __always_inline int vc_send(struct pt_regs *ctx, unsigned int drv)
{
	struct mbx_event *e = mbx_new(MBX_EV_VC_SEND, drv);
	__u16 len = (__u16)PT_REGS_PARM5(ctx);

	if (!e)
		return 0;
	e->opcode = (__u32)PT_REGS_PARM2(ctx);
	e->retval = (__u32)PT_REGS_PARM3(ctx);
	copy_words(e, (const __u32 *)PT_REGS_PARM4(ctx), (len + 3) / 4);
	e->size = len;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kprobe/i40e_vc_send_msg_to_vf")
int kp_i40e_vc_send_msg_to_vf(struct pt_regs *ctx)
{
	return vc_send(ctx, MBX_DRV_I40E);
}

SEC("kprobe/ice_vc_send_msg_to_vf")
int kp_ice_vc_send_msg_to_vf(struct pt_regs *ctx)
{
	return vc_send(ctx, MBX_DRV_ICE);
}
