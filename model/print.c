#include "model/print.h"
#include "model/hyperv.h"
#include "lib/util.h"
#include <inttypes.h>
#include <string.h>

#define S(x) (VS_KNOWN(x) ? (x).v : "?")

const char *carrier_str(const struct vi *c)
{
	return !VI_KNOWN(*c) ? "?" : c->v ? "up" : "down";
}

const char *admin_str(const struct vi *a)
{
	return !VI_KNOWN(*a) ? "?" : a->v ? "up" : "down";
}

static const char *onoff(const struct vi *v)
{
	return !VI_KNOWN(*v) ? "?" : v->v ? "on" : "off";
}

static const char *cmp_mark(uint8_t cmp)
{
	return cmp == SRIOV_LINK_DOWNGRADED ? " (downgraded)" : cmp == SRIOV_LINK_OVERDRIVEN ? " (overdriven)" : "";
}

/* The SR-IOV capability on the PF's sriov line: `?` for a register the
 * source left out (lspci text), and the PCIe link as lspci -vv's LnkSta
 * shows it, "(downgraded)" on speed or width below LnkCap, only when
 * LnkSta is known (and the mark only when LnkCap is). */
static void print_cap(FILE *f, const struct sriov_cap *c)
{
	char tv[8] = "?", nv[8] = "?", off[8] = "?", st[8] = "?", dev[8] = "?";
	if (!(c->unknown & SRIOV_UNK_COUNTS)) {
		snprintf(tv, sizeof(tv), "%u", c->total_vfs);
		snprintf(nv, sizeof(nv), "%u", c->num_vfs);
	}
	if (!(c->unknown & SRIOV_UNK_ROUTING)) {
		snprintf(off, sizeof(off), "%u", c->first_vf_offset);
		snprintf(st, sizeof(st), "%u", c->vf_stride);
		snprintf(dev, sizeof(dev), "%04x", c->vf_device);
	}
	fprintf(f, "; capability @0x%x: VF Enable%c TotalVFs %s NumVFs %s offset %s stride %s VF device %s ARI%c",
		c->offset, c->unknown & SRIOV_UNK_CTRL ? '?' : c->ctrl & 1 ? '+' : '-', tv, nv, off, st, dev,
		c->unknown & SRIOV_UNK_ARI ? '?' : c->ari_present ? '+' : '-');
	if (c->link_width < 0)
		return;
	fprintf(f, "; link ");
	if (c->link_speed_gts10 < 0)
		fprintf(f, "unknown");
	else if (c->link_speed_gts10 % 10)
		fprintf(f, "%d.%dGT/s", c->link_speed_gts10 / 10, c->link_speed_gts10 % 10);
	else
		fprintf(f, "%dGT/s", c->link_speed_gts10 / 10);
	fprintf(f, "%s x%d%s", cmp_mark(c->link_speed_cmp), c->link_width, cmp_mark(c->link_width_cmp));
}

static bool by_role_known(const struct team *t, const char *role)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (VS_KNOWN(t->members[i].role) && !strcmp(t->members[i].role.v, role))
			return true;
	return false;
}

static bool is_netns(const struct machine *m)
{
	return m->role && !strcmp(m->role, "netns");
}

/* The name of v's netdev inside namespace g (by PCI address), "?" none. */
static const char *netns_netdev_of(const struct machine *g, const struct vf *v)
{
	for (size_t i = 0; VS_KNOWN(v->pci) && i < g->nnetdevs; i++)
		if (VS_KNOWN(g->netdevs[i].pci) && !strcmp(g->netdevs[i].pci.v, v->pci.v))
			return S(g->netdevs[i].name);
	return "?";
}

/* A paravirtual failover pair (issue 15): its data path with the evidence,
 * the kernel log's switches, netvsc's VF counters, and each member's role. */
