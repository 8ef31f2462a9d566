/* Prometheus exposition of the model. Families are written one after the
 * other, each with HELP and TYPE before its first sample and only when it
 * has samples. Units: speeds in bytes per second (as node_exporter's
 * node_network_speed_bytes), intervals in seconds. */
#include "export/metrics.h"
#include "export/metrics_hyperv.h"
#include "lib/util.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct out {
	FILE *f;
	const char *fam; /* family whose header was written last */
};

void metrics_escape(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\')
			fputs("\\\\", f);
		else if (*v == '"')
			fputs("\\\"", f);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void header(struct out *o, const char *name, const char *type, const char *help)
{
	if (o->fam && !strcmp(o->fam, name))
		return;
	o->fam = name;
	fprintf(o->f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* labels: NULL-terminated key, value pairs; NULL values print as "". */
static void labels(FILE *f, va_list ap)
{
	const char *k;
	int n = 0;
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);
		fprintf(f, "%s%s=\"", n++ ? "," : "{", k);
		metrics_escape(f, v);
		fputc('"', f);
	}
	if (n)
		fputc('}', f);
}

static void su(struct out *o, const char *name, const char *type, const char *help, uint64_t v, ...)
{
	header(o, name, type, help);
	fputs(name, o->f);
	va_list ap;
	va_start(ap, v);
	labels(o->f, ap);
	va_end(ap);
	fprintf(o->f, " %" PRIu64 "\n", v);
}

static void sd(struct out *o, const char *name, const char *type, const char *help, double v, ...)
{
	header(o, name, type, help);
	fputs(name, o->f);
	va_list ap;
	va_start(ap, v);
	labels(o->f, ap);
	va_end(ap);
	fprintf(o->f, " %.15g\n", v);
}

#define G "gauge"
#define C "counter"

static const char *mname(const struct machine *m)
{
	if (m->role && !strcmp(m->role, "netns")) /* "pod NS/POD", "netns NAME" (collectors/netns.h: at most NETNS_MAX) */
		return m->label ? m->label : "netns";
	return m->role && !strcmp(m->role, "guest") ? (m->label ? m->label : "guest") : "host";
}

static void num(char *b, size_t n, const struct vi *x)
{
	if (VI_KNOWN(*x))
		snprintf(b, n, "%" PRId64, x->v);
	else
		b[0] = 0;
}

static void pfs(struct out *o, const struct machine *m)
{
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		su(o, "vfscope_pf_info", G, "SR-IOV physical function (value 1).", 1, "pf", p->pci.v, "netdev", p->netdev.v,
		   "driver", p->driver.v, "vendor", p->vendor.v, "device", p->device.v, NULL);
	}
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		const struct netdev *n = p->netdev_idx >= 0 ? &m->netdevs[p->netdev_idx] : NULL;
		if (n && VI_KNOWN(n->carrier))
			su(o, "vfscope_pf_link_up", G, "PF netdev carrier (1 up, 0 down).", n->carrier.v ? 1 : 0, "pf",
			   p->pci.v, NULL);
	}
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		const struct netdev *n = p->netdev_idx >= 0 ? &m->netdevs[p->netdev_idx] : NULL;
		if (n && VI_KNOWN(n->speed) && n->speed.v >= 0)
			su(o, "vfscope_pf_link_speed_bytes", G, "PF link speed in bytes per second.",
			   (uint64_t)n->speed.v * 125000u, "pf", p->pci.v, NULL);
	}
	for (size_t i = 0; i < m->npfs; i++)
		if (VI_KNOWN(m->pfs[i].sriov_numvfs))
			su(o, "vfscope_pf_sriov_vfs", G, "VFs enabled on the PF (sriov_numvfs).",
			   (uint64_t)m->pfs[i].sriov_numvfs.v, "pf", m->pfs[i].pci.v, NULL);
	for (size_t i = 0; i < m->npfs; i++)
		if (VI_KNOWN(m->pfs[i].sriov_totalvfs))
			su(o, "vfscope_pf_sriov_vfs_max", G, "VFs the PF supports (sriov_totalvfs).",
			   (uint64_t)m->pfs[i].sriov_totalvfs.v, "pf", m->pfs[i].pci.v, NULL);

	char vf[16], vlan[24], spoof[24], trust[24];
	for (size_t i = 0; i < m->npfs; i++)
		for (size_t k = 0; k < m->pfs[i].nvfs; k++) {
			const struct vf *v = &m->pfs[i].vfs[k];
			snprintf(vf, sizeof(vf), "%d", v->index);
			num(vlan, sizeof(vlan), &v->vlan);
			num(spoof, sizeof(spoof), &v->spoofchk);
			num(trust, sizeof(trust), &v->trust);
			su(o, "vfscope_vf_info", G, "SR-IOV virtual function and its PF settings (value 1; \"\" = unknown).", 1,
			   "pf", m->pfs[i].pci.v, "vf", vf, "pci", v->pci.v, "netdev", v->netdev.v, "driver", v->driver.v,
			   "mac", v->mac.v, "vlan", vlan, "spoofchk", spoof, "trust", trust, "link_state",
			   VI_KNOWN(v->link_state) ? vf_link_state_name((int)v->link_state.v) : "", "owner",
			   v->owner_name.v, NULL);
		}
	/* Network namespaces (issue 14): where a VF's netdev is now, and the pod
	 * the node's files say it was given to; one series per VF at most. */
	for (size_t i = 0; i < m->npfs; i++)
		for (size_t k = 0; k < m->pfs[i].nvfs; k++) {
			const struct vf *v = &m->pfs[i].vfs[k];
			snprintf(vf, sizeof(vf), "%d", v->index);
			if (VS_KNOWN(v->netns))
				su(o, "vfscope_vf_netns_info", G,
				   "The network namespace (pod NS/POD or netns NAME) a VF's netdev is in (value 1).", 1, "pf",
				   m->pfs[i].pci.v, "vf", vf, "netns", v->netns.v, NULL);
		}
	for (size_t i = 0; i < m->npfs; i++) /* a family's samples together */
		for (size_t k = 0; k < m->pfs[i].nvfs; k++) {
			const struct vf *v = &m->pfs[i].vfs[k];
			snprintf(vf, sizeof(vf), "%d", v->index);
			if (VS_KNOWN(v->alloc_pod_uid) || VS_KNOWN(v->alloc_resource))
				su(o, "vfscope_vf_pod_info", G,
				   "The pod and device plugin resource kubelet's files say a VF was given to (value 1; \"\" = unknown).",
				   1, "pf", m->pfs[i].pci.v, "vf", vf, "pod", v->alloc_pod.v, "pod_uid", v->alloc_pod_uid.v,
				   "resource", v->alloc_resource.v, NULL);
		}
	/* A counter the source did not give (older kernels have no
	 * IFLA_VF_STATS_RX_DROPPED, older iproute2 prints no "dropped") is
	 * unknown: no sample, never 0. */
	static const struct { const char *name, *help; size_t off; int bit; } st[] = {
#define S(n, h, f, b) { n, h, offsetof(struct vf_stats, f), b }
		S("vfscope_vf_receive_packets_total", "Packets received by the VF (PF's view).", rx_packets, VF_ST_RX_PACKETS),
		S("vfscope_vf_transmit_packets_total", "Packets sent by the VF (PF's view).", tx_packets, VF_ST_TX_PACKETS),
		S("vfscope_vf_receive_bytes_total", "Bytes received by the VF (PF's view).", rx_bytes, VF_ST_RX_BYTES),
		S("vfscope_vf_transmit_bytes_total", "Bytes sent by the VF (PF's view).", tx_bytes, VF_ST_TX_BYTES),
		S("vfscope_vf_receive_broadcast_packets_total", "Broadcast packets received by the VF.", broadcast,
		  VF_ST_BROADCAST),
		S("vfscope_vf_receive_multicast_packets_total", "Multicast packets received by the VF.", multicast,
		  VF_ST_MULTICAST),
		S("vfscope_vf_receive_dropped_packets_total", "Received packets dropped for the VF.", rx_dropped,
		  VF_ST_RX_DROPPED),
		S("vfscope_vf_transmit_dropped_packets_total", "Sent packets dropped for the VF.", tx_dropped,
		  VF_ST_TX_DROPPED),
#undef S
	};
	for (size_t s = 0; s < ARRAY_SIZE(st); s++)
		for (size_t i = 0; i < m->npfs; i++)
			for (size_t k = 0; k < m->pfs[i].nvfs; k++) {
				const struct vf *v = &m->pfs[i].vfs[k];
				if (!VF_STAT_KNOWN(v->stats, st[s].bit))
					continue;
				snprintf(vf, sizeof(vf), "%d", v->index);
				su(o, st[s].name, C, st[s].help, *(const uint64_t *)((const char *)&v->stats + st[s].off),
				   "pf", m->pfs[i].pci.v, "vf", vf, NULL);
			}
}

