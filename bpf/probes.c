/* Loader for the datapath and mailbox BPF objects (libbpf-tools pattern):
 * decide per program whether it can work here (tracepoint in BTF, kprobes
 * in this kernel, function in kallsyms, driver loaded, privileges), open
 * the skeleton, set .rodata and autoload, load, attach, and remember per
 * probe what happened and why. A load failure is narrowed down to the
 * program that caused it by loading each one alone; the rest still load. */
#include "bpf/probes.h"
#include "lib/util.h"
#include "lib/lazy.h"
#include "decoders/mbx.h"
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <net/if.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bpf/datapath.skel.h"
#include "bpf/mailbox.skel.h"

enum { OBJ_DP = 0, OBJ_MBX = 1 };
/* Program variants of one probe: [V_MAIN] the preferred one (raw_tp for the
 * datapath, fentry/fexit for the mailbox), [V_KP]/[V_KRP] the kprobe and
 * kretprobe fallback (kretprobe only where fexit replaces an entry/return
 * pair). */
enum { V_MAIN = 0, V_KP = 1, V_KRP = 2, NV = 3 };

struct probe {
	const char *name, *group, *type, *target, *module;
	const char *prog[NV];
	int obj;
	int state;
	char reason[256];
	char fallback[200]; /* why the kprobe fallback was used (or fentry was not possible) */
	const char *used;   /* attach type in use */
	struct bpf_link *link[NV];
	uint64_t events;
};

#define P_TP(n, mod) { n, "datapath", "tp_btf", n, mod, { "tp_" n, NULL, NULL }, OBJ_DP, 0, "", "", NULL, { 0 }, 0 }
/* fentry + kprobe; fexit + kprobe/kretprobe (fn: the function, prog: program suffix) */
#define P_FE(fn, prog, mod) { fn, "mailbox", "fentry", fn, mod, { "fe_" prog, "kp_" prog, NULL }, OBJ_MBX, 0, "", "", NULL, { 0 }, 0 }
#define P_FX(fn, prog, mod) { fn, "mailbox", "fexit", fn, mod, { "fx_" prog, "kp_" prog, "krp_" prog }, OBJ_MBX, 0, "", "", NULL, { 0 }, 0 }
static struct probe probes[] = {
	P_TP("net_dev_xmit", NULL),
	P_TP("netif_receive_skb", NULL),
	P_TP("kfree_skb", NULL),
	P_TP("net_dev_xmit_timeout", NULL),
	P_TP("neigh_update", NULL),
	P_TP("br_fdb_update", "bridge"),
	P_FE("igb_write_mbx_pf", "igb_write_mbx_pf", "igb"),
	P_FX("igb_read_mbx_pf", "igb_read_mbx_pf", "igb"),
	P_FE("igb_vf_reset", "igb_vf_reset", "igb"),
	P_FE("igb_set_vf_mac", "igb_set_vf_mac", "igb"),
	P_FE("ixgbe_write_mbx_pf", "ixgbe_write_mbx_pf", "ixgbe"),
	P_FX("ixgbe_read_mbx_pf", "ixgbe_read_mbx_pf", "ixgbe"),
	P_FE("e1000_write_mbx_vf", "igbvf_write_mbx_vf", "igbvf"),
	P_FX("e1000_read_mbx_vf", "igbvf_read_mbx_vf", "igbvf"),
	P_FE("ixgbevf_write_mbx_vf", "ixgbevf_write_mbx_vf", "ixgbevf"),
	P_FX("ixgbevf_read_mbx_vf", "ixgbevf_read_mbx_vf", "ixgbevf"),
	P_FE("i40e_vc_process_vf_msg", "i40e_vc_process_vf_msg", "i40e"),
	P_FE("i40e_vc_send_msg_to_vf", "i40e_vc_send_msg_to_vf", "i40e"),
	P_FE("ice_vc_process_vf_msg", "ice_vc_process_vf_msg", "ice"),
	P_FE("ice_vc_send_msg_to_vf", "ice_vc_send_msg_to_vf", "ice"),
	P_FE("iavf_send_pf_msg", "iavf_send_pf_msg", "iavf"),
	P_FE("iavf_virtchnl_completion", "iavf_virtchnl_completion", "iavf"),
};
#define NPROBES ARRAY_SIZE(probes)

static struct {
	bool open;
	struct datapath_bpf *dp;
	struct mailbox_bpf *mbx;
	struct ring_buffer *rb;
	probes_event_fn cb;
	void *cb_ctx;
	int64_t mono_to_real;
	unsigned int netns;
	char log[1024]; /* last libbpf messages, for the reason text */
} P;

const char *probe_state_name(int s)
{
	return s == PROBE_ATTACHED ? "attached" : s == PROBE_UNAVAILABLE ? "unavailable" : "disabled";
}

/* ---- record -> struct vfs_event (pure) ---------------------------------- */

static void ev_init(struct vfs_event *ev, unsigned long long ts, unsigned int cpu, int64_t off)
{
	memset(ev, 0, sizeof(*ev));
	ev->ts_mono_ns = ts;
	ev->ts_real_ns = (uint64_t)((int64_t)ts + off);
	ev->cpu = (int32_t)cpu;
	ev->vf = -1;
}

static const char *nud_name(unsigned int s)
{
	static const struct { unsigned int v; const char *n; } t[] = {
		{ 0x01, "INCOMPLETE" }, { 0x02, "REACHABLE" }, { 0x04, "STALE" },
		{ 0x08, "DELAY" }, { 0x10, "PROBE" }, { 0x20, "FAILED" },
		{ 0x40, "NOARP" }, { 0x80, "PERMANENT" }, { 0x00, "NONE" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].v == s)
			return t[i].n;
	return "?";
}