static void print_pair(FILE *f, const struct machine *m, const struct team *t)
{
	fprintf(f, "\npair %s (%s) mac %s data path %s", S(t->name), team_driver_name(t->driver), S(t->mac),
		S(t->datapath));
	if (VS_KNOWN(t->datapath_member))
		fprintf(f, " %s", t->datapath_member.v);
	if (VS_KNOWN(t->datapath))
		fprintf(f, " [%s: %s]", vfs_src_name(t->datapath.src), S(t->datapath_why));
	fputc('\n', f);
	char sw[24] = "?", span[24] = "?";
	if (VI_KNOWN(t->datapath_switches))
		snprintf(sw, sizeof(sw), "%" PRId64, t->datapath_switches.v);
	if (VI_KNOWN(t->datapath_switch_span_ms))
		snprintf(span, sizeof(span), "%" PRId64 " ms", t->datapath_switch_span_ms.v);
	fprintf(f, "  kernel log: %s switches (first to last %s)", sw, span);
	if (VI_KNOWN(t->vf_offered))
		fprintf(f, ", last VF slot %" PRId64 " %s", VI_KNOWN(t->vf_slot) ? t->vf_slot.v : -1,
			t->vf_offered.v ? "added" : "removed");
	fputc('\n', f);
	if (VI_KNOWN(t->vf_rx_packets) || VI_KNOWN(t->vf_tx_packets)) {
		fprintf(f, "  vf counters: rx %" PRId64 " tx %" PRId64, VI_KNOWN(t->vf_rx_packets) ? t->vf_rx_packets.v : -1,
			VI_KNOWN(t->vf_tx_packets) ? t->vf_tx_packets.v : -1);
		if (VI_KNOWN(t->vf_rx_delta) || VI_KNOWN(t->vf_tx_delta)) {
			char ms[24] = "?";
			if (VI_KNOWN(t->vf_delta_ms))
				snprintf(ms, sizeof(ms), "%" PRId64, t->vf_delta_ms.v);
			fprintf(f, ", +%" PRId64 " / +%" PRId64 " over %s ms", VI_KNOWN(t->vf_rx_delta) ? t->vf_rx_delta.v : -1,
				VI_KNOWN(t->vf_tx_delta) ? t->vf_tx_delta.v : -1, ms);
		}
		fputc('\n', f);
	}
	for (size_t j = 0; j < t->nmembers; j++) {
		const struct member *mb = &t->members[j];
		const struct netdev *mn = mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < m->nnetdevs
						  ? &m->netdevs[mb->netdev_idx] : NULL;
		fprintf(f, "  %-9s %-12s admin %-4s carrier %-4s mac %s driver %s pci %s\n", S(mb->role), S(mb->name),
			mn ? admin_str(&mn->admin_up) : "?", carrier_str(&mb->carrier), S(mb->cur_mac), S(mb->driver),
			S(mb->pci));
	}
	if (!by_role_known(t, t->driver == TEAM_NETVSC ? "vf" : "primary"))
		fprintf(f, "  (no %s)\n", t->driver == TEAM_NETVSC ? "VF" : "primary");
}

