/* Event rules over the collected window: VFS011 VF reset storms, VFS012
 * transmit timeouts, VFS013 bursts of refused mailbox requests; from
 * probe/trace events per (PF, VF), else from kernel log lines per device.
 * Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

struct burst {
	int kind, result, min;
	int kmsg_min; /* kernel log lines alone, per device */
	unsigned kcls;
	const char *what, *fix;
	const char *vf_args; /* for `ip link set PF vf N ARGS` in the fix, or NULL */
	bool kmsg_per_vf;    /* count a PF's lines per VF they name (one record per VF) */
};

/* Events grouped by (PF/ifname, VF). */
struct evgroup { char pf[16]; int vf; int n; uint64_t first, last; };

static size_t group_events(const struct machine *m, int kind, int result, struct evgroup *g, size_t max)
{
	size_t ng = 0;
	for (size_t i = 0; i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != kind || (result && e->result != result))
			continue;
		const char *pf = e->pf[0] ? e->pf : e->ifname;
		size_t k;
		for (k = 0; k < ng; k++)
			if (!strcmp(g[k].pf, pf) && g[k].vf == e->vf)
				break;
		if (k == ng) {
			if (ng == max)
				continue;
			memset(&g[ng], 0, sizeof(g[ng]));
			vfs_strlcpy(g[ng].pf, pf, sizeof(g[ng].pf));
			g[ng].vf = e->vf;
			g[ng].first = e->ts_real_ns;
			ng++;
		}
		g[k].n++;
		g[k].last = e->ts_real_ns;
	}
	return ng;
}

/* The host PF an event names (its netdev name or PCI address), or NULL. */
static struct pf *event_pf(struct machine *host, const char *name)
{
	for (size_t i = 0; i < host->npfs; i++)
		if (vs_is(&host->pfs[i].netdev, name) || vs_is(&host->pfs[i].pci, name))
			return &host->pfs[i];
	return NULL;
}

static void burst_fix(struct finding *f, const struct burst *b, struct pf *pf, int vf)
{
	char a[320];
	if (!b->vf_args)
		finding_fix(f, "%s", b->fix);
	else
		finding_fix(f, "%s: %s, or stop asking (team fail_over_mac active, no VLAN filters in the guest)", b->fix,
			    fix_vf(a, sizeof(a), pf, vf, b->vf_args));
}