static void netdevs(struct out *o, const struct machine *const *ms, size_t nm)
{
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nnetdevs; i++) {
			const struct netdev *n = &ms[j]->netdevs[i];
			su(o, "vfscope_netdev_info", G, "Network device (value 1).", 1, "machine", mname(ms[j]), "netdev",
			   n->name.v, "kind", n->kind.v, "driver", n->driver.v, "pci", n->pci.v, "master", n->master.v,
			   "operstate", n->operstate.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nnetdevs; i++) {
			const struct netdev *n = &ms[j]->netdevs[i];
			if (VI_KNOWN(n->carrier))
				su(o, "vfscope_netdev_up", G, "Network device carrier (1 up, 0 down).", n->carrier.v ? 1 : 0,
				   "machine", mname(ms[j]), "netdev", n->name.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nnetdevs; i++) {
			const struct netdev *n = &ms[j]->netdevs[i];
			if (VI_KNOWN(n->mtu) && n->mtu.v >= 0)
				su(o, "vfscope_netdev_mtu_bytes", G, "Network device MTU in bytes.", (uint64_t)n->mtu.v,
				   "machine", mname(ms[j]), "netdev", n->name.v, NULL);
		}
}

static bool probes_up(const struct machine *m)
{
	for (size_t i = 0; i < m->nsources; i++)
		if (!strncmp(m->sources[i].name, "probe", 5) && m->sources[i].status <= SOURCE_PARTIAL)
			return true;
	return false;
}

static uint64_t count_events(const struct machine *m, int kind, const char *ifname)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->nevents; i++)
		if (m->events[i].kind == kind && !strcmp(m->events[i].ifname, ifname))
			n++;
	return n;
}

