/* Teams panel: each team (host and guests), its mode and active member;
 * each member with its state, backing VF/PF/switch port and tx/rx rates
 * with a small sparkline, so it is visible which member carries traffic. */
#include "tui/tui_int.h"
#include "lib/util.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S(x) (VS_KNOWN(x) ? (x).v : "?")
/* Item numbers: guest, team, member; beyond the ranges a line has no details. */
#define ITEM(g, t, m) ((t) < 999 && (m) < 998 ? (g) * 1000000 + (t) * 1000 + (m) + 1 : -1)

static void spark(struct lbuf *b, const struct rate *r)
{
	double max = 0;
	for (int i = 0; i < r->n; i++)
		max = MAX(max, r->rx[i] + r->tx[i]);
	lb_col(b, C_SPARK);
	for (int i = 0; i < TUI_SPARK; i++) {
		int k = i - (TUI_SPARK - r->n);
		if (k < 0) {
			lb_str(b, " ");
			continue;
		}
		double v = r->rx[k] + r->tx[k];
		int lvl = max > 0 ? (int)(v * 7.0 / max + 0.5) : 0;
		lb_str(b, v > 0 || max == 0 ? tui_g.spark[lvl] : tui_g.spark[0]);
	}
	lb_col(b, C_NORMAL);
}

static void member_line(struct lbuf *b, struct tui *t, const struct machine *mm, const struct team *tm,
			const struct member *mb, bool last)
{
	const struct machine *h = t->m;
	bool active = VS_KNOWN(tm->active) && VS_KNOWN(mb->name) && !strcmp(tm->active.v, mb->name.v);
	lb_col(b, C_DIM);
	lb_str(b, last ? tui_g.elbow : tui_g.tee);
	lb_col(b, active ? C_HEADER : C_NORMAL);
	lb_fmt(b, "%s%-8s ", active ? "*" : " ", S(mb->name));
	lb_col(b, C_NORMAL);
	tui_member_state(b, h, mm, mb);
	lb_pad(b, 26);
	int pf = tui_member_pf(h, mm, mb);
	if (pf >= 0) {
		const struct pf *p = &h->pfs[pf];
		int vf = mb->host_pf_idx >= 0 ? mb->host_vf_idx
			: (mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < h->nnetdevs ? h->netdevs[mb->netdev_idx].vf_idx : -1);
		if (vf >= 0 && (size_t)vf < p->nvfs)
			lb_fmt(b, "vf%d", p->vfs[vf].index);
		else
			lb_str(b, "vf?");
		lb_fmt(b, " PF %s ", S(p->netdev));
		int n = p->netdev_idx, c;
		const char *st = tui_link_state(n >= 0 && (size_t)n < h->nnetdevs ? &h->netdevs[n] : NULL, &c);
		lb_col(b, c);
		lb_str(b, st);
		lb_col(b, C_NORMAL);
		if (VS_KNOWN(p->lldp_port))
			lb_fmt(b, " sw %s", p->lldp_port.v);
	} else {
		/* Pairs (issue 15): a bond member that is a pair shows its data path,
		 * a pair member its role. */
		int pt = VS_KNOWN(mb->name) ? machine_find_team(mm, mb->name.v) : -1;
		const struct team *pr = pt >= 0 && pt != (int)(tm - mm->teams) ? &mm->teams[pt] : NULL;
		lb_col(b, C_DIM);
		if (pr && team_is_pair(pr))
			lb_fmt(b, "pair via %s", S(pr->datapath));
		else if (team_is_pair(tm) && VS_KNOWN(mb->role))
			lb_fmt(b, "%s %s", mb->role.v, VS_KNOWN(mb->driver) ? mb->driver.v : "?");
		else
			lb_fmt(b, "%s", VS_KNOWN(mb->driver) ? mb->driver.v : "backing ?");
		lb_col(b, C_NORMAL);
	}
	lb_pad(b, 47);
	char key[96];
	snprintf(key, sizeof(key), "%s/%s/%s", tui_machine_name(mm), S(tm->name), S(mb->name));
	const struct rate *r = NULL;
	for (size_t i = 0; i < t->nrates; i++)
		if (!strcmp(t->rates[i].key, key))
			r = &t->rates[i];
	if (r && r->n) {
		char rx[16], tx[16];
		tui_fmt_rate(r->tx[r->n - 1], tx, sizeof(tx));
		tui_fmt_rate(r->rx[r->n - 1], rx, sizeof(rx));
		lb_fmt(b, "tx %6s rx %6s ", tx, rx); /* per second (panel title) */
		spark(b, r);
	} else {
		lb_col(b, C_DIM);
		lb_str(b, r ? "tx -  rx -  (sampling)" : t->feed->live ? "tx -  rx -" : "tx -  rx -  (static)");
	}
	lb_end(b);
}