static void fmt_hw(const unsigned char *a, unsigned int len, char *out, size_t size)
{
	size_t o = 0;
	out[0] = 0;
	for (unsigned int i = 0; i < len && o + 4 < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%02x", i ? ":" : "", a[i]);
}

static void copy_name(char *dst, size_t size, const char *src, size_t srclen)
{
	char tmp[DP_NAME_LEN + 1];
	size_t n = srclen < DP_NAME_LEN ? srclen : DP_NAME_LEN;
	memcpy(tmp, src, n);
	tmp[n] = 0;
	vfs_sanitize(dst, size, tmp);
}

int probes_dp_to_event(const void *rec, size_t len, int64_t off, struct vfs_event *ev)
{
	const struct dp_event *r = rec;
	char hw[3 * DP_ADDR_LEN + 1], ip[64], name2[DP_NAME_LEN + 1];

	if (len < sizeof(*r))
		return -EBADMSG;
	ev_init(ev, r->ts_ns, r->cpu, off);
	ev->ifindex = r->ifindex;
	copy_name(ev->ifname, sizeof(ev->ifname), r->name, sizeof(r->name));
	copy_name(name2, sizeof(name2), r->name2, sizeof(r->name2));
	fmt_hw(r->addr, r->addr_len > DP_ADDR_LEN ? DP_ADDR_LEN : r->addr_len, hw, sizeof(hw));
	switch (r->kind) {
	case DP_EV_TX_TIMEOUT:
		ev->kind = EV_TX_TIMEOUT;
		vfs_strlcpy(ev->probe, "net_dev_xmit_timeout", sizeof(ev->probe));
		snprintf(ev->text, sizeof(ev->text), "tx watchdog timeout on queue %u", r->arg);
		return 0;
	case DP_EV_NEIGH: {
		ev->kind = EV_NEIGH;
		vfs_strlcpy(ev->probe, "neigh_update", sizeof(ev->probe));
		const unsigned char *k = r->key;
		if (r->family == 2)
			snprintf(ip, sizeof(ip), "%u.%u.%u.%u", k[0], k[1], k[2], k[3]);
		else {
			size_t o = 0;
			for (int i = 0; i < 16; i += 2)
				o += (size_t)snprintf(ip + o, sizeof(ip) - o, "%s%x", i ? ":" : "", (k[i] << 8) | k[i + 1]);
		}
		snprintf(ev->text, sizeof(ev->text), "neigh %s lladdr %s %s -> %s", ip, hw[0] ? hw : "-",
			 nud_name(r->arg2), nud_name(r->arg));
		return 0;
	}
	case DP_EV_FDB:
		ev->kind = EV_FDB;
		vfs_strlcpy(ev->probe, "br_fdb_update", sizeof(ev->probe));
		snprintf(ev->text, sizeof(ev->text), "fdb %s vlan %u port %s bridge %s flags 0x%x", hw, r->arg,
			 ev->ifname[0] ? ev->ifname : "-", name2[0] ? name2 : "-", r->arg2);
		return 0;
	}
	return -EBADMSG;
}

static const char *const drv_names[] = { [MBX_DRV_IGB] = "igb", [MBX_DRV_I40E] = "i40e", [MBX_DRV_ICE] = "ice",
					 [MBX_DRV_IXGBE] = "ixgbe", [MBX_DRV_IGBVF] = "igbvf",
					 [MBX_DRV_IXGBEVF] = "ixgbevf", [MBX_DRV_IAVF] = "iavf" };

static bool vf_side(unsigned int drv)
{
	return drv == MBX_DRV_IGBVF || drv == MBX_DRV_IXGBEVF || drv == MBX_DRV_IAVF;
}

int probes_mbx_to_event(const void *rec, size_t len, int64_t off, struct vfs_event *ev)
{
	const struct mbx_event *r = rec;
	char hw[20], words[VFS_EV_WORDS * 11 + 1], pf[40] = "";
	size_t o = 0;

	if (len < sizeof(*r))
		return -EBADMSG;
	if (r->driver < 1 || r->driver >= ARRAY_SIZE(drv_names))
		return -EBADMSG;
	ev_init(ev, r->ts_ns, r->cpu, off);
	ev->vf = r->vf;
	vfs_strlcpy(ev->driver, drv_names[r->driver], sizeof(ev->driver));
	/* PF drivers name their PF netdev (also the interface the event is
	 * about); VF drivers name the VF's own netdev. */
	copy_name(ev->pf, sizeof(ev->pf), r->pf, sizeof(r->pf));
	copy_name(ev->ifname, sizeof(ev->ifname), vf_side(r->driver) ? r->ifname : r->pf,
		  vf_side(r->driver) ? sizeof(r->ifname) : sizeof(r->pf));
	if (ev->pf[0])
		snprintf(pf, sizeof(pf), " pf %s", ev->pf);
	else if (ev->ifname[0])
		snprintf(pf, sizeof(pf), " dev %s", ev->ifname);
	ev->nwords = r->nwords > VFS_EV_WORDS ? VFS_EV_WORDS : r->nwords;
	memcpy(ev->words, r->words, ev->nwords * sizeof(uint32_t));
	words[0] = 0;
	for (uint32_t i = 0; i < ev->nwords; i++)
		o += (size_t)snprintf(words + o, sizeof(words) - o, "%s%08x", i ? " " : "", ev->words[i]);
	switch (r->kind) {
	case MBX_EV_WRITE:
	case MBX_EV_READ:
		ev->kind = EV_MBX;
		if (vf_side(r->driver)) { /* the VF's own view: reads are the PF's answers */
			ev->dir = r->kind == MBX_EV_READ ? EV_DIR_PF_TO_VF : EV_DIR_VF_TO_PF;
			snprintf(ev->probe, sizeof(ev->probe), "%s_%s_mbx_vf",
				 r->driver == MBX_DRV_IGBVF ? "e1000" : ev->driver,
				 r->kind == MBX_EV_READ ? "read" : "write");
		} else {
			ev->dir = r->kind == MBX_EV_READ ? EV_DIR_VF_TO_PF : EV_DIR_PF_TO_VF;
			snprintf(ev->probe, sizeof(ev->probe), "%s_%s_mbx_pf", ev->driver,
				 r->kind == MBX_EV_READ ? "read" : "write");
		}
		/* E1000_VT_MSGTYPE_ACK / _NACK (IXGBE_VT_MSGTYPE_* alike) in word 0. */
		if (ev->nwords && (ev->words[0] & 0x80000000u))
			ev->result = EV_RES_ACK;
		else if (ev->nwords && (ev->words[0] & 0x40000000u))
			ev->result = EV_RES_NACK;
		/* Decoded by decoders/mbx.h when it knows the message; the raw
		 * words always follow in brackets. */
		{
			struct mbx_msg m;
			char dec[160] = "";
			int d = mbx_decode(ev->driver, ev->words, ev->nwords,
					   ev->dir == EV_DIR_VF_TO_PF ? MBX_VF2PF : MBX_PF2VF, &m);
			if (d == 0 || d == -ENODATA)
				mbx_format(&m, dec, sizeof(dec));
			snprintf(ev->text, sizeof(ev->text), "%s%s vf %d %s%s%s [%s]%s", ev->driver, pf, ev->vf,
				 ev->dir == EV_DIR_VF_TO_PF ? "vf->pf" : "pf->vf", dec[0] ? ": " : "", dec, words,
				 ev->result == EV_RES_ACK ? " ack" : ev->result == EV_RES_NACK ? " nack" : "");
		}
		return 0;
	case MBX_EV_VF_RESET:
		ev->kind = EV_VF_RESET;
		vfs_strlcpy(ev->probe, "igb_vf_reset", sizeof(ev->probe));
		snprintf(ev->text, sizeof(ev->text), "%s%s vf %d reset", ev->driver, pf, ev->vf);
		return 0;
	case MBX_EV_SET_MAC:
		ev->kind = EV_MBX;
		ev->dir = EV_DIR_PF_TO_VF;
		vfs_strlcpy(ev->probe, "igb_set_vf_mac", sizeof(ev->probe));
		fmt_hw(r->mac, 6, hw, sizeof(hw));
		snprintf(ev->text, sizeof(ev->text), "%s%s vf %d set mac %s", ev->driver, pf, ev->vf, hw);
		return 0;
	case MBX_EV_VC_RECV:
	case MBX_EV_VC_SEND: {
		/* PF drivers receive VF requests and send answers; iavf (the VF)
		 * sends requests (iavf_send_pf_msg) and gets the answers
		 * (iavf_virtchnl_completion). */
		bool recv = r->kind == MBX_EV_VC_RECV;
		bool answer;
		ev->kind = EV_MBX;
		if (r->driver == MBX_DRV_IAVF) {
			ev->dir = recv ? EV_DIR_PF_TO_VF : EV_DIR_VF_TO_PF;
			vfs_strlcpy(ev->probe, recv ? "iavf_virtchnl_completion" : "iavf_send_pf_msg", sizeof(ev->probe));
		} else {
			ev->dir = recv ? EV_DIR_VF_TO_PF : EV_DIR_PF_TO_VF;
			snprintf(ev->probe, sizeof(ev->probe), "%s_%s", ev->driver,
				 recv ? "vc_process_vf_msg" : "vc_send_msg_to_vf");
		}
		answer = ev->dir == EV_DIR_PF_TO_VF;
		if (answer)
			ev->result = r->retval == 0 ? EV_RES_ACK : EV_RES_NACK;
		snprintf(ev->text, sizeof(ev->text), "%s%s vf %d %s virtchnl op %u retval %d len %u [%s]", ev->driver,
			 pf, ev->vf, ev->dir == EV_DIR_VF_TO_PF ? "vf->pf" : "pf->vf", r->opcode, (int)r->retval,
			 r->size, words);
		return 0;
	}
	}
	return -EBADMSG;
}

/* ---- environment checks ------------------------------------------------- */

static int libbpf_log(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	char line[512];
	if (lvl == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	vfs_chomp(line);
	if (!line[0])
		return 0;
	size_t l = strlen(P.log), n = strlen(line);
	if (l + n + 3 >= sizeof(P.log)) { /* keep the newest text */
		P.log[0] = 0;
		l = 0;
	}
	snprintf(P.log + l, sizeof(P.log) - l, "%s%s", l ? "; " : "", line);
	if (getenv("VFSCOPE_BPF_DEBUG"))
		fprintf(stderr, "libbpf: %s\n", line);
	return 0;
}

static bool path_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

static bool has_cap(cap_value_t c)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;
	if (!caps)
		return false;
	if (cap_get_flag(caps, c, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

/* Names in /proc/kallsyms, looked up for the few kprobe targets only. */
static void kallsyms_scan(bool *found)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');
		if (!sp || !(sp = strchr(sp + 1, ' ')))
			continue;
		char *name = sp + 1;
		name[strcspn(name, "\t\n ")] = 0;
		for (size_t i = 0; i < NPROBES; i++)
			if (probes[i].obj == OBJ_MBX && !found[i] && !strcmp(name, probes[i].target))
				found[i] = true;
	}
	fclose(f);
}

static bool tracepoint_in_btf(struct btf *vmlinux, const struct probe *p)
{
	char tn[96];
	snprintf(tn, sizeof(tn), "btf_trace_%s", p->target);
	if (vmlinux && btf__find_by_name_kind(vmlinux, tn, BTF_KIND_TYPEDEF) > 0)
		return true;
	if (vmlinux && p->module) {
		char path[96];
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", p->module);
		struct btf *m = btf__parse_split(path, vmlinux);
		bool ok = m && btf__find_by_name_kind(m, tn, BTF_KIND_TYPEDEF) > 0;
		btf__free(m);
		return ok;
	}
	return false;
}

static bool selected(const struct probe *p, const struct probes_opts *o)
{
	if (!o || !o->nnames)
		return true;
	for (size_t i = 0; i < o->nnames; i++)
		if (!strcmp(o->names[i], p->name) || !strcmp(o->names[i], p->group) ||
		    !strcmp(o->names[i], "all"))
			return true;
	return false;
}

static void unavailable(struct probe *p, const char *fmt, ...)
{
	va_list ap;
	p->state = PROBE_UNAVAILABLE;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	p->fallback[0] = 0; /* the reason says it all */
}

static void set_fallback(struct probe *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->fallback, sizeof(p->fallback), fmt, ap);
	va_end(ap);
}

static int attach_mode(const struct probes_opts *o)
{
	if (o && o->attach)
		return o->attach;
	const char *e = getenv("VFSCOPE_ATTACH"); /* for top/metrics, which have no option */
	if (e && !strcmp(e, "kprobe"))
		return PROBES_ATTACH_KPROBE;
	if (e && !strcmp(e, "fentry"))
		return PROBES_ATTACH_FENTRY;
	return PROBES_ATTACH_AUTO;
}

/* The function in its module's BTF (what fentry/fexit attach to): 1 yes,
 * 0 no (why in `why`). Module BTFs are parsed once per precheck. */
static int fentry_possible(struct btf *vml, const struct probe *p, struct btf **mods, const char **modnames,
			   size_t *nmods, char *why, size_t whysize)
{
	char path[96];
	struct btf *m = NULL;
	snprintf(path, sizeof(path), "/sys/module/%s", p->module);
	if (!path_exists(path)) {
		snprintf(why, whysize, "driver %s not loaded (no /sys/kernel/btf/%s)", p->module, p->module);
		return 0;
	}
	if (!vml) {
		snprintf(why, whysize, "no kernel BTF (/sys/kernel/btf/vmlinux)");
		return 0;
	}
	for (size_t i = 0; i < *nmods; i++)
		if (!strcmp(modnames[i], p->module))
			m = mods[i];
	if (!m) {
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", p->module);
		m = btf__parse_split(path, vml);
		if (!m) {
			snprintf(why, whysize, "no BTF for module %s (%s missing: CONFIG_DEBUG_INFO_BTF_MODULES off?)",
				 p->module, path);
			return 0;
		}
		mods[*nmods] = m;
		modnames[(*nmods)++] = p->module;
	}
	if (btf__find_by_name_kind(m, p->target, BTF_KIND_FUNC) <= 0) {
		snprintf(why, whysize, "function %s not in %s's BTF (inlined or renamed)", p->target, p->module);
		return 0;
	}
	return 1;
}

/* Decide what may load: cand[i][v] for each program variant. Probes with no
 * candidate are UNAVAILABLE with the reason; the rest stay DISABLED with
 * reason "" until attached. */
static void precheck(const struct probes_opts *o, bool (*cand)[NV])
{
	bool syms[NPROBES] = { 0 };
	bool kprobes = path_exists("/sys/bus/event_source/devices/kprobe") ||
		       path_exists("/sys/kernel/tracing/kprobe_events") ||
		       path_exists("/sys/kernel/debug/tracing/kprobe_events");
	bool bpf_cap = has_cap(CAP_SYS_ADMIN) || has_cap(CAP_BPF);
	bool perf_cap = has_cap(CAP_SYS_ADMIN) || has_cap(CAP_PERFMON);
	int mode = attach_mode(o);
	struct btf *vml = btf__load_vmlinux_btf();
	struct btf *mods[NPROBES];
	const char *modnames[NPROBES];
	size_t nmods = 0;
	if (!vml)
		vml = NULL;
	kallsyms_scan(syms);

	for (size_t i = 0; i < NPROBES; i++) {
		struct probe *p = &probes[i];
		char mod[64], fwhy[160] = "", kwhy[160] = "";
		memset(cand[i], 0, sizeof(cand[i]));
		p->reason[0] = p->fallback[0] = 0;
		if (!selected(p, o)) {
			p->state = PROBE_DISABLED;
			snprintf(p->reason, sizeof(p->reason), "not selected (--probe)");
			continue;
		}
		if (p->obj == OBJ_DP) {
			if (!tracepoint_in_btf(vml, p)) {
				if (p->module)
					snprintf(mod, sizeof(mod), " (module %s not loaded?)", p->module);
				else
					mod[0] = 0;
				unavailable(p, "tracepoint %s not in this kernel's BTF%s", p->target, mod);
				continue;
			}
			if (!bpf_cap || !perf_cap) {
				unavailable(p, "EPERM: no CAP_BPF/CAP_PERFMON (or CAP_SYS_ADMIN)");
				continue;
			}
			cand[i][V_MAIN] = true;
			continue;
		}
		/* Mailbox: fentry/fexit first, kprobe (+ kretprobe) as the fallback. */
		if (mode == PROBES_ATTACH_KPROBE)
			snprintf(fwhy, sizeof(fwhy), "not tried (--attach kprobe)");
		else
			cand[i][V_MAIN] = fentry_possible(vml, p, mods, modnames, &nmods, fwhy, sizeof(fwhy));
		if (mode == PROBES_ATTACH_FENTRY) {
			snprintf(kwhy, sizeof(kwhy), "not tried (--attach fentry)");
		} else if (!kprobes) {
			snprintf(kwhy, sizeof(kwhy), "no kprobes in this kernel (CONFIG_KPROBES off: no kprobe PMU or kprobe_events)");
		} else if (!syms[i]) {
			snprintf(mod, sizeof(mod), "/sys/module/%s", p->module);
			if (!path_exists(mod))
				snprintf(kwhy, sizeof(kwhy), "driver %s not loaded (%s not in /proc/kallsyms)", p->module, p->target);
			else
				snprintf(kwhy, sizeof(kwhy), "function %s not found in /proc/kallsyms (inlined or renamed)",
					 p->target);
		} else {
			cand[i][V_KP] = true;
			cand[i][V_KRP] = p->prog[V_KRP] != NULL;
		}
		if (!cand[i][V_MAIN] && !cand[i][V_KP]) {
			unavailable(p, "%s: %s; kprobe: %s", p->type, fwhy, kwhy);
			continue;
		}
		if (!bpf_cap || !perf_cap) {
			memset(cand[i], 0, sizeof(cand[i]));
			unavailable(p, "EPERM: no CAP_BPF/CAP_PERFMON (or CAP_SYS_ADMIN)");
			continue;
		}
		if (!cand[i][V_MAIN])
			set_fallback(p, "%s: %s", p->type, fwhy);
	}
	for (size_t i = 0; i < nmods; i++)
		btf__free(mods[i]);
	btf__free(vml);
}

/* ---- skeleton handling -------------------------------------------------- */

static struct bpf_object *obj_of(int which)
{
	return which == OBJ_DP ? (P.dp ? P.dp->obj : NULL) : (P.mbx ? P.mbx->obj : NULL);
}

static void obj_destroy(int which)
{
	if (which == OBJ_DP) {
		datapath_bpf__destroy(P.dp);
		P.dp = NULL;
	} else {
		mailbox_bpf__destroy(P.mbx);
		P.mbx = NULL;
	}
}

/* The mailbox ring: 256 KiB a possible CPU (what bpftrace gives each CPU's
 * perf buffer), at least 1 MiB, at most 8 MiB; a power of two. One record is
 * 160 bytes with its header, so 1 MiB holds 6,553 messages for a consumer
 * that is not reading (a stopped terminal, a slow pipe): in the lab's reset
 * storm 256 KiB held 1,638 where bpftrace's buffer held 2,184 (bench/lab_mailbox.sh). */
unsigned int mbx_ring_bytes(int ncpu)
{
	unsigned long want = (unsigned long)(ncpu > 0 ? ncpu : 1) * (256u << 10), sz = 1u << 20;
	while (sz < want && sz < (8u << 20))
		sz <<= 1;
	return (unsigned int)sz;
}

static int obj_open(int which, bool (*enable)[NV], const struct probes_opts *o)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	if (which == OBJ_DP) {
		P.dp = datapath_bpf__open();
		if (!P.dp)
			return -errno ? -errno : -ENOMEM;
		P.dp->rodata->filter_on = o && o->nifindexes > 0;
		P.dp->rodata->filter_netns = P.netns;
	} else {
		P.mbx = mailbox_bpf__open();
		if (!P.mbx)
			return -errno ? -errno : -ENOMEM;
		bpf_map__set_max_entries(P.mbx->maps.mbx_events, mbx_ring_bytes(libbpf_num_possible_cpus()));
	}
	obj = obj_of(which);
	/* Every program off, then the candidates on. */
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, false);
	for (size_t i = 0; i < NPROBES; i++) {
		if (probes[i].obj != which)
			continue;
		for (int v = 0; v < NV; v++)
			if (probes[i].prog[v] && (prog = bpf_object__find_program_by_name(obj, probes[i].prog[v])))
				bpf_program__set_autoload(prog, enable[i][v]);
	}
	return 0;
}

