/* Topology panel: PF -> VFs -> where each VF is used (host netdev, vfio /
 * VM, guest team member), with the link state of each hop. A member its
 * team treats as up while the PF under it has no carrier is drawn
 * "UP (PF DOWN)" in the error colour. */
#include "tui/tui_int.h"
#include "tui/topo_hyperv.h"
#include "model/hyperv.h"
#include "lib/util.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(x) (VS_KNOWN(x) ? (x).v : "?")
#define ITEM(pf, vf) ((pf) * 4096 + (vf) + 1)

/* Which lines show which netdev (issue 17): recorded while the whole tree
 * is built, so a change of a few netdevs builds only their lines again.
 * A line depends on every netdev whose state it reads: a PF line on the
 * PF's netdev, a VF line on its host netdev (and the team member of that
 * name) and on the PF under each member it shows (UP (PF DOWN)), an
 * "other interfaces" line on its netdev. Which netdev a line reads is
 * fixed by names and indexes, which a change of state leaves alone. */
struct topo_dep { int nd, line; };
struct topo_priv {
	const struct machine *m;   /* the model the lines were built from */
	size_t nnetdevs, nlines;
	struct topo_dep *dep; size_t ndep, cap;
	int *first;                /* lines of netdev k: dep[first[k] .. first[k + 1]) */
	unsigned *mark; size_t nmark; unsigned gen;
	bool recording, ok;
};

static void dep(struct topo_priv *tp, const struct lbuf *b, int nd)
{
	if (!tp || !tp->recording || nd < 0)
		return;
	VFS_PUSH(tp->dep, tp->ndep, tp->cap);
	tp->dep[tp->ndep++] = (struct topo_dep){ nd, (int)b->n };
}

static void carrier(struct lbuf *b, const struct vi *c)
{
	lb_col(b, !VI_KNOWN(*c) ? C_DIM : c->v ? C_OK : C_ERR);
	lb_str(b, tui_carrier(c));
	lb_col(b, C_NORMAL);
}

/* A netdev's state as `ip` shows it (admin DOWN, else carrier/operstate). */
static void link_state(struct lbuf *b, const struct netdev *n)
{
	int c;
	const char *s = tui_link_state(n, &c);
	lb_col(b, c);
	lb_str(b, s);
	lb_col(b, C_NORMAL);
}

/* "mii UP", or "UP (PF DOWN)" when the team trusts a member whose PF is down. */
void tui_member_state(struct lbuf *b, const struct machine *host, const struct machine *mm, const struct member *mb)
{
	if (tui_member_mismatch(host, mm, mb)) {
		lb_col(b, C_MISMATCH);
		lb_str(b, "UP (PF DOWN)");
		lb_col(b, C_NORMAL);
		return;
	}
	if (VS_KNOWN(mb->mii_status)) {
		bool up = !strcmp(mb->mii_status.v, "up");
		lb_col(b, up ? C_OK : C_ERR);
		lb_str(b, up ? "UP" : mb->mii_status.v);
		lb_col(b, C_NORMAL);
		return;
	}
	carrier(b, &mb->carrier);
}

static const struct member *host_member(const struct machine *m, const char *ifname, const struct team **tm)
{
	for (size_t i = 0; i < m->nteams; i++)
		for (size_t j = 0; j < m->teams[i].nmembers; j++)
			if (VS_KNOWN(m->teams[i].members[j].name) && !strcmp(m->teams[i].members[j].name.v, ifname)) {
				*tm = &m->teams[i];
				return &m->teams[i].members[j];
			}
	return NULL;
}

/* A member of a paravirtual failover pair (issue 15): the pair and which
 * path carries its data now ("pair eth6 via primary"); the synthetic or
 * standby path in warning colour, unknown as '?'. */
static void pair_path(struct lbuf *b, const struct team *t)
{
	if (!team_is_pair(t))
		return;
	bool slow = VS_KNOWN(t->datapath) && (!strcmp(t->datapath.v, "standby") || !strcmp(t->datapath.v, "synthetic"));
	lb_fmt(b, " pair %s via ", S(t->name));
	lb_col(b, slow ? C_WARN : C_NORMAL);
	lb_str(b, S(t->datapath));
	lb_col(b, C_NORMAL);
}