static void print_vf(FILE *f, const struct machine *m, const struct pf *p, const struct vf *v)
{
	fprintf(f, "  vf %-3d %-13s mac %s", v->index, S(v->pci), S(v->mac));
	if (VI_KNOWN(v->vlan) && v->vlan.v)
		fprintf(f, " vlan %" PRId64, v->vlan.v);
	if (VI_KNOWN(v->qos) && v->qos.v)
		fprintf(f, " qos %" PRId64, v->qos.v);
	if (VI_KNOWN(v->max_tx_rate) && v->max_tx_rate.v)
		fprintf(f, " max_tx_rate %" PRId64 "Mbps", v->max_tx_rate.v);
	if (VI_KNOWN(v->min_tx_rate) && v->min_tx_rate.v)
		fprintf(f, " min_tx_rate %" PRId64 "Mbps", v->min_tx_rate.v);
	fprintf(f, " spoofchk %s trust %s link-state %s\n", onoff(&v->spoofchk), onoff(&v->trust),
		VI_KNOWN(v->link_state) ? vf_link_state_name((int)v->link_state.v) : "?");
	fprintf(f, "         driver %s", S(v->driver));
	if (VS_KNOWN(v->netdev)) {
		int n = machine_find_netdev(m, v->netdev.v);
		fprintf(f, " -> host netdev %s (admin %s, carrier %s)", v->netdev.v,
			n >= 0 ? admin_str(&m->netdevs[n].admin_up) : "?", n >= 0 ? carrier_str(&m->netdevs[n].carrier) : "?");
	}
	if (VS_KNOWN(v->owner_name) || VI_KNOWN(v->owner_pid))
		fprintf(f, " -> VM %s (pid %" PRId64 ")", S(v->owner_name), VI_KNOWN(v->owner_pid) ? v->owner_pid.v : -1);
	if (v->guest_idx >= 0 && (size_t)v->guest_idx < m->nguests && is_netns(m->guests[v->guest_idx])) {
		/* a namespace (issue 14): -> pod NS/POD bond0/net1, or -> netns NAME net1 */
		const struct machine *g = m->guests[v->guest_idx];
		const struct team *t = v->guest_team_idx >= 0 && (size_t)v->guest_team_idx < g->nteams
					       ? &g->teams[v->guest_team_idx] : NULL;
		if (t)
			fprintf(f, " -> %s %s/%s", g->label ? g->label : "netns ?", S(t->name),
				v->guest_member_idx >= 0 && (size_t)v->guest_member_idx < t->nmembers
					? S(t->members[v->guest_member_idx].name) : "?");
		else
			fprintf(f, " -> %s %s", g->label ? g->label : "netns ?", netns_netdev_of(g, v));
	} else if (v->guest_idx >= 0 && (size_t)v->guest_idx < m->nguests) {
		const struct machine *g = m->guests[v->guest_idx];
		if (v->guest_team_idx >= 0 && (size_t)v->guest_team_idx < g->nteams) {
			const struct team *t = &g->teams[v->guest_team_idx];
			fprintf(f, " -> guest %s team %s member %s", g->label ? g->label : S(g->hostname), S(t->name),
				v->guest_member_idx >= 0 && (size_t)v->guest_member_idx < t->nmembers
					? S(t->members[v->guest_member_idx].name) : "?");
		}
	}
	(void)p;
	fputc('\n', f);
	if (VS_KNOWN(v->failover_pair_id)) /* issue 15: the host side of a KVM failover pair */
		fprintf(f, "         primary of a failover pair: QEMU failover_pair_id %s (standby mac %s)\n",
			v->failover_pair_id.v, S(v->failover_standby_mac));
	if (VS_KNOWN(v->alloc_pod_uid) || VS_KNOWN(v->alloc_resource) || VS_KNOWN(v->alloc_netns)) {
		fprintf(f, "         allocated to pod %s (uid %s) resource %s", S(v->alloc_pod), S(v->alloc_pod_uid),
			S(v->alloc_resource));
		if (VS_KNOWN(v->alloc_netns))
			fprintf(f, " sriov-cni netns %s", v->alloc_netns.v);
		fputc('\n', f);
	}
}

/* A network namespace's identity, owner and netdevs (issue 14,
 * docs/netns.md); a VF netdev names its host VF. */