static int obj_load(int which)
{
	return which == OBJ_DP ? datapath_bpf__load(P.dp) : mailbox_bpf__load(P.mbx);
}

static void load_reason(struct probe *p, int v, int err)
{
	char r[200];
	if (err == -EPERM || err == -EACCES)
		snprintf(r, sizeof(r), "EPERM: no CAP_BPF/CAP_PERFMON (%s)", strerror(-err));
	else
		snprintf(r, sizeof(r), "load failed: %s%s%.150s", strerror(-err), P.log[0] ? ": " : "", P.log);
	if (p->obj == OBJ_MBX && v == V_MAIN)
		set_fallback(p, "%s: %s", p->type, r); /* the kprobe variant may still load */
	else if (p->obj == OBJ_MBX && p->fallback[0])
		unavailable(p, "%s; kprobe: %s", p->fallback, r);
	else
		unavailable(p, "%s", r);
}

static bool any_cand(int which, bool (*cand)[NV])
{
	for (size_t i = 0; i < NPROBES; i++)
		for (int v = 0; v < NV; v++)
			if (probes[i].obj == which && cand[i][v])
				return true;
	return false;
}

/* Load one object with every candidate program; if that fails, load each
 * program alone to find the ones at fault, then load the rest together. A
 * kretprobe goes with its kprobe. */