static void vf_line(struct topo_priv *tp, struct lbuf *b, const struct machine *m, const struct pf *p, size_t pi, size_t j)
{
	const struct vf *v = &p->vfs[j];
	b->item = ITEM((int)pi, (int)j);
	lb_col(b, C_DIM);
	lb_str(b, j + 1 == p->nvfs ? tui_g.elbow : tui_g.tee);
	lb_col(b, C_NORMAL);
	lb_fmt(b, "vf%-2d %s %s", v->index, S(v->pci), S(v->driver));
	if (VI_KNOWN(v->link_state)) {
		lb_str(b, " link ");
		lb_col(b, v->link_state.v == VF_LINK_DISABLE ? C_ERR : v->link_state.v == VF_LINK_ENABLE ? C_WARN : C_NORMAL);
		lb_str(b, vf_link_state_name((int)v->link_state.v));
		lb_col(b, C_NORMAL);
	}
	bool used = false;
	if (VS_KNOWN(v->netdev)) {
		int n = machine_find_netdev(m, v->netdev.v);
		lb_fmt(b, " %s host %s ", tui_g.arrow, v->netdev.v);
		if (n >= 0)
			link_state(b, &m->netdevs[n]);
		dep(tp, b, n);
		const struct team *tm = NULL;
		const struct member *mb = host_member(m, v->netdev.v, &tm);
		if (mb) {
			int mp = tui_member_pf(m, m, mb);
			dep(tp, b, mb->netdev_idx);
			dep(tp, b, mp >= 0 ? m->pfs[mp].netdev_idx : -1);
			lb_fmt(b, " %s team %s ", tui_g.arrow, S(tm->name));
			tui_member_state(b, m, m, mb);
			pair_path(b, tm);
		}
		used = true;
	}
	if (VS_KNOWN(v->owner_name) || VI_KNOWN(v->owner_pid)) {
		lb_fmt(b, " %s VM %s", tui_g.arrow, S(v->owner_name));
		if (VI_KNOWN(v->owner_pid))
			lb_fmt(b, " (pid %" PRId64 ")", v->owner_pid.v);
		used = true;
	}
	if (v->guest_idx >= 0 && (size_t)v->guest_idx < m->nguests) {
		const struct machine *g = m->guests[v->guest_idx];
		bool ns = g->role && !strcmp(g->role, "netns"); /* label: "pod NS/POD" or "netns NAME" */
		lb_fmt(b, ns ? " %s %s" : " %s guest %s", tui_g.arrow, tui_machine_name(g));
		if (ns && v->guest_team_idx < 0) { /* a VF netdev in no team: its name there */
			for (size_t i = 0; VS_KNOWN(v->pci) && i < g->nnetdevs; i++)
				if (VS_KNOWN(g->netdevs[i].pci) && !strcmp(g->netdevs[i].pci.v, v->pci.v))
					lb_fmt(b, " %s", S(g->netdevs[i].name));
		}
		if (v->guest_team_idx >= 0 && (size_t)v->guest_team_idx < g->nteams) {
			const struct team *t = &g->teams[v->guest_team_idx];
			if (v->guest_member_idx >= 0 && (size_t)v->guest_member_idx < t->nmembers) {
				const struct member *mb = &t->members[v->guest_member_idx];
				int mp = tui_member_pf(m, g, mb);
				dep(tp, b, mp >= 0 ? m->pfs[mp].netdev_idx : -1);
				lb_fmt(b, " %s/%s ", S(t->name), S(mb->name));
				tui_member_state(b, m, g, mb);
				pair_path(b, t);
			}
		}
		used = true;
	}
	if (!VS_KNOWN(v->netns) && (VS_KNOWN(v->alloc_pod) || VS_KNOWN(v->alloc_pod_uid))) {
		/* given to a pod (kubelet's files) but in no namespace read: say so */
		lb_fmt(b, " %s allocated to pod %s", tui_g.arrow, VS_KNOWN(v->alloc_pod) ? v->alloc_pod.v : v->alloc_pod_uid.v);
		used = true;
	}
	if (!used) {
		lb_col(b, C_DIM);
		lb_str(b, "  (unused)");
	}
	lb_end(b);
}