static void print_netns(FILE *f, const struct machine *m, const struct machine *host)
{
	char ino[24] = "?", pid[24] = "?";
	if (VI_KNOWN(m->netns_inode))
		snprintf(ino, sizeof(ino), "%" PRId64, m->netns_inode.v);
	if (VI_KNOWN(m->netns_pid))
		snprintf(pid, sizeof(pid), "%" PRId64, m->netns_pid.v);
	fprintf(f, "namespace: name %s inode %s pid %s", S(m->netns_name), ino, pid);
	if (VS_KNOWN(m->pod_uid))
		fprintf(f, " pod %s/%s uid %s", S(m->pod_namespace), S(m->pod_name), m->pod_uid.v);
	fputc('\n', f);
	for (size_t i = 0; i < m->nnetdevs; i++) {
		const struct netdev *n = &m->netdevs[i];
		fprintf(f, "  netdev %-12s kind %s mac %s perm %s admin %s carrier %s pci %s", S(n->name), S(n->kind),
			S(n->mac), S(n->perm_mac), admin_str(&n->admin_up), carrier_str(&n->carrier), S(n->pci));
		if (VS_KNOWN(n->master))
			fprintf(f, " master %s", n->master.v);
		int pi, vi;
		if (host && VS_KNOWN(n->pci) && !machine_find_vf_pci(host, n->pci.v, &pi, &vi))
			fprintf(f, " -> VF %d of PF %s (%s)", host->pfs[pi].vfs[vi].index, S(host->pfs[pi].netdev),
				S(host->pfs[pi].pci));
		fputc('\n', f);
	}
}