static void load_object(int which, bool (*cand)[NV], const struct probes_opts *o)
{
	int err;
	if (!any_cand(which, cand))
		return;
	P.log[0] = 0;
	if ((err = obj_open(which, cand, o)) < 0)
		goto fail_all;
	if (!(err = obj_load(which)))
		return;
	obj_destroy(which);
	for (size_t i = 0; i < NPROBES; i++) {
		for (int v = 0; v < NV; v++) {
			if (probes[i].obj != which || !cand[i][v])
				continue;
			bool one[NPROBES][NV];
			memset(one, 0, sizeof(one));
			one[i][v] = true;
			P.log[0] = 0;
			if ((err = obj_open(which, one, o)) < 0 || (err = obj_load(which)) < 0) {
				load_reason(&probes[i], v, err);
				cand[i][v] = false;
				if (v == V_KP)
					cand[i][V_KRP] = false;
				if (v == V_KRP)
					cand[i][V_KP] = false;
			}
			obj_destroy(which);
		}
		if (probes[i].obj == which && probes[i].state != PROBE_UNAVAILABLE && !cand[i][V_MAIN] &&
		    !cand[i][V_KP] && probes[i].fallback[0])
			unavailable(&probes[i], "%s", probes[i].fallback);
	}
	if (!any_cand(which, cand))
		return;
	P.log[0] = 0;
	if ((err = obj_open(which, cand, o)) < 0 || (err = obj_load(which)) < 0)
		goto fail_all;
	return;
fail_all:
	for (size_t i = 0; i < NPROBES; i++)
		for (int v = 0; v < NV; v++)
			if (probes[i].obj == which && cand[i][v]) {
				load_reason(&probes[i], v == V_MAIN ? V_KP : v, err);
				cand[i][v] = false;
			}
	obj_destroy(which);
}