static void pf_line(struct topo_priv *tp, struct lbuf *b, const struct machine *m, size_t i)
{
	const struct pf *p = &m->pfs[i];
	const struct netdev *n = p->netdev_idx >= 0 && (size_t)p->netdev_idx < m->nnetdevs ? &m->netdevs[p->netdev_idx] : NULL;
	b->item = ITEM((int)i, -1);
	if (n)
		dep(tp, b, p->netdev_idx);
	lb_col(b, C_HEADER);
	lb_fmt(b, "PF %s", S(p->pci));
	lb_col(b, C_NORMAL);
	lb_fmt(b, " %s %s ", S(p->netdev), S(p->driver));
	if (n) {
		lb_str(b, "link ");
		link_state(b, n);
		if (VI_KNOWN(n->speed) && n->speed.v > 0)
			lb_fmt(b, " %" PRId64 "Mb/s", n->speed.v);
	} else {
		lb_col(b, C_DIM);
		lb_str(b, "no netdev");
		lb_col(b, C_NORMAL);
	}
	char nv[24] = "?", tv[24] = "?";
	if (VI_KNOWN(p->sriov_numvfs))
		snprintf(nv, sizeof(nv), "%" PRId64, p->sriov_numvfs.v);
	if (VI_KNOWN(p->sriov_totalvfs))
		snprintf(tv, sizeof(tv), "%" PRId64, p->sriov_totalvfs.v);
	lb_fmt(b, "  VFs %s/%s", nv, tv);
	if (n && VS_KNOWN(n->ifalias) && n->ifalias.v[0])
		lb_fmt(b, "  alias \"%s\"", n->ifalias.v);
	if (VS_KNOWN(p->lldp_chassis))
		lb_fmt(b, "  switch %s port %s", p->lldp_chassis.v, S(p->lldp_port));
	lb_end(b);
}

/* An interface that is neither a PF nor a VF (teams, emulated members,
 * veths). */
static void other_line(struct topo_priv *tp, struct lbuf *b, const struct machine *m, size_t i)
{
	const struct netdev *n = &m->netdevs[i];
	b->item = ITEM(4095, (int)i);
	dep(tp, b, (int)i);
	lb_col(b, C_DIM);
	lb_str(b, tui_g.vbar);
	lb_col(b, C_NORMAL);
	lb_fmt(b, "%-12s %-8s ", S(n->name), VS_KNOWN(n->kind) ? n->kind.v : VS_KNOWN(n->driver) ? n->driver.v : "");
	link_state(b, n);
	if (VS_KNOWN(n->master))
		lb_fmt(b, " master %s", n->master.v);
	if (VS_KNOWN(n->ifalias) && n->ifalias.v[0])
		lb_fmt(b, "  alias \"%s\"", n->ifalias.v);
	lb_end(b);
}

static int cmp_dep(const void *a, const void *b)
{
	const struct topo_dep *x = a, *y = b;
	return x->nd != y->nd ? (x->nd > y->nd) - (x->nd < y->nd) : (x->line > y->line) - (x->line < y->line);
}

static void topo_build(struct panel *pn, struct tui *t)
{
	const struct machine *m = t->m;
	struct lbuf *b = &pn->lines;
	if (!pn->priv)
		pn->priv = vfs_xcalloc(1, sizeof(struct topo_priv));
	struct topo_priv *tp = pn->priv;
	tp->ndep = 0;
	tp->recording = true;
	for (size_t i = 0; i < m->npfs; i++) {
		pf_line(tp, b, m, i);
		for (size_t j = 0; j < m->pfs[i].nvfs; j++)
			vf_line(tp, b, m, &m->pfs[i], i, j);
	}
	topo_hyperv_lines(b, m); /* a Hyper-V export (--hyperv): its own path */
	if (!m->npfs && !m->hyperv) {
		b->item = -1;
		lb_line(b, C_DIM, "no SR-IOV physical functions found");
	}
	/* Interfaces that are neither a PF nor a VF: one line each, so every
	 * name and alias is visible. */
	bool head = false;
	for (size_t i = 0; i < m->nnetdevs; i++) {
		const struct netdev *n = &m->netdevs[i];
		if (n->pf_idx >= 0 || n->vf_pf_idx >= 0 || (VS_KNOWN(n->name) && !strcmp(n->name.v, "lo")))
			continue;
		if (i >= 4095) /* item numbering; nobody reads 4000 lines here */
			break;
		if (!head) {
			b->item = -1;
			lb_line(b, C_HEADER, "other interfaces");
			head = true;
		}
		other_line(tp, b, m, i);
	}
	tp->recording = false;
	/* The reverse index: netdev -> its lines. */
	tp->m = m;
	tp->nnetdevs = m->nnetdevs;
	tp->nlines = b->n;
	size_t kept = 0;
	for (size_t k = 0; k < tp->ndep; k++)
		if ((size_t)tp->dep[k].nd < m->nnetdevs)
			tp->dep[kept++] = tp->dep[k];
	tp->ndep = kept;
	if (tp->ndep > 1)
		qsort(tp->dep, tp->ndep, sizeof(*tp->dep), cmp_dep);
	tp->first = vfs_xrealloc(tp->first, m->nnetdevs + 1, sizeof(*tp->first));
	for (size_t k = 0, d = 0; k <= m->nnetdevs; k++) {
		while (d < tp->ndep && (size_t)tp->dep[d].nd < k)
			d++;
		tp->first[k] = (int)d;
	}
	if (tp->nmark < b->n) {
		tp->mark = vfs_xrealloc(tp->mark, b->n, sizeof(*tp->mark));
		memset(tp->mark, 0, b->n * sizeof(*tp->mark));
		tp->nmark = b->n;
	}
	tp->ok = true;
}