static void rule_event_bursts(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct burst *b = rl->arg;
	for (int gi = -1; gi < (int)host->nguests; gi++) {
		struct machine *m = gi < 0 ? host : host->guests[gi];
		struct evgroup g[64];
		size_t ng = group_events(m, b->kind, b->result, g, ARRAY_SIZE(g));
		for (size_t k = 0; k < ng; k++) {
			if (g[k].n < b->min)
				continue;
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			if (g[k].vf >= 0)
				finding_subject(f, "%s %s VF %d", machine_name(host, gi), g[k].pf, g[k].vf);
			else
				finding_subject(f, "%s %s", machine_name(host, gi), g[k].pf);
			finding_ev(f, SRC_PROBE, b->what, "%d (threshold %d)", g[k].n, b->min);
			char t0[32], t1[32];
			if (g[k].first && g[k].last) {
				vfs_fmt_time(g[k].first, t0);
				vfs_fmt_time(g[k].last, t1);
				finding_ev(f, SRC_PROBE, "between", "%s and %s", t0, t1);
			} else /* not measured is not 1970 */
				finding_ev(f, SRC_NONE, "between", "unknown");
			burst_fix(f, b, m == host ? event_pf(host, g[k].pf) : NULL, g[k].vf);
			finding_kmsg(f, m, b->kcls, NULL, -1, g[k].pf);
		}
		/* The kernel log alone, when no probe saw the events: per device
		 * (the PCI address the line names), with a higher threshold, since
		 * a deliberate rebind or reconfiguration logs a reset or two per VF. */
		if (ng)
			continue;
		struct { char pci[16]; int vf, n; size_t first; } dev[64];
		size_t nd = 0;
		for (size_t i = 0; i < m->nkmsg; i++) {
			struct kmsg_info ki;
			if (!(kmsg_classify(m->kmsg[i].text, &ki) & b->kcls))
				continue;
			/* the device: the PCI address the line names, else its netdev
			 * (6.1's "NETDEV WATCHDOG: ens4 (iavf): ..." names no PCI address) */
			const char *key = ki.pci[0] ? ki.pci : ki.netdev;
			int kvf = b->kmsg_per_vf ? ki.vf : -1;
			size_t k;
			for (k = 0; k < nd; k++)
				if (!strcmp(dev[k].pci, key) && dev[k].vf == kvf)
					break;
			if (k == nd) {
				if (nd == ARRAY_SIZE(dev))
					continue;
				vfs_strlcpy(dev[nd].pci, key, sizeof(dev[nd].pci));
				dev[nd].vf = kvf;
				dev[nd].first = i;
				dev[nd++].n = 0;
			}
			dev[k].n++;
		}
		int kmin = b->kmsg_min;
		for (size_t k = 0; k < nd; k++) {
			if (dev[k].n < kmin)
				continue;
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			if (dev[k].vf >= 0)
				finding_subject(f, "%s %s VF %d", machine_name(host, gi), dev[k].pci[0] ? dev[k].pci : "kernel log",
						dev[k].vf);
			else
				finding_subject(f, "%s %s", machine_name(host, gi), dev[k].pci[0] ? dev[k].pci : "kernel log");
			finding_ev(f, SRC_KMSG, b->what, "%d kernel log lines (threshold %d)", dev[k].n, kmin);
			struct kmsg_info ki;
			kmsg_classify(m->kmsg[dev[k].first].text, &ki);
			struct kref kr;
			kref_resolve(host, m, &ki, &kr);
			/* one VF number only when every line names the same one */
			int vf = -2;
			for (size_t i = 0; i < m->nkmsg; i++) {
				struct kmsg_info kj;
				if ((kmsg_classify(m->kmsg[i].text, &kj) & b->kcls) &&
				    !strcmp(kj.pci[0] ? kj.pci : kj.netdev, dev[k].pci) &&
				    (b->kmsg_per_vf ? kj.vf : -1) == dev[k].vf) {
					finding_kmsg_line(f, &m->kmsg[i]);
					vf = vf == -2 || vf == kj.vf ? kj.vf : -1;
				}
			}
			if (vf < 0 && kr.vf)
				vf = kr.vfidx; /* a VF driver's lines: the VF is the device itself */
			burst_fix(f, b, kr.pf, vf < 0 ? -1 : vf);
		}
	}
}

static const struct burst reset_arg = {
	/* A deliberate rebind or reconfiguration logs a reset or two per VF.
	 * The VF driver's "Reset indication received from the PF" and ixgbe's
	 * "VF Reset msg received from vf %d" (ixgbe_vf_reset_msg(): one
	 * e_info per IXGBE_VF_RESET request, which ixgbevf sends on probe and
	 * on every reset) are each one reset record; a PF's lines count per
	 * VF, so enabling eight VFs (one reset each) is no storm. */
	EV_VF_RESET, 0, 3, 6, KM_RESET | KM_STILL_RESET | KM_VF_RESET_MSG, "VF resets",
	"find what resets the VF (PF link flaps, PF reconfiguration, VF driver errors); "
	"stop changing VF settings under a running guest; check the PF firmware", NULL, true
};
static const struct burst txto_arg = {
	/* nothing deliberate logs a TX timeout, and kernels before 6.2 log
	 * only the first of a boot (WARN_ONCE): one line is the record */
	EV_TX_TIMEOUT, 0, 1, 1, KM_TX_TIMEOUT, "transmit timeouts",
	"the VF queue stalled: check PF link and VF reset messages; update the PF/VF driver", NULL, false
};
static const struct burst nack_arg = {
	EV_MBX, EV_RES_NACK, 5, 10, KM_MBX_FAIL | KM_PF_ERROR, "mailbox requests refused",
	"the PF refuses what the VF driver asks (MAC, VLAN, promiscuous): grant it", "trust on", false
};

static const struct rule events_rules[] = {
	{ { "VFS011-vf-reset-storm", SEV_WARNING, "VF reset storm" }, rule_event_bursts, &reset_arg },
	{ { "VFS012-tx-timeout", SEV_WARNING, "transmit timeouts" }, rule_event_bursts, &txto_arg },
	{ { "VFS013-mailbox-nack-burst", SEV_WARNING, "burst of refused mailbox requests" }, rule_event_bursts, &nack_arg },
};
RULE_FAMILY(rules_events, "events", events_rules);