static int on_dp(void *ctx, void *data, size_t len)
{
	struct vfs_event ev;
	if (probes_dp_to_event(data, len, P.mono_to_real, &ev) < 0)
		return 0;
	const struct dp_event *r = data;
	if (r->netns && r->netns != P.netns)
		ev.ifindex = 0; /* an ifindex of another namespace means nothing here */
	for (size_t i = 0; i < NPROBES; i++)
		if (!strcmp(probes[i].name, ev.probe))
			probes[i].events++;
	if (ev.kind == EV_TX_TIMEOUT && ev.ifname[0]) {
		char path[64], link[256];
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", ev.ifname);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = 0;
			const char *b = strrchr(link, '/');
			vfs_sanitize(ev.driver, sizeof(ev.driver), b ? b + 1 : link);
		}
	}
	if (P.cb)
		P.cb(&ev, P.cb_ctx);
	return 0;
}

static int on_mbx(void *ctx, void *data, size_t len)
{
	struct vfs_event ev;
	if (probes_mbx_to_event(data, len, P.mono_to_real, &ev) < 0)
		return 0;
	for (size_t i = 0; i < NPROBES; i++)
		if (!strcmp(probes[i].name, ev.probe))
			probes[i].events++;
	if (P.cb)
		P.cb(&ev, P.cb_ctx);
	return 0;
}