static void print_machine(FILE *f, const struct machine *m, int depth, const struct machine *host)
{
	char ts[32] = "?";
	if (m->time_ns)
		vfs_fmt_time(m->time_ns, ts);
	if (is_netns(m)) /* the label says netns or pod */
		fprintf(f, "%s at %s, root %s\n", m->label ? m->label : "netns ?", ts, m->root ? m->root : "/");
	else
		fprintf(f, "%s %s (kernel %s) at %s, root %s\n", m->role, m->label ? m->label : S(m->hostname),
			S(m->kernel), ts, m->root ? m->root : "/");
	fprintf(f, "sources:");
	static const char *const st[] = { "ok", "partial", "skipped", "failed" };
	for (size_t i = 0; i < m->nsources; i++)
		fprintf(f, " %s=%s", m->sources[i].name, st[m->sources[i].status & 3]);
	fputc('\n', f);
	for (size_t i = 0; i < m->nsources; i++)
		if (m->sources[i].status && m->sources[i].detail[0])
			fprintf(f, "  %s: %s\n", m->sources[i].name, m->sources[i].detail);
	for (size_t i = 0; i < m->nwarnings; i++)
		fprintf(f, "warning: %s\n", m->warnings[i]);
	if (is_netns(m))
		print_netns(f, m, host);

	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		const struct netdev *n = p->netdev_idx >= 0 ? &m->netdevs[p->netdev_idx] : NULL;
		fprintf(f, "\nPF %s [%s:%s] driver %s netdev %s admin %s carrier %s", S(p->pci), S(p->vendor),
			S(p->device), S(p->driver), S(p->netdev), n ? admin_str(&n->admin_up) : "?",
			n ? carrier_str(&n->carrier) : "?");
		if (n && VI_KNOWN(n->speed))
			fprintf(f, " speed %" PRId64 "Mb/s", n->speed.v);
		if (n && VI_KNOWN(n->mtu))
			fprintf(f, " mtu %" PRId64, n->mtu.v);
		fputc('\n', f);
		char nv[24] = "?", tv[24] = "?";
		if (VI_KNOWN(p->sriov_numvfs))
			snprintf(nv, sizeof(nv), "%" PRId64, p->sriov_numvfs.v);
		if (VI_KNOWN(p->sriov_totalvfs))
			snprintf(tv, sizeof(tv), "%" PRId64, p->sriov_totalvfs.v);
		fprintf(f, "  sriov: numvfs %s of total %s", nv, tv);
		if (p->cap.present)
			print_cap(f, &p->cap);
		fputc('\n', f);
		if (VS_KNOWN(p->lldp_chassis))
			fprintf(f, "  switch: chassis %s port %s %s\n", p->lldp_chassis.v, S(p->lldp_port), S(p->lldp_sysname));
		for (size_t j = 0; j < p->nvfs; j++)
			print_vf(f, m, p, &p->vfs[j]);
	}

	for (size_t i = 0; i < m->nteams; i++) {
		const struct team *t = &m->teams[i];
		if (team_is_pair(t)) { /* issue 15: roles and data path, no bond settings */
			print_pair(f, m, t);
			continue;
		}
		fprintf(f, "\nteam %s (%s) mode %s", S(t->name),
			t->driver == TEAM_BONDING ? "bonding" : t->driver == TEAM_TEAMD ? "team" : "?", S(t->mode));
		if (VI_KNOWN(t->miimon))
			fprintf(f, " miimon %" PRId64, t->miimon.v);
		if (VI_KNOWN(t->arp_interval) && t->arp_interval.v)
			fprintf(f, " arp_interval %" PRId64 " arp_ip_target %s", t->arp_interval.v, S(t->arp_ip_target));
		if (VS_KNOWN(t->fail_over_mac))
			fprintf(f, " fail_over_mac %s", t->fail_over_mac.v);
		fprintf(f, " active %s\n", S(t->active));
		for (size_t j = 0; j < t->nmembers; j++) {
			const struct member *mb = &t->members[j];
			char lf[24] = "?";
			if (VI_KNOWN(mb->link_failures))
				snprintf(lf, sizeof(lf), "%" PRId64, mb->link_failures.v);
			const struct netdev *mn = mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < m->nnetdevs
							  ? &m->netdevs[mb->netdev_idx] : NULL;
			fprintf(f, "  member %-10s %-7s mii %-5s admin %-4s carrier %-4s perm %s cur %s failures %s driver %s pci %s\n",
				S(mb->name), S(mb->state), S(mb->mii_status), mn ? admin_str(&mn->admin_up) : "?",
				carrier_str(&mb->carrier),
				S(mb->perm_mac), S(mb->cur_mac), lf, S(mb->driver), S(mb->pci));
			int pt = machine_find_team(m, mb->name.v); /* a bond over pairs: the level below */
			if (pt >= 0 && team_is_pair(&m->teams[pt]))
				fprintf(f, "    -> pair %s (%s) data path %s%s%s\n", S(mb->name),
					team_driver_name(m->teams[pt].driver), S(m->teams[pt].datapath),
					VS_KNOWN(m->teams[pt].datapath_member) ? " " : "", VS_KNOWN(m->teams[pt].datapath_member)
					? m->teams[pt].datapath_member.v : "");
			/* Correlated: the whole path, guest member -> VF -> PF -> link. */
			const struct machine *h = host ? host : m;
			if (mb->host_pf_idx >= 0 && (size_t)mb->host_pf_idx < h->npfs &&
			    mb->host_vf_idx >= 0 && (size_t)mb->host_vf_idx < h->pfs[mb->host_pf_idx].nvfs) {
				const struct pf *p = &h->pfs[mb->host_pf_idx];
				const struct vf *v = &p->vfs[mb->host_vf_idx];
				const struct netdev *pn = p->netdev_idx >= 0 ? &h->netdevs[p->netdev_idx] : NULL;
				if (pn && VI_KNOWN(pn->admin_up) && !pn->admin_up.v) /* no carrier to show */
					fprintf(f, "    -> VF %d (%s) of PF %s (%s), PF admin down", v->index, S(v->pci),
						S(p->netdev), S(p->pci));
				else
					fprintf(f, "    -> VF %d (%s) of PF %s (%s), PF link %s", v->index, S(v->pci),
						S(p->netdev), S(p->pci), pn ? carrier_str(&pn->carrier) : "?");
				if (VS_KNOWN(p->lldp_chassis))
					fprintf(f, " -> switch %s port %s", p->lldp_chassis.v, S(p->lldp_port));
				fputc('\n', f);
			}
		}
	}
	hv_print(f, m, host); /* the Hyper-V view, when m has one */
	for (size_t i = 0; i < m->nguests; i++) {
		fprintf(f, "\n%*s--- %s %zu ---\n", depth * 2, "", is_netns(m->guests[i]) ? "netns" : "guest", i);
		print_machine(f, m->guests[i], depth + 1, m);
	}
}

void machine_print(FILE *f, const struct machine *m)
{
	print_machine(f, m, 0, NULL);
}
