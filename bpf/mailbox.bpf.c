// SPDX-License-Identifier: GPL-2.0
/* PF<->VF mailbox probes. Every hook exists twice: an fentry/fexit program
 * (preferred: BTF-typed, a trampoline instead of a breakpoint, and fexit sees
 * the arguments and the return value at once) and a kprobe (+ kretprobe)
 * program (the fallback: no module BTF, no trampolines, or --attach kprobe).
 * The loader (bpf/probes.c) loads what this kernel allows and attaches one
 * variant per hook.
 *
 * PF drivers: igb reads a VF's message with igb_read_mbx_pf and answers with
 * igb_write_mbx_pf (u32 words, size in words, VF number), plus igb_vf_reset
 * and igb_set_vf_mac; ixgbe has the same pair; i40e and ice the virtchnl
 * entry points. VF drivers: igbvf and ixgbevf (the same word mailbox seen
 * from the VF), iavf (virtchnl).
 *
 * Names: the PF netdev (and, on the VF side, the VF netdev) is read with
 * CO-RE against the driver's module BTF. The drivers embed their hw struct
 * in the adapter (igb_adapter.hw, ixgbe_adapter.hw, ...), so the adapter is
 * hw minus offsetof(adapter, hw): this avoids struct e1000_hw/ixgbe_hw,
 * which exist with other layouts in igbvf/e1000e/ixgbevf and would make the
 * relocation ambiguous when those modules are loaded too. Every read is
 * guarded by bpf_core_field_exists(), so without module BTF the name is just
 * empty. Local types carry a ___vfs flavour: only the named fields matter. */
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

/* ---- driver types (only the fields used; CO-RE finds the offsets) ---- */
struct vfs_hw___vfs { void *back; };
struct igb_adapter___vfs { struct net_device *netdev; struct vfs_hw___vfs hw; } __attribute__((preserve_access_index));
struct igbvf_adapter___vfs { struct net_device *netdev; struct vfs_hw___vfs hw; } __attribute__((preserve_access_index));
struct ixgbe_adapter___vfs { struct net_device *netdev; struct vfs_hw___vfs hw; } __attribute__((preserve_access_index));
struct ixgbevf_adapter___vfs { struct net_device *netdev; struct vfs_hw___vfs hw; } __attribute__((preserve_access_index));
struct iavf_adapter___vfs { struct net_device *netdev; } __attribute__((preserve_access_index));
struct i40e_vsi___vfs { struct net_device *netdev; } __attribute__((preserve_access_index));
struct i40e_pf___vfs { struct i40e_vsi___vfs **vsi; __u16 lan_vsi; } __attribute__((preserve_access_index));
struct i40e_vf___vfs { struct i40e_pf___vfs *pf; __s16 vf_id; } __attribute__((preserve_access_index));
struct ice_vsi___vfs { struct net_device *netdev; } __attribute__((preserve_access_index));
struct ice_pf___vfs { struct ice_vsi___vfs **vsi; } __attribute__((preserve_access_index));
struct ice_vf___vfs { struct ice_pf___vfs *pf; __u16 vf_id; } __attribute__((preserve_access_index));
struct ice_aq_desc___vfs { __u16 retval; __u32 cookie_high; __u32 cookie_low; } __attribute__((preserve_access_index));
struct ice_rq_event_info___vfs {
	struct ice_aq_desc___vfs desc;
	__u16 msg_len;
	__u8 *msg_buf;
} __attribute__((preserve_access_index));

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

static __always_inline struct mbx_event *mbx_new(unsigned int kind, unsigned int drv, unsigned int via)
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
	e->via = via;
	e->cpu = bpf_get_smp_processor_id();
	e->vf = -1;
	return e;
}

static __always_inline void dev_name(struct net_device *dev, char *out)
{
	if (dev)
		bpf_probe_read_kernel_str(out, MBX_NAME_LEN, dev->name);
}