static void teams(struct out *o, const struct machine *const *ms, size_t nm, const struct metrics_meta *meta)
{
	char b[32];
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			su(o, "vfscope_team_info", G, "Team/bond and its mode (value 1).", 1, "machine", mname(ms[j]), "team",
			   t->name.v, "driver", t->driver == TEAM_BONDING ? "bonding" : t->driver == TEAM_TEAMD ? "team"
			   : team_is_pair(t) ? team_driver_name(t->driver) : "",
			   "mode", t->mode.v, "fail_over_mac", t->fail_over_mac.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			if (VI_KNOWN(t->miimon))
				sd(o, "vfscope_team_miimon_interval_seconds", G, "Bonding MII monitor interval (0 = off).",
				   (double)t->miimon.v / 1000.0, "machine", mname(ms[j]), "team", t->name.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			if (VI_KNOWN(t->arp_interval))
				sd(o, "vfscope_team_arp_interval_seconds", G, "Bonding ARP monitor interval (0 = off).",
				   (double)t->arp_interval.v / 1000.0, "machine", mname(ms[j]), "team", t->name.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++)
			su(o, "vfscope_team_members", G, "Members enslaved to the team.", ms[j]->teams[i].nmembers, "machine",
			   mname(ms[j]), "team", ms[j]->teams[i].name.v, NULL);
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++)
			for (size_t k = 0; k < ms[j]->teams[i].nmembers; k++) {
				const struct member *mb = &ms[j]->teams[i].members[k];
				if (mb->mii_status.v)
					su(o, "vfscope_team_member_up", G, "Member link as the team sees it (mii_status up = 1).",
					   !strcmp(mb->mii_status.v, "up"), "machine", mname(ms[j]), "team",
					   ms[j]->teams[i].name.v, "member", mb->name.v, NULL);
			}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			for (size_t k = 0; k < t->nmembers; k++) {
				const struct member *mb = &t->members[k];
				bool known = mb->state.v || t->active.v;
				if (!known)
					continue;
				bool act = mb->state.v ? !strcmp(mb->state.v, "active")
						       : (t->active.v && !strcmp(t->active.v, mb->name.v));
				su(o, "vfscope_team_member_active", G, "Member carries traffic (1 active, 0 backup).", act,
				   "machine", mname(ms[j]), "team", t->name.v, "member", mb->name.v, NULL);
			}
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++)
			for (size_t k = 0; k < ms[j]->teams[i].nmembers; k++) {
				const struct member *mb = &ms[j]->teams[i].members[k];
				if (VI_KNOWN(mb->link_failures))
					su(o, "vfscope_team_member_link_failures_total", C,
					   "Link failures the team counted on the member (failovers away from it).",
					   (uint64_t)mb->link_failures.v, "machine", mname(ms[j]), "team",
					   ms[j]->teams[i].name.v, "member", mb->name.v, NULL);
			}
	/* Paravirtual failover pairs (issue 15): which path carries the data
	 * (1 for the known one, 0 for the pair's other path; none when
	 * unknown), the kernel log's switches in the held log, and netvsc's
	 * last VF slot offer. */
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			if (!team_is_pair(t) || !VS_KNOWN(t->datapath))
				continue;
			const char *const *paths = t->driver == TEAM_NETVSC ? (const char *const[]){ "vf", "synthetic" }
									    : (const char *const[]){ "primary", "standby" };
			for (int k = 0; k < 2; k++)
				su(o, "vfscope_pair_datapath", G, "Path carrying a failover pair's data (1), the other path (0).",
				   !strcmp(t->datapath.v, paths[k]), "machine", mname(ms[j]), "team", t->name.v, "path", paths[k],
				   NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			if (team_is_pair(t) && VI_KNOWN(t->datapath_switches))
				su(o, "vfscope_pair_datapath_switches", G,
				   "Data path switches of a failover pair in the held kernel log.", (uint64_t)t->datapath_switches.v,
				   "machine", mname(ms[j]), "team", t->name.v, NULL);
		}
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nteams; i++) {
			const struct team *t = &ms[j]->teams[i];
			if (team_is_pair(t) && VI_KNOWN(t->vf_offered))
				su(o, "vfscope_pair_vf_offered", G, "netvsc: the host's last VF slot message (1 added, 0 removed).",
				   (uint64_t)t->vf_offered.v, "machine", mname(ms[j]), "team", t->name.v, NULL);
		}
	/* per-member drops and TX timeouts: the datapath probes' per-interface
	 * counters (host side), else events in the model when probes ran */
	static const struct { int kind; const char *name, *help; } ev[] = {
		{ EV_TX_TIMEOUT, "vfscope_team_member_tx_timeouts_total", "TX timeouts (net_dev_xmit_timeout) on the member." },
		{ EV_DROP, "vfscope_team_member_drops_total", "Dropped skbs (kfree_skb) on the member." },
	};
	for (size_t e = 0; e < ARRAY_SIZE(ev); e++)
		for (size_t j = 0; j < nm; j++) {
			bool counters = j == 0 && meta && meta->nifs;
			if (!counters && !probes_up(ms[j]))
				continue;
			for (size_t i = 0; i < ms[j]->nteams; i++)
				for (size_t k = 0; k < ms[j]->teams[i].nmembers; k++) {
					const struct member *mb = &ms[j]->teams[i].members[k];
					const char *nm_ = mb->name.v ? mb->name.v : "";
					uint64_t v = 0;
					if (counters) {
						for (size_t q = 0; q < meta->nifs; q++)
							if (!strcmp(meta->ifs[q].ifname, nm_))
								v = ev[e].kind == EV_DROP ? meta->ifs[q].drops : meta->ifs[q].tx_timeouts;
					} else {
						v = count_events(ms[j], ev[e].kind, nm_);
					}
					su(o, ev[e].name, C, ev[e].help, v, "machine", mname(ms[j]), "team",
					   ms[j]->teams[i].name.v, "member", mb->name.v, NULL);
				}
		}
	(void)b;
}