/* The lines showing netdevs nd[0..n) built again, each as topo_build
 * builds it, in place (a line that comes out the same is kept). */
static int topo_update(struct panel *pn, struct tui *t, const int *nd, size_t n)
{
	struct topo_priv *tp = pn->priv;
	const struct machine *m = t->m;
	if (!tp || !tp->ok || tp->m != m || tp->nnetdevs != m->nnetdevs || tp->nlines != pn->lines.n)
		return -1;
	if (++tp->gen == 0) { /* wrapped: no line is marked by the new generation */
		memset(tp->mark, 0, tp->nmark * sizeof(*tp->mark));
		tp->gen = 1;
	}
	int *lines = NULL;
	size_t nl = 0, capl = 0;
	struct lbuf tmp = { 0 };
	tmp.item = -1;
	for (size_t k = 0; k < n; k++) {
		if (nd[k] < 0 || (size_t)nd[k] >= m->nnetdevs)
			continue;
		for (int d = tp->first[nd[k]]; d < tp->first[nd[k] + 1]; d++) {
			int line = tp->dep[d].line;
			if (line < 0 || (size_t)line >= pn->lines.n || tp->mark[line] == tp->gen)
				continue;
			tp->mark[line] = tp->gen;
			int item = pn->lines.v[line].item;
			int pi = item / 4096, vi = item % 4096 - 1;
			if (item < 0)
				continue;
			if (pi == 4095 && vi >= 0 && (size_t)vi < m->nnetdevs)
				other_line(NULL, &tmp, m, (size_t)vi);
			else if (pi >= 0 && (size_t)pi < m->npfs && vi < 0)
				pf_line(NULL, &tmp, m, (size_t)pi);
			else if (pi >= 0 && (size_t)pi < m->npfs && (size_t)vi < m->pfs[pi].nvfs)
				vf_line(NULL, &tmp, m, &m->pfs[pi], (size_t)pi, (size_t)vi);
			else
				continue;
			if (tmp.n == 1 && !strcmp(tmp.v[0].s, pn->lines.v[line].s)) {
				lb_reset(&tmp); /* the same text: the line stays */
				continue;
			}
			lb_replace(&pn->lines, (size_t)line, &tmp);
			VFS_PUSH(lines, nl, capl);
			lines[nl++] = line;
		}
	}
	lb_free(&tmp);
	panel_refilter_lines(pn, t, lines, nl);
	free(lines);
	return nl > 0;
}

static void topo_fini(struct panel *pn)
{
	struct topo_priv *tp = pn->priv;
	if (!tp)
		return;
	free(tp->dep);
	free(tp->first);
	free(tp->mark);
	free(tp);
	pn->priv = NULL;
}

static void topo_status(struct panel *p, struct tui *t, char *out, size_t size)
{
	size_t vfs = 0, bad = 0;
	for (size_t i = 0; i < t->m->npfs; i++)
		vfs += t->m->pfs[i].nvfs;
	const struct machine *h = t->m;
	for (size_t g = 0; g <= h->nguests; g++) {
		const struct machine *mm = g ? h->guests[g - 1] : h;
		for (size_t i = 0; i < mm->nteams; i++)
			for (size_t j = 0; j < mm->teams[i].nmembers; j++)
				bad += tui_member_mismatch(h, mm, &mm->teams[i].members[j]);
	}
	snprintf(out, size, "%zu PFs, %zu VFs%s", t->m->npfs, vfs, bad ? ", PATH DOWN UNDER AN UP MEMBER" : "");
}