static struct bpf_link *attach_one(struct bpf_object *obj, const char *name, int *err)
{
	struct bpf_program *prog = name ? bpf_object__find_program_by_name(obj, name) : NULL;
	struct bpf_link *l;
	P.log[0] = 0;
	errno = 0;
	l = prog ? bpf_program__attach(prog) : NULL;
	*err = l ? 0 : (errno ? -errno : -ENOENT);
	return l;
}

static void attach_reason(char *out, size_t size, int err)
{
	if (err == -EPERM || err == -EACCES)
		snprintf(out, size, "attach: EPERM: no CAP_BPF/CAP_PERFMON");
	else
		snprintf(out, size, "attach failed: %s%s%.150s", strerror(-err), P.log[0] ? ": " : "", P.log);
}

/* Attach the preferred variant, else the kprobe (+ kretprobe) fallback. */
static void attach_probe(struct probe *p, bool *cand)
{
	struct bpf_object *obj = obj_of(p->obj);
	char why[200];
	int err = 0;
	if (!obj)
		return;
	if (cand[V_MAIN]) {
		p->link[V_MAIN] = attach_one(obj, p->prog[V_MAIN], &err);
		if (p->link[V_MAIN]) {
			p->used = p->type;
			p->state = PROBE_ATTACHED;
			p->reason[0] = p->fallback[0] = 0;
			return;
		}
		attach_reason(why, sizeof(why), err);
		if (p->obj == OBJ_DP) {
			unavailable(p, "%s", why);
			return;
		}
		set_fallback(p, "%s: %s", p->type, why);
	}
	if (!cand[V_KP]) {
		if (p->fallback[0])
			unavailable(p, "%s", p->fallback);
		return;
	}
	p->link[V_KP] = attach_one(obj, p->prog[V_KP], &err);
	if (p->link[V_KP] && cand[V_KRP]) {
		p->link[V_KRP] = attach_one(obj, p->prog[V_KRP], &err);
		if (!p->link[V_KRP]) {
			bpf_link__destroy(p->link[V_KP]);
			p->link[V_KP] = NULL;
		}
	}
	if (!p->link[V_KP]) {
		attach_reason(why, sizeof(why), err);
		if (p->fallback[0])
			unavailable(p, "%s; kprobe: %s", p->fallback, why);
		else
			unavailable(p, "kprobe: %s", why);
		return;
	}
	p->used = cand[V_KRP] ? "kprobe+kretprobe" : "kprobe";
	p->state = PROBE_ATTACHED;
	p->reason[0] = 0;
}