/* Mailbox messages by driver, type (low 16 bits of the first word, as the
 * igb/ixgbe VF mailbox encodes it) and result. Bounded: 256 series. */
static void mailbox(struct out *o, const struct machine *m)
{
	struct { char driver[16]; unsigned type; int result; uint64_t n; } c[256];
	size_t nc = 0;
	for (size_t i = 0; i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != EV_MBX)
			continue;
		unsigned type = e->nwords ? e->words[0] & 0xffff : 0xffffffffu;
		size_t k;
		for (k = 0; k < nc; k++)
			if (c[k].type == type && c[k].result == e->result && !strncmp(c[k].driver, e->driver, 16))
				break;
		if (k == nc) {
			if (nc == ARRAY_SIZE(c))
				continue;
			vfs_strlcpy(c[k].driver, e->driver, sizeof(c[k].driver));
			c[k].type = type;
			c[k].result = e->result;
			c[k].n = 0;
			nc++;
		}
		c[k].n++;
	}
	for (size_t k = 0; k < nc; k++) {
		char t[16];
		if (c[k].type == 0xffffffffu)
			snprintf(t, sizeof(t), "unknown");
		else
			snprintf(t, sizeof(t), "0x%04x", c[k].type);
		su(o, "vfscope_mailbox_messages_total", C, "PF<->VF mailbox messages seen by the probes.", c[k].n, "driver",
		   c[k].driver, "type", t, "result",
		   c[k].result == EV_RES_ACK ? "ack" : c[k].result == EV_RES_NACK ? "nack" : "none", NULL);
	}
}