static void teams_build(struct panel *pn, struct tui *t)
{
	const struct machine *h = t->m;
	struct lbuf *b = &pn->lines;
	size_t nt = 0;
	for (size_t g = 0; g <= h->nguests; g++) {
		const struct machine *mm = g ? h->guests[g - 1] : h;
		for (size_t i = 0; i < mm->nteams; i++, nt++) {
			const struct team *tm = &mm->teams[i];
			b->item = ITEM((int)g, (int)i, -1);
			lb_col(b, C_HEADER);
			lb_str(b, S(tm->name));
			lb_col(b, C_NORMAL);
			lb_fmt(b, " @%s %s %s%s", g ? tui_machine_name(mm) : "host",
			       tm->driver == TEAM_BONDING ? "bonding" : tm->driver == TEAM_TEAMD ? "teamd"
			       : team_is_pair(tm) ? team_driver_name(tm->driver) : "?",
			       team_is_pair(tm) ? "via " : "", team_is_pair(tm) ? S(tm->datapath) : S(tm->mode)); /* a pair: its data path */
			/* The team device itself, when it is not up (ip: state DOWN). */
			int tn = VS_KNOWN(tm->name) ? machine_find_netdev(mm, tm->name.v) : -1;
			int tc;
			const char *ts = tn >= 0 ? tui_link_state(&mm->netdevs[tn], &tc) : NULL;
			if (ts && strcmp(ts, "UP") && strcmp(ts, "?")) {
				lb_str(b, "  ");
				lb_col(b, tc);
				lb_str(b, ts);
				lb_col(b, C_NORMAL);
			}
			lb_fmt(b, "  active %s", S(tm->active));
			if (VI_KNOWN(tm->miimon))
				lb_fmt(b, "  miimon %" PRId64, tm->miimon.v);
			if (VI_KNOWN(tm->arp_interval) && tm->arp_interval.v)
				lb_fmt(b, "  arp %" PRId64 "ms %s", tm->arp_interval.v, S(tm->arp_ip_target));
			if (VS_KNOWN(tm->fail_over_mac))
				lb_fmt(b, "  fail_over_mac %s", tm->fail_over_mac.v);
			lb_end(b);
			for (size_t j = 0; j < tm->nmembers; j++) {
				b->item = ITEM((int)g, (int)i, (int)j);
				member_line(b, t, mm, tm, &tm->members[j], j + 1 == tm->nmembers);
			}
		}
	}
	if (!nt) {
		b->item = -1;
		lb_line(b, C_DIM, "no bonding/team devices%s", h->nguests ? "" : " (add guests with --guest / --guest-file)");
	}
}

static void teams_status(struct panel *p, struct tui *t, char *out, size_t size)
{
	size_t n = t->m->nteams;
	for (size_t g = 0; g < t->m->nguests; g++)
		n += t->m->guests[g]->nteams;
	snprintf(out, size, "%zu teams, rates per second", n);
}

static void teams_detail(struct panel *pn, struct tui *t, int line, struct lbuf *b)
{
	const struct machine *h = t->m;
	int item = pn->lines.v[line].item;
	if (item < 0)
		return;
	int g = item / 1000000, ti = item / 1000 % 1000, mi = item % 1000 - 1;
	if (g < 0 || (size_t)g > h->nguests)
		return;
	const struct machine *mm = g ? h->guests[g - 1] : h;
	if (ti < 0 || (size_t)ti >= mm->nteams)
		return;
	const struct team *tm = &mm->teams[ti];
	b->item = -1;
	if (mi < 0) {
		lb_kv(b, "team", S(tm->name));
		lb_kv(b, "on", g ? tui_machine_name(mm) : "host");
		lb_kv(b, "mode", S(tm->mode));
		lb_kv(b, "active", S(tm->active));
		lb_kv(b, "primary", S(tm->primary));
		lb_kvi(b, "miimon", &tm->miimon);
		lb_kvi(b, "updelay", &tm->updelay);
		lb_kvi(b, "downdelay", &tm->downdelay);
		lb_kvi(b, "arp_interval", &tm->arp_interval);
		lb_kv(b, "arp_ip_target", S(tm->arp_ip_target));
		lb_kv(b, "arp_validate", S(tm->arp_validate));
		lb_kv(b, "fail_over_mac", S(tm->fail_over_mac));
		lb_kv(b, "xmit_hash", S(tm->xmit_hash_policy));
		lb_kv(b, "lacp_rate", S(tm->lacp_rate));
		lb_kv(b, "mac", S(tm->mac));
		return;
	}
	if ((size_t)mi >= tm->nmembers)
		return;
	const struct member *mb = &tm->members[mi];
	lb_kv(b, "member", S(mb->name));
	lb_kv(b, "team", S(tm->name));
	lb_kv(b, "state", S(mb->state));
	lb_kv(b, "mii_status", S(mb->mii_status));
	lb_kv(b, "carrier", tui_carrier(&mb->carrier));
	lb_kvi(b, "link_failures", &mb->link_failures);
	lb_kv(b, "perm_mac", S(mb->perm_mac));
	lb_kv(b, "cur_mac", S(mb->cur_mac));
	lb_kv(b, "driver", S(mb->driver));
	lb_kv(b, "pci", S(mb->pci));
	int pf = tui_member_pf(h, mm, mb);
	if (pf >= 0) {
		const struct pf *p = &h->pfs[pf];
		lb_kv(b, "backing PF", S(p->pci));
		lb_kv(b, "PF netdev", S(p->netdev));
		lb_kv(b, "PF link", tui_link_state(p->netdev_idx >= 0 && (size_t)p->netdev_idx < h->nnetdevs
						    ? &h->netdevs[p->netdev_idx] : NULL, NULL));
		lb_kv(b, "switch port", S(p->lldp_port));
	} else {
		lb_kv(b, "backing PF", "not correlated");
	}
	if (tui_member_mismatch(h, mm, mb)) {
		lb_end(b);
		lb_line(b, C_ERR, "The team treats this member as up, but the PF under it has no carrier:");
		lb_line(b, C_ERR, "traffic sent through it is lost and the team will not fail over.");
		lb_line(b, C_NORMAL, "See the Findings panel for the fix (e.g. VF link-state auto, ARP monitoring).");
	}
}

void panel_teams_init(struct panel *p)
{
	memset(p, 0, sizeof(*p));
	p->title = "Teams";
	p->build = teams_build;
	p->detail = teams_detail;
	p->status = teams_status;
	p->lines.item = -1;
}