int probes_open(const struct probes_opts *o)
{
	bool cand[NPROBES][NV];
	struct stat st;

	if (P.open)
		return -EBUSY;
	for (size_t i = 0; o && i < o->nnames; i++) {
		bool known = !strcmp(o->names[i], "datapath") || !strcmp(o->names[i], "mailbox") ||
			     !strcmp(o->names[i], "all") || !strcmp(o->names[i], "none");
		for (size_t j = 0; j < NPROBES && !known; j++)
			known = !strcmp(o->names[i], probes[j].name);
		if (!known)
			return -EINVAL;
	}
	if (o && o->nifindexes > DP_FILTER_MAX)
		return -EINVAL;
	if (o && (o->attach < PROBES_ATTACH_AUTO || o->attach > PROBES_ATTACH_KPROBE))
		return -EINVAL;
	memset(&P, 0, sizeof(P));
	P.open = true;
	P.cb = o ? o->cb : NULL;
	P.cb_ctx = o ? o->cb_ctx : NULL;
	P.mono_to_real = (int64_t)vfs_now_real_ns() - (int64_t)vfs_now_mono_ns();
	if (stat("/proc/self/ns/net", &st) == 0)
		P.netns = (unsigned int)st.st_ino;
	for (size_t i = 0; i < NPROBES; i++) {
		probes[i].state = PROBE_DISABLED;
		memset(probes[i].link, 0, sizeof(probes[i].link));
		probes[i].used = NULL;
		probes[i].events = 0;
	}
	/* libbpf is loaded here, on first use (lib/lazy_bpf.c); without it
	 * every selected probe is unavailable and says why (lazy_load has
	 * said so once on stderr). */
	if (!lazy_load(&lazy_bpf)) {
		for (size_t i = 0; i < NPROBES; i++)
			if (selected(&probes[i], o))
				unavailable(&probes[i], "%s could not be loaded: %s", lazy_bpf.soname, lazy_bpf.err);
			else
				snprintf(probes[i].reason, sizeof(probes[i].reason), "not selected (--probe)");
		return 0;
	}
	libbpf_set_print(libbpf_log);

	precheck(o, cand);
	load_object(OBJ_DP, cand, o);
	load_object(OBJ_MBX, cand, o);

	if (P.dp && o && o->nifindexes) {
		uint8_t one = 1;
		for (size_t i = 0; i < o->nifindexes; i++)
			bpf_map__update_elem(P.dp->maps.ifindex_filter, &o->ifindexes[i], sizeof(int), &one,
					     sizeof(one), BPF_ANY);
	}
	/* Attach only after everything is loaded. */
	for (size_t i = 0; i < NPROBES; i++)
		if (cand[i][V_MAIN] || cand[i][V_KP])
			attach_probe(&probes[i], cand[i]);
	if (P.dp)
		P.rb = ring_buffer__new(bpf_map__fd(P.dp->maps.events), on_dp, NULL, NULL);
	if (P.mbx) {
		if (P.rb)
			ring_buffer__add(P.rb, bpf_map__fd(P.mbx->maps.mbx_events), on_mbx, NULL);
		else
			P.rb = ring_buffer__new(bpf_map__fd(P.mbx->maps.mbx_events), on_mbx, NULL, NULL);
	}
	libbpf_set_print(NULL);
	return 0;
}

int probes_poll(int timeout_ms)
{
	if (!P.rb) {
		if (timeout_ms > 0)
			usleep((useconds_t)timeout_ms * 1000);
		return 0;
	}
	int n = timeout_ms ? ring_buffer__poll(P.rb, timeout_ms) : ring_buffer__consume(P.rb);
	return n == -EINTR ? 0 : n;
}

int probes_fd(void)
{
	return P.rb ? ring_buffer__epoll_fd(P.rb) : -1;
}

int probes_attached(void)
{
	int n = 0;
	for (size_t i = 0; i < NPROBES; i++)
		n += probes[i].state == PROBE_ATTACHED;
	return n;
}

static int percpu_sum(int fd, const void *key, size_t vsize, uint64_t *sum, size_t nfields)
{
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return -EINVAL;
	uint64_t *vals = vfs_xcalloc((size_t)ncpu, vsize);
	int err = bpf_map_lookup_elem(fd, key, vals);
	if (!err) {
		memset(sum, 0, nfields * sizeof(uint64_t));
		for (int c = 0; c < ncpu; c++)
			for (size_t f = 0; f < nfields; f++)
				sum[f] += vals[(size_t)c * (vsize / 8) + f];
	}
	free(vals);
	return err ? -errno : 0;
}

static struct probes_if_counters *counters_slot(struct probes_if_counters *out, size_t *n, size_t max,
						unsigned int netns, int ifindex)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].netns == netns && out[i].ifindex == ifindex)
			return &out[i];
	if (*n >= max)
		return NULL;
	struct probes_if_counters *c = &out[(*n)++];
	memset(c, 0, sizeof(*c));
	c->netns = netns;
	c->ifindex = ifindex;
	c->local = netns == P.netns;
	if (c->local) {
		char name[IF_NAMESIZE];
		if (if_indextoname((unsigned int)ifindex, name))
			vfs_sanitize(c->ifname, sizeof(c->ifname), name);
	}
	return c;
}

static void counters_add(struct probes_if_counters *c, const uint64_t *s)
{
	c->tx_packets += s[0], c->tx_bytes += s[1], c->rx_packets += s[2];
	c->rx_bytes += s[3], c->drops += s[4], c->tx_timeouts += s[5];
}

/* The per-CPU array slots (each CPU's slot names its own key) and the
 * per-CPU hash for the rest, summed per (netns, ifindex). */
int probes_counters(struct probes_if_counters *out, size_t max)
{
	struct dp_key k, next, *prev = NULL;
	size_t n = 0;
	if (!P.dp)
		return 0;
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return -EINVAL;
	struct dp_slot *vals = vfs_xcalloc((size_t)ncpu, sizeof(*vals));
	int afd = bpf_map__fd(P.dp->maps.slots);
	for (uint32_t i = 0; i < DP_SLOTS; i++) {
		if (bpf_map_lookup_elem(afd, &i, vals))
			continue;
		for (int cpu = 0; cpu < ncpu; cpu++) {
			const struct dp_slot *sl = &vals[cpu];
			struct probes_if_counters *c;
			if (!sl->key.ifindex || !(c = counters_slot(out, &n, max, sl->key.netns, sl->key.ifindex)))
				continue;
			uint64_t s[6] = { sl->c.tx_packets, sl->c.tx_bytes, sl->c.rx_packets,
					  sl->c.rx_bytes, sl->c.drops, sl->c.tx_timeouts };
			counters_add(c, s);
		}
	}
	free(vals);
	int fd = bpf_map__fd(P.dp->maps.counters);
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint64_t s[6];
		struct probes_if_counters *c;
		k = next;
		prev = &k;
		if (percpu_sum(fd, &k, sizeof(struct dp_counters), s, 6) < 0)
			continue;
		if ((c = counters_slot(out, &n, max, k.netns, k.ifindex)))
			counters_add(c, s);
	}
	return (int)n;
}