static void probes(struct out *o, const struct machine *m, const struct metrics_meta *meta)
{
	int n = 0;
	for (size_t i = 0; meta && i < meta->nprobes; i++, n++)
		su(o, "vfscope_probe_up", G, "eBPF probe attached and delivering (1) or not (0).", meta->probes[i].up,
		   "probe", meta->probes[i].name, NULL);
	if (n)
		return;
	for (size_t i = 0; i < m->nsources; i++)
		if (!strncmp(m->sources[i].name, "probe", 5)) {
			su(o, "vfscope_probe_up", G, "eBPF probe attached and delivering (1) or not (0).",
			   m->sources[i].status <= SOURCE_PARTIAL, "probe", m->sources[i].name, NULL);
			n++;
		}
	if (!n)
		su(o, "vfscope_probe_up", G, "eBPF probe attached and delivering (1) or not (0).", 0, "probe", "bpf", NULL);
}

static void findings(struct out *o, const struct findings *f)
{
	size_t nr;
	const struct rule_info *r = rules_list(&nr);
	/* every rule at its highest severity (rule_info.severity; 0 when
	 * quiet), plus any other (rule, severity) pair a finding has (a rule
	 * gives a lower one when its evidence is weaker): a stable, bounded
	 * series set */
	for (size_t i = 0; i < nr; i++) {
		uint64_t n = 0;
		for (size_t k = 0; f && k < f->n; k++)
			if (!strcmp(f->v[k].id, r[i].id) && f->v[k].severity == r[i].severity)
				n++;
		su(o, "vfscope_findings", G, "Current findings by rule and severity (docs/rules.md).", n, "rule", r[i].id,
		   "severity", severity_name(r[i].severity), NULL);
	}
	for (size_t k = 0; f && k < f->n; k++) {
		bool top = false, earlier = false;
		for (size_t i = 0; i < nr; i++)
			if (!strcmp(f->v[k].id, r[i].id) && f->v[k].severity == r[i].severity)
				top = true;
		for (size_t p = 0; p < k; p++)
			if (!strcmp(f->v[p].id, f->v[k].id) && f->v[p].severity == f->v[k].severity)
				earlier = true;
		if (top || earlier)
			continue;
		uint64_t n = 0;
		for (size_t p = k; p < f->n; p++)
			if (!strcmp(f->v[p].id, f->v[k].id) && f->v[p].severity == f->v[k].severity)
				n++;
		su(o, "vfscope_findings", G, "Current findings by rule and severity (docs/rules.md).", n, "rule",
		   f->v[k].id, "severity", severity_name(f->v[k].severity), NULL);
	}
}