static void topo_detail(struct panel *pn, struct tui *t, int line, struct lbuf *b)
{
	const struct machine *m = t->m;
	int item = pn->lines.v[line].item;
	if (item < 0)
		return;
	int pi = item / 4096, vi = item % 4096 - 1;
	if (pi == 4095 && vi >= 0 && (size_t)vi < m->nnetdevs) {
		const struct netdev *n = &m->netdevs[vi];
		b->item = -1;
		lb_kv(b, "netdev", S(n->name));
		lb_kvi(b, "ifindex", &n->ifindex);
		lb_kv(b, "kind", S(n->kind));
		lb_kv(b, "driver", S(n->driver));
		lb_kv(b, "state", tui_link_state(n, NULL));
		lb_kvi(b, "admin up", &n->admin_up);
		lb_kvi(b, "carrier", &n->carrier);
		lb_kv(b, "operstate", S(n->operstate));
		lb_kvi(b, "mtu", &n->mtu);
		lb_kv(b, "mac", S(n->mac));
		lb_kv(b, "master", S(n->master));
		lb_kv(b, "alias", S(n->ifalias));
		lb_kv(b, "pci", S(n->pci));
		return;
	}
	if (pi < 0 || (size_t)pi >= m->npfs)
		return;
	const struct pf *p = &m->pfs[pi];
	b->item = -1;
	if (vi < 0) {
		lb_kv(b, "PF", S(p->pci));
		char vd[80];
		snprintf(vd, sizeof(vd), "%s:%s", S(p->vendor), S(p->device));
		lb_kv(b, "vendor:device", vd);
		lb_kv(b, "driver", S(p->driver));
		lb_kv(b, "netdev", S(p->netdev));
		if (p->netdev_idx >= 0 && (size_t)p->netdev_idx < m->nnetdevs) {
			const struct netdev *n = &m->netdevs[p->netdev_idx];
			lb_kv(b, "state", tui_link_state(n, NULL));
			lb_kvi(b, "admin up", &n->admin_up);
			lb_kvi(b, "carrier", &n->carrier);
			lb_kv(b, "operstate", S(n->operstate));
			lb_kvi(b, "speed Mb/s", &n->speed);
			lb_kvi(b, "mtu", &n->mtu);
			lb_kv(b, "alias", S(n->ifalias));
		}
		lb_kvi(b, "sriov_numvfs", &p->sriov_numvfs);
		lb_kvi(b, "sriov_totalvfs", &p->sriov_totalvfs);
		lb_kv(b, "phys_port_id", S(p->phys_port_id));
		lb_kv(b, "phys_switch_id", S(p->phys_switch_id));
		lb_kv(b, "lldp chassis", S(p->lldp_chassis));
		lb_kv(b, "lldp port", S(p->lldp_port));
		if (p->cap.present) {
			/* '?' for registers the source did not give (lspci -v text). */
			char s[128], tot[12] = "?", num[12] = "?";
			unsigned unk = p->cap.unknown;
			if (!(unk & SRIOV_UNK_COUNTS)) {
				snprintf(tot, sizeof(tot), "%u", p->cap.total_vfs);
				snprintf(num, sizeof(num), "%u", p->cap.num_vfs);
			}
			snprintf(s, sizeof(s), "@0x%x VF Enable%c TotalVFs %s NumVFs %s ARI%c", p->cap.offset,
				 unk & SRIOV_UNK_CTRL ? '?' : p->cap.ctrl & 1 ? '+' : '-', tot, num,
				 unk & SRIOV_UNK_ARI ? '?' : p->cap.ari_present ? '+' : '-');
			lb_kv(b, "SR-IOV cap", s);
		}
		return;
	}
	if ((size_t)vi >= p->nvfs)
		return;
	const struct vf *v = &p->vfs[vi];
	char s[64];
	snprintf(s, sizeof(s), "%d of PF %s", v->index, S(p->pci));
	lb_kv(b, "VF", s);
	lb_kv(b, "pci", S(v->pci));
	lb_kv(b, "driver", S(v->driver));
	lb_kv(b, "mac", S(v->mac));
	lb_kvi(b, "vlan", &v->vlan);
	lb_kvi(b, "qos", &v->qos);
	lb_kvi(b, "spoofchk", &v->spoofchk);
	lb_kvi(b, "trust", &v->trust);
	lb_kv(b, "link-state", VI_KNOWN(v->link_state) ? vf_link_state_name((int)v->link_state.v) : "?");
	lb_kvi(b, "max_tx_rate", &v->max_tx_rate);
	lb_kv(b, "host netdev", S(v->netdev));
	lb_kv(b, "iommu group", S(v->iommu_group));
	lb_kv(b, "owner", S(v->owner_name));
	lb_kvi(b, "owner pid", &v->owner_pid);
	if (v->stats.src != SRC_NONE) {
		snprintf(s, sizeof(s), "rx %" PRIu64 " B tx %" PRIu64 " B", v->stats.rx_bytes, v->stats.tx_bytes);
		lb_kv(b, "stats", s);
	}
}

void panel_topo_init(struct panel *p)
{
	memset(p, 0, sizeof(*p));
	p->title = "Topology";
	p->build = topo_build;
	p->update = topo_update;
	p->fini = topo_fini;
	p->detail = topo_detail;
	p->status = topo_status;
	p->lines.item = -1;
}