int probes_drops(struct probes_drop *out, size_t max)
{
	struct dp_drop_key k, next, *prev = NULL;
	size_t n = 0;
	if (!P.dp)
		return 0;
	int fd = bpf_map__fd(P.dp->maps.drops);
	while (n < max && bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint64_t s;
		k = next;
		prev = &k;
		if (percpu_sum(fd, &k, sizeof(uint64_t), &s, 1) < 0)
			continue;
		out[n++] = (struct probes_drop){ k.netns, k.ifindex, k.reason, s };
	}
	return (int)n;
}

size_t probes_list(struct probes_info *out, size_t max)
{
	struct probes_if_counters c[256];
	uint64_t tx = 0, rx = 0, drops = 0;
	int n = probes_counters(c, ARRAY_SIZE(c));
	for (int i = 0; i < n; i++)
		tx += c[i].tx_packets, rx += c[i].rx_packets, drops += c[i].drops;
	size_t k = 0;
	for (size_t i = 0; i < NPROBES && k < max; i++, k++) {
		const struct probe *p = &probes[i];
		struct probes_info *o = &out[k];
		memset(o, 0, sizeof(*o));
		vfs_strlcpy(o->name, p->name, sizeof(o->name));
		vfs_strlcpy(o->group, p->group, sizeof(o->group));
		vfs_strlcpy(o->type, p->used ? p->used : p->type, sizeof(o->type));
		vfs_strlcpy(o->preferred, p->type, sizeof(o->preferred));
		vfs_sanitize(o->fallback, sizeof(o->fallback), P.open ? p->fallback : "");
		vfs_strlcpy(o->target, p->target, sizeof(o->target));
		o->state = P.open ? p->state : PROBE_DISABLED;
		vfs_sanitize(o->reason, sizeof(o->reason), P.open ? p->reason : "not opened");
		o->events = p->events;
		if (!strcmp(p->name, "net_dev_xmit"))
			o->events = tx;
		else if (!strcmp(p->name, "netif_receive_skb"))
			o->events = rx;
		else if (!strcmp(p->name, "kfree_skb"))
			o->events = drops;
	}
	return k;
}

static uint64_t lost_of(struct bpf_map *m)
{
	uint32_t zero = 0;
	uint64_t s = 0;
	if (m && percpu_sum(bpf_map__fd(m), &zero, sizeof(uint64_t), &s, 1) < 0)
		s = 0;
	return s;
}

/* Names from the running kernel's enum skb_drop_reason (BTF), so they are
 * right for whichever kernel the numbers came from. */
static struct btf *reason_btf;
const char *probes_drop_reason_name(unsigned int reason)
{
	static const char pfx[] = "SKB_DROP_REASON_";
	if (!reason_btf)
		reason_btf = btf__load_vmlinux_btf();
	if (!reason_btf)
		return NULL;
	int id = btf__find_by_name_kind(reason_btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id <= 0)
		return NULL;
	const struct btf_type *t = btf__type_by_id(reason_btf, (unsigned int)id);
	const struct btf_enum *e = btf_enum(t);
	for (unsigned short i = 0; i < btf_vlen(t); i++, e++) {
		if ((unsigned int)e->val != reason)
			continue;
		const char *n = btf__name_by_offset(reason_btf, e->name_off);
		if (n && !strncmp(n, pfx, sizeof(pfx) - 1))
			n += sizeof(pfx) - 1;
		return n;
	}
	return NULL;
}

uint64_t probes_lost(void)
{
	return (P.dp ? lost_of(P.dp->maps.lost) : 0) + (P.mbx ? lost_of(P.mbx->maps.mbx_lost) : 0);
}

int probes_drop_caps(void)
{
	cap_value_t drop[] = { CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON };
	cap_t caps = cap_get_proc();
	int err = 0;
	if (!caps)
		return -errno;
	for (size_t i = 0; i < ARRAY_SIZE(drop); i++) {
		if (!CAP_IS_SUPPORTED(drop[i]))
			continue;
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &drop[i], CAP_CLEAR);
		cap_set_flag(caps, CAP_PERMITTED, 1, &drop[i], CAP_CLEAR);
		cap_set_flag(caps, CAP_INHERITABLE, 1, &drop[i], CAP_CLEAR);
	}
	if (cap_set_proc(caps))
		err = -errno;
	cap_free(caps);
	/* The bounding set too, so nothing exec'd later regains them. */
	for (size_t i = 0; !err && i < ARRAY_SIZE(drop); i++)
		if (CAP_IS_SUPPORTED(drop[i]) && cap_get_bound(drop[i]) == 1 && has_cap(CAP_SETPCAP))
			cap_drop_bound(drop[i]);
	return err;
}

void probes_close(void)
{
	if (!P.open)
		return;
	ring_buffer__free(P.rb);
	P.rb = NULL;
	for (size_t i = 0; i < NPROBES; i++)
		for (int v = 0; v < NV; v++) {
			bpf_link__destroy(probes[i].link[v]);
			probes[i].link[v] = NULL;
		}
	obj_destroy(OBJ_DP);
	obj_destroy(OBJ_MBX);
	btf__free(reason_btf);
	reason_btf = NULL;
	P.open = false;
}