static void sources(struct out *o, const struct machine *const *ms, size_t nm)
{
	for (size_t j = 0; j < nm; j++)
		for (size_t i = 0; i < ms[j]->nsources; i++) {
			static const char *const st[] = { "ok", "partial", "skipped", "failed" };
			su(o, "vfscope_source_status", G, "Model source state (value 1 for the current status).", 1,
			   "machine", mname(ms[j]), "source", ms[j]->sources[i].name, "status",
			   st[ms[j]->sources[i].status & 3], NULL);
		}
}

char *metrics_render(const struct machine *m, const struct findings *f, const struct metrics_meta *meta, size_t *len)
{
	char *buf = NULL;
	size_t bl = 0;
	struct out o = { .f = open_memstream(&buf, &bl) };
	su(&o, "vfscope_build_info", G, "vfscope version (value 1).", 1, "version", VFSCOPE_VERSION, NULL);
	if (m) {
		const struct machine *ms[65];
		size_t nm = 0;
		ms[nm++] = m;
		for (size_t g = 0; g < m->nguests && nm < ARRAY_SIZE(ms); g++)
			ms[nm++] = m->guests[g];
		pfs(&o, m);
		netdevs(&o, ms, nm);
		teams(&o, ms, nm, meta);
		if (meta && meta->nprobes) {
			for (size_t k = 0; k < meta->nmbx; k++)
				su(&o, "vfscope_mailbox_messages_total", C, "PF<->VF mailbox messages seen by the probes.",
				   meta->mbx[k].n, "driver", meta->mbx[k].driver, "type", meta->mbx[k].type, "result",
				   meta->mbx[k].result, NULL);
		} else if (probes_up(m)) {
			mailbox(&o, m);
		}
		probes(&o, m, meta);
		findings(&o, f);
		sources(&o, ms, nm);
		metrics_hyperv(o.f, m); /* a Hyper-V export (--hyperv) */
	}
	if (meta) {
		for (size_t i = 0; i < meta->nsteps; i++)
			sd(&o, "vfscope_collector_duration_seconds", G, "Time the collection step took.",
			   meta->steps[i].seconds, "source", meta->steps[i].source, NULL);
		for (size_t i = 0; i < meta->nsteps; i++)
			su(&o, "vfscope_collector_success", G, "Collection step succeeded (1) or failed (0).",
			   meta->steps[i].ok, "source", meta->steps[i].source, NULL);
		su(&o, "vfscope_collections_total", C, "Collections run since start.", meta->collections, NULL);
		su(&o, "vfscope_collection_errors_total", C, "Collections that failed since start.",
		   meta->collection_errors, NULL);
		if (meta->last_collection_s > 0)
			sd(&o, "vfscope_last_collection_timestamp_seconds", G, "Unix time the last collection finished.",
			   meta->last_collection_s, NULL);
	}
	fclose(o.f);
	*len = bl;
	return buf;
}

void metrics_render_age(FILE *out, double age_s)
{
	fprintf(out, "# HELP vfscope_collection_age_seconds Age of the served data: seconds since the last collection finished.\n"
		     "# TYPE vfscope_collection_age_seconds gauge\nvfscope_collection_age_seconds %.3f\n", age_s);
}