/* adapter = container_of(hw, T, hw); its netdev's name into out. */
#define HW_NETDEV(T, hwp, out)                                                         \
	do {                                                                           \
		if (bpf_core_field_exists(struct T, netdev) &&                         \
		    bpf_core_field_exists(struct T, hw)) {                             \
			struct T *a_ = (void *)((char *)(hwp) -                        \
						bpf_core_field_offset(struct T, hw));  \
			dev_name(BPF_CORE_READ(a_, netdev), (out));                    \
		}                                                                      \
	} while (0)

/* Names for a word-mailbox event from the driver's hw pointer. drv is a
 * constant at every call site, so only one branch (and its relocations)
 * stays in each program. */
static __always_inline void hw_names(struct mbx_event *e, void *hw, unsigned int drv)
{
	if (!hw)
		return;
	if (drv == MBX_DRV_IGB)
		HW_NETDEV(igb_adapter___vfs, hw, e->pf);
	else if (drv == MBX_DRV_IXGBE)
		HW_NETDEV(ixgbe_adapter___vfs, hw, e->pf);
	else if (drv == MBX_DRV_IGBVF)
		HW_NETDEV(igbvf_adapter___vfs, hw, e->ifname);
	else if (drv == MBX_DRV_IXGBEVF)
		HW_NETDEV(ixgbevf_adapter___vfs, hw, e->ifname);
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

/* The word mailbox write and read, shared by igb, ixgbe, igbvf and ixgbevf:
 * (hw, u32 *msg, u16 size[, u16 vf_number]). */
static __always_inline int mbx_write(void *hw, void *msg, __u16 size, __u16 vf, unsigned int drv,
				     unsigned int via)
{
	struct mbx_event *e = mbx_new(MBX_EV_WRITE, drv, via);

	if (!e)
		return 0;
	e->vf = vf == 0xffff ? -1 : vf;
	copy_words(e, (const __u32 *)msg, size);
	hw_names(e, hw, drv);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int mbx_read(void *hw, void *msg, __u16 size, __u16 vf, int ret, unsigned int drv,
				    unsigned int via)
{
	struct mbx_event *e;

	if (ret != 0 || !(e = mbx_new(MBX_EV_READ, drv, via)))
		return 0;
	e->vf = vf == 0xffff ? -1 : vf;
	e->ret = ret;
	copy_words(e, (const __u32 *)msg, size);
	hw_names(e, hw, drv);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int mbx_read_entry(void *hw, void *msg, __u16 size, __u16 vf)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct mbx_read_args a = { .msg = (__u64)msg, .hw = (__u64)hw, .size = size, .vf = vf };

	bpf_map_update_elem(&mbx_reads, &id, &a, BPF_ANY);
	return 0;
}

static __always_inline int mbx_read_ret(int ret, unsigned int drv)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct mbx_read_args *a = bpf_map_lookup_elem(&mbx_reads, &id);

	if (!a)
		return 0;
	mbx_read((void *)a->hw, (void *)a->msg, a->size, a->vf, ret, drv, MBX_VIA_KPROBE);
	bpf_map_delete_elem(&mbx_reads, &id);
	return 0;
}

/* PF side: (hw, msg, size, vf_number); fentry on the write, fexit on the read
 * (bpf_get_func_ret: igb_read_mbx_pf has a fifth argument since 5.x, ixgbe's
 * has four, so the return value's slot differs). */
#define PF_MBX(drvname, DRV)                                                                   \
	SEC("fentry/" #drvname "_write_mbx_pf")                                                \
	int BPF_PROG(fe_##drvname##_write_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf) \
	{ return mbx_write(hw, msg, size, vf, DRV, MBX_VIA_FENTRY); }                          \
	SEC("kprobe/" #drvname "_write_mbx_pf")                                                \
	int BPF_KPROBE(kp_##drvname##_write_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf) \
	{ return mbx_write(hw, msg, size, vf, DRV, MBX_VIA_KPROBE); }                          \
	SEC("fexit/" #drvname "_read_mbx_pf")                                                  \
	int BPF_PROG(fx_##drvname##_read_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf)  \
	{                                                                                      \
		__u64 ret = 0;                                                                 \
		bpf_get_func_ret(ctx, &ret);                                                   \
		return mbx_read(hw, msg, size, vf, (int)ret, DRV, MBX_VIA_FENTRY);             \
	}                                                                                      \
	SEC("kprobe/" #drvname "_read_mbx_pf")                                                 \
	int BPF_KPROBE(kp_##drvname##_read_mbx_pf, void *hw, __u32 *msg, __u16 size, __u16 vf) \
	{ return mbx_read_entry(hw, msg, size, vf); }                                          \
	SEC("kretprobe/" #drvname "_read_mbx_pf")                                              \
	int BPF_KRETPROBE(krp_##drvname##_read_mbx_pf, int ret)                                \
	{ return mbx_read_ret(ret, DRV); }

/* s32 igb_write_mbx_pf(struct e1000_hw *hw, u32 *msg, u16 size, u16 vf_number)
 * s32 igb_read_mbx_pf(struct e1000_hw *hw, u32 *msg, u16 size, u16 vf_number, bool unlock)
 * static s32 ixgbe_write_mbx_pf / ixgbe_read_mbx_pf(struct ixgbe_hw *hw, u32 *msg, u16 size, u16 vf_number) */
PF_MBX(igb, MBX_DRV_IGB)
PF_MBX(ixgbe, MBX_DRV_IXGBE)

/* VF side, (hw, msg, size): the VF writes requests (VF -> PF) and reads the
 * PF's answers (PF -> VF, with ACK/NACK). No VF number: the VF does not know
 * its own index (vf = -1); the event names the VF netdev instead.
 * static s32 e1000_write_mbx_vf / e1000_read_mbx_vf(struct e1000_hw *, u32 *, u16)      (igbvf)
 * static s32 ixgbevf_write_mbx_vf / ixgbevf_read_mbx_vf(struct ixgbe_hw *, u32 *, u16)  (ixgbevf) */
#define VF_MBX(fn, prog, DRV)                                                                  \
	SEC("fentry/" #fn "_write_mbx_vf")                                                     \
	int BPF_PROG(fe_##prog##_write_mbx_vf, void *hw, __u32 *msg, __u16 size)               \
	{ return mbx_write(hw, msg, size, 0xffff, DRV, MBX_VIA_FENTRY); }                      \
	SEC("kprobe/" #fn "_write_mbx_vf")                                                     \
	int BPF_KPROBE(kp_##prog##_write_mbx_vf, void *hw, __u32 *msg, __u16 size)             \
	{ return mbx_write(hw, msg, size, 0xffff, DRV, MBX_VIA_KPROBE); }                      \
	SEC("fexit/" #fn "_read_mbx_vf")                                                       \
	int BPF_PROG(fx_##prog##_read_mbx_vf, void *hw, __u32 *msg, __u16 size)                \
	{                                                                                      \
		__u64 ret = 0;                                                                 \
		bpf_get_func_ret(ctx, &ret);                                                   \
		return mbx_read(hw, msg, size, 0xffff, (int)ret, DRV, MBX_VIA_FENTRY);         \
	}                                                                                      \
	SEC("kprobe/" #fn "_read_mbx_vf")                                                      \
	int BPF_KPROBE(kp_##prog##_read_mbx_vf, void *hw, __u32 *msg, __u16 size)              \
	{ return mbx_read_entry(hw, msg, size, 0xffff); }                                      \
	SEC("kretprobe/" #fn "_read_mbx_vf")                                                   \
	int BPF_KRETPROBE(krp_##prog##_read_mbx_vf, int ret)                                   \
	{ return mbx_read_ret(ret, DRV); }

VF_MBX(e1000, igbvf, MBX_DRV_IGBVF)
VF_MBX(ixgbevf, ixgbevf, MBX_DRV_IXGBEVF)

/* ---- igb VF management ---------------------------------------------- */

static __always_inline void igb_adapter_name(void *adapter, char *out)
{
	if (bpf_core_field_exists(struct igb_adapter___vfs, netdev))
		dev_name(BPF_CORE_READ((struct igb_adapter___vfs *)adapter, netdev), out);
}

static __always_inline int vf_reset(void *adapter, __u32 vf, unsigned int via)
{
	struct mbx_event *e = mbx_new(MBX_EV_VF_RESET, MBX_DRV_IGB, via);

	if (!e)
		return 0;
	e->vf = vf;
	igb_adapter_name(adapter, e->pf);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* static void igb_vf_reset(struct igb_adapter *adapter, u32 vf) */
SEC("fentry/igb_vf_reset")
int BPF_PROG(fe_igb_vf_reset, void *adapter, __u32 vf) { return vf_reset(adapter, vf, MBX_VIA_FENTRY); }
SEC("kprobe/igb_vf_reset")
int BPF_KPROBE(kp_igb_vf_reset, void *adapter, __u32 vf) { return vf_reset(adapter, vf, MBX_VIA_KPROBE); }

static __always_inline int set_vf_mac(void *adapter, int vf, unsigned char *mac, unsigned int via)
{
	struct mbx_event *e = mbx_new(MBX_EV_SET_MAC, MBX_DRV_IGB, via);

	if (!e)
		return 0;
	e->vf = vf;
	bpf_probe_read_kernel(e->mac, 6, mac);
	igb_adapter_name(adapter, e->pf);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* static int igb_set_vf_mac(struct igb_adapter *adapter, int vf, unsigned char *mac_addr) */
SEC("fentry/igb_set_vf_mac")
int BPF_PROG(fe_igb_set_vf_mac, void *adapter, int vf, unsigned char *mac)
{ return set_vf_mac(adapter, vf, mac, MBX_VIA_FENTRY); }
SEC("kprobe/igb_set_vf_mac")
int BPF_KPROBE(kp_igb_set_vf_mac, void *adapter, int vf, unsigned char *mac)
{ return set_vf_mac(adapter, vf, mac, MBX_VIA_KPROBE); }

/* ---- virtchnl (i40e, ice PF; iavf VF) --------------------------------- */

static __always_inline void i40e_pf_name(struct i40e_pf___vfs *pf, char *out)
{
	struct i40e_vsi___vfs **vsis, *vsi = NULL;
	__u16 idx;

	if (!pf || !bpf_core_field_exists(struct i40e_pf___vfs, vsi) ||
	    !bpf_core_field_exists(struct i40e_pf___vfs, lan_vsi))
		return;
	vsis = BPF_CORE_READ(pf, vsi);
	idx = BPF_CORE_READ(pf, lan_vsi);
	if (!vsis || idx > 1024)
		return;
	bpf_probe_read_kernel(&vsi, sizeof(vsi), &vsis[idx]);
	if (vsi)
		dev_name(BPF_CORE_READ(vsi, netdev), out);
}

/* ice_get_main_vsi(): pf->vsi[0] */
static __always_inline void ice_pf_name(struct ice_pf___vfs *pf, char *out)
{
	struct ice_vsi___vfs **vsis, *vsi = NULL;

	if (!pf || !bpf_core_field_exists(struct ice_pf___vfs, vsi))
		return;
	vsis = BPF_CORE_READ(pf, vsi);
	if (!vsis)
		return;
	bpf_probe_read_kernel(&vsi, sizeof(vsi), &vsis[0]);
	if (vsi)
		dev_name(BPF_CORE_READ(vsi, netdev), out);
}

static __always_inline int vc_event(unsigned int kind, unsigned int drv, unsigned int via, int vf, __u32 opcode,
				    __u32 retval, const void *msg, __u16 len, struct mbx_event **out)
{
	struct mbx_event *e = mbx_new(kind, drv, via);

	*out = e;
	if (!e)
		return 0;
	e->vf = vf;
	e->opcode = opcode;
	e->retval = retval;
	copy_words(e, (const __u32 *)msg, (len + 3) / 4);
	e->size = len;
	return 1;
}

/* int i40e_vc_process_vf_msg(struct i40e_pf *pf, s16 vf_id, u32 v_opcode,
 *                            u32 v_retval, u8 *msg, u16 msglen)
 * vf_id is absolute (vf_base_id not subtracted). */
static __always_inline int i40e_recv(void *pf, short vf_id, __u32 op, __u32 rv, void *msg, __u16 len,
				     unsigned int via)
{
	struct mbx_event *e;

	if (vc_event(MBX_EV_VC_RECV, MBX_DRV_I40E, via, vf_id, op, rv, msg, len, &e)) {
		i40e_pf_name(pf, e->pf);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("fentry/i40e_vc_process_vf_msg")
int BPF_PROG(fe_i40e_vc_process_vf_msg, void *pf, short vf_id, __u32 opcode, __u32 retval, __u8 *msg, __u16 len)
{ return i40e_recv(pf, vf_id, opcode, retval, msg, len, MBX_VIA_FENTRY); }
SEC("kprobe/i40e_vc_process_vf_msg")
int BPF_KPROBE(kp_i40e_vc_process_vf_msg, void *pf, short vf_id, __u32 opcode, __u32 retval, __u8 *msg)
{ return i40e_recv(pf, vf_id, opcode, retval, msg, (__u16)PT_REGS_PARM6(ctx), MBX_VIA_KPROBE); }

/* int i40e_vc_send_msg_to_vf(struct i40e_vf *vf, u32 v_opcode, u32 v_retval, u8 *msg, u16 msglen) */
static __always_inline int i40e_send(struct i40e_vf___vfs *vf, __u32 op, __u32 rv, void *msg, __u16 len,
				     unsigned int via)
{
	struct mbx_event *e;
	int id = -1;

	if (vf && bpf_core_field_exists(struct i40e_vf___vfs, vf_id))
		id = BPF_CORE_READ(vf, vf_id);
	if (vc_event(MBX_EV_VC_SEND, MBX_DRV_I40E, via, id, op, rv, msg, len, &e)) {
		if (vf && bpf_core_field_exists(struct i40e_vf___vfs, pf))
			i40e_pf_name(BPF_CORE_READ(vf, pf), e->pf);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("fentry/i40e_vc_send_msg_to_vf")
int BPF_PROG(fe_i40e_vc_send_msg_to_vf, void *vf, __u32 opcode, __u32 retval, __u8 *msg, __u16 len)
{ return i40e_send(vf, opcode, retval, msg, len, MBX_VIA_FENTRY); }
SEC("kprobe/i40e_vc_send_msg_to_vf")
int BPF_KPROBE(kp_i40e_vc_send_msg_to_vf, void *vf, __u32 opcode, __u32 retval, __u8 *msg, __u16 len)
{ return i40e_send(vf, opcode, retval, msg, len, MBX_VIA_KPROBE); }

/* int ice_vc_send_msg_to_vf(struct ice_vf *vf, u32 v_opcode,
 *                           enum virtchnl_status_code v_retval, u8 *msg, u16 msglen) */
static __always_inline int ice_send(struct ice_vf___vfs *vf, __u32 op, __u32 rv, void *msg, __u16 len,
				    unsigned int via)
{
	struct mbx_event *e;
	int id = -1;

	if (vf && bpf_core_field_exists(struct ice_vf___vfs, vf_id))
		id = BPF_CORE_READ(vf, vf_id);
	if (vc_event(MBX_EV_VC_SEND, MBX_DRV_ICE, via, id, op, rv, msg, len, &e)) {
		if (vf && bpf_core_field_exists(struct ice_vf___vfs, pf))
			ice_pf_name(BPF_CORE_READ(vf, pf), e->pf);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("fentry/ice_vc_send_msg_to_vf")
int BPF_PROG(fe_ice_vc_send_msg_to_vf, void *vf, __u32 opcode, __u32 retval, __u8 *msg, __u16 len)
{ return ice_send(vf, opcode, retval, msg, len, MBX_VIA_FENTRY); }
SEC("kprobe/ice_vc_send_msg_to_vf")
int BPF_KPROBE(kp_ice_vc_send_msg_to_vf, void *vf, __u32 opcode, __u32 retval, __u8 *msg, __u16 len)
{ return ice_send(vf, opcode, retval, msg, len, MBX_VIA_KPROBE); }

/* void ice_vc_process_vf_msg(struct ice_pf *pf, struct ice_rq_event_info *event,
 *                            struct ice_mbx_data *mbxdata)
 * as the driver does: v_opcode = desc.cookie_high, v_retval = desc.cookie_low,
 * vf_id = desc.retval, msg = msg_buf, msglen = msg_len. */
static __always_inline int ice_recv(void *pf, struct ice_rq_event_info___vfs *ev, unsigned int via)
{
	struct mbx_event *e;

	if (!ev || !bpf_core_field_exists(struct ice_rq_event_info___vfs, msg_buf) ||
	    !bpf_core_field_exists(struct ice_aq_desc___vfs, cookie_high))
		return 0;
	if (vc_event(MBX_EV_VC_RECV, MBX_DRV_ICE, via, BPF_CORE_READ(ev, desc.retval),
		     BPF_CORE_READ(ev, desc.cookie_high), BPF_CORE_READ(ev, desc.cookie_low),
		     BPF_CORE_READ(ev, msg_buf), BPF_CORE_READ(ev, msg_len), &e)) {
		ice_pf_name(pf, e->pf);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("fentry/ice_vc_process_vf_msg")
int BPF_PROG(fe_ice_vc_process_vf_msg, void *pf, void *event)
{ return ice_recv(pf, event, MBX_VIA_FENTRY); }
SEC("kprobe/ice_vc_process_vf_msg")
int BPF_KPROBE(kp_ice_vc_process_vf_msg, void *pf, void *event)
{ return ice_recv(pf, event, MBX_VIA_KPROBE); }

/* VF side, iavf: static int iavf_send_pf_msg(struct iavf_adapter *adapter,
 * enum virtchnl_ops op, u8 *msg, u16 len) (VF -> PF) and
 * void iavf_virtchnl_completion(struct iavf_adapter *adapter, enum virtchnl_ops v_opcode,
 * enum iavf_status v_retval, u8 *msg, u16 msglen) (the PF's answer). */
static __always_inline int iavf_ev(unsigned int kind, void *adapter, __u32 op, __u32 rv, void *msg, __u16 len,
				   unsigned int via)
{
	struct mbx_event *e;

	if (vc_event(kind, MBX_DRV_IAVF, via, -1, op, rv, msg, len, &e)) {
		if (adapter && bpf_core_field_exists(struct iavf_adapter___vfs, netdev))
			dev_name(BPF_CORE_READ((struct iavf_adapter___vfs *)adapter, netdev), e->ifname);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

SEC("fentry/iavf_send_pf_msg")
int BPF_PROG(fe_iavf_send_pf_msg, void *adapter, __u32 op, __u8 *msg, __u16 len)
{ return iavf_ev(MBX_EV_VC_SEND, adapter, op, 0, msg, len, MBX_VIA_FENTRY); }
SEC("kprobe/iavf_send_pf_msg")
int BPF_KPROBE(kp_iavf_send_pf_msg, void *adapter, __u32 op, __u8 *msg, __u16 len)
{ return iavf_ev(MBX_EV_VC_SEND, adapter, op, 0, msg, len, MBX_VIA_KPROBE); }

SEC("fentry/iavf_virtchnl_completion")
int BPF_PROG(fe_iavf_virtchnl_completion, void *adapter, __u32 op, __u32 rv, __u8 *msg, __u16 len)
{ return iavf_ev(MBX_EV_VC_RECV, adapter, op, rv, msg, len, MBX_VIA_FENTRY); }
SEC("kprobe/iavf_virtchnl_completion")
int BPF_KPROBE(kp_iavf_virtchnl_completion, void *adapter, __u32 op, __u32 rv, __u8 *msg, __u16 len)
{ return iavf_ev(MBX_EV_VC_RECV, adapter, op, rv, msg, len, MBX_VIA_KPROBE); }
