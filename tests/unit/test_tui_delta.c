/* tui: the panels built again only for the netdevs a change named
 * (tui_rebuild with a delta, tui/panel_topo.c's per-line rebuild, issue
 * 17) give the same screen model, line for line (text, item, what the
 * filter shows), as building everything from the same model: after
 * carrier, admin state, MTU and alias changes of PFs, VF netdevs under a
 * team member (a guest's, and the host's own), and plain links, with and
 * without a filter; a change no line shows (an MTU) rebuilds no line and
 * asks for no drawing. Lab capture pf-link-down (2 PFs x 2 VFs, a guest bond
 * on PF0's VF) plus a host team over PF1's VF and 300 other links. */
#include "tests/unit/t.h"
#include "tests/unit/fixture.h"
#include "tui/tui_int.h"
#include "model/json.h"
#include "rules/rules.h"
#include <stdio.h>

#define FIX "tests/fixtures/lab/pf-link-down/"

static struct tui_feed feed;

static void tui_init(struct tui *t, struct machine *m)
{
	memset(t, 0, sizeof(*t));
	t->feed = &feed;
	t->m = m;
	t->tl_cursor = -1;
	panel_topo_init(&t->p[P_TOPO]);
	panel_teams_init(&t->p[P_TEAMS]);
	panel_findings_init(&t->p[P_FINDINGS]);
	panel_events_init(&t->p[P_EVENTS]);
}

static void tui_fini(struct tui *t)
{
	for (int i = 0; i < P_MAX; i++) {
		lb_free(&t->p[i].lines);
		free(t->p[i].vis);
		if (t->p[i].fini)
			t->p[i].fini(&t->p[i]);
	}
	free(t->rates);
	free(t->evs);
}

/* Every panel of a (built bit by bit) against b (built whole). */
static int same_screen(struct tui *a, struct machine *m, const char *filter, const char *step)
{
	struct tui b;
	tui_init(&b, m);
	b.f = a->f;
	snprintf(b.filter, sizeof(b.filter), "%s", filter);
	tui_rebuild(&b, NULL, 0, true);
	int bad = 0;
	for (int i = 0; i < P_MAX; i++) {
		const struct panel *x = &a->p[i], *y = &b.p[i];
		if (x->lines.n != y->lines.n || x->nvis != y->nvis) {
			fprintf(stderr, "%s: panel %s: %zu/%zu lines, %zu/%zu shown\n", step, y->title, x->lines.n,
				y->lines.n, x->nvis, y->nvis);
			bad++;
			continue;
		}
		for (size_t k = 0; k < x->lines.n; k++)
			if (strcmp(x->lines.v[k].s, y->lines.v[k].s) || x->lines.v[k].item != y->lines.v[k].item) {
				char p1[1024], p2[1024];
				tline_plain(x->lines.v[k].s, p1, sizeof(p1));
				tline_plain(y->lines.v[k].s, p2, sizeof(p2));
				fprintf(stderr, "%s: panel %s line %zu:\n  built in part: %s\n  built whole:   %s\n", step,
					y->title, k, p1, p2);
				bad++;
			}
		for (size_t k = 0; k < x->nvis; k++)
			if (x->vis[k] != y->vis[k]) {
				fprintf(stderr, "%s: panel %s: shown line %zu is %d, not %d\n", step, y->title, k, x->vis[k], y->vis[k]);
				bad++;
				break;
			}
	}
	b.f = (struct findings){ 0 };
	tui_fini(&b);
	return bad;
}

static const char *topo_line(const struct tui *t, const char *has)
{
	static char plain[1024];
	const struct lbuf *l = &t->p[P_TOPO].lines;
	for (size_t k = 0; k < l->n; k++) {
		tline_plain(l->v[k].s, plain, sizeof(plain));
		if (strstr(plain, has))
			return plain;
	}
	return NULL;
}

static int nd(const struct machine *m, const char *name)
{
	int i = machine_find_netdev(m, name);
	if (i < 0)
		fprintf(stderr, "no netdev %s\n", name);
	return i;
}

/* One change: apply, then the delta of the netdevs it touched; the findings
 * as the refresh gives them (rules again). */
/* The text of topology line k, by address: a line built again is a new
 * string, one left alone keeps its address. */
static const char *line_at(const struct tui *t, size_t k)
{
	return k < t->p[P_TOPO].lines.n ? t->p[P_TOPO].lines.v[k].s : NULL;
}

static size_t rebuilt(const struct tui *t, const char **before)
{
	size_t n = 0;
	for (size_t k = 0; k < t->p[P_TOPO].lines.n; k++)
		n += line_at(t, k) != before[k];
	return n;
}

static size_t nrebuilt;
static bool redraw; /* what tui_rebuild said */

static void step(struct tui *t, struct machine *m, const int *idx, size_t n, const char *filter, const char *what)
{
	const char *before[1024];
	for (size_t k = 0; k < t->p[P_TOPO].lines.n && k < 1024; k++)
		before[k] = line_at(t, k);
	struct tui_delta d = { 0 };
	for (size_t k = 0; k < n; k++)
		tui_delta_add(&d, idx[k]);
	machine_link(m); /* a member's carrier follows its netdev */
	correlate(m);
	struct findings f = { 0 };
	rules_run(m, &f);
	unsigned w = tui_findings_same(&t->f, &f) ? 0 : TUI_B_FINDINGS;
	findings_free(&t->f);
	t->f = f;
	redraw = tui_rebuild(t, &d, w, false);
	nrebuilt = rebuilt(t, before);
	if (getenv("T_DEBUG"))
		for (size_t k = 0; k < t->p[P_TOPO].lines.n && k < 1024; k++)
			if (line_at(t, k) != before[k]) {
				char p[1024];
				tline_plain(line_at(t, k), p, sizeof(p));
				fprintf(stderr, "%s: rebuilt %zu: %s\n", what, k, p);
			}
	CHECK_INT(same_screen(t, m, filter, what), 0);
	tui_delta_free(&d);
}

static void test_delta(void)
{
	tui_glyphs_init(false);
	struct machine *m = t_load_machine(FIX "host-snapshot.json"), *g = t_load_machine(FIX "guest-snapshot.json");
	if (!m || !g) {
		CHECK(!"fixtures");
		return;
	}
	machine_add_guest(m, g);
	/* A host team over PF1's VF 1 (host netdev eth5; the guest's bond is
	 * on VF 0 of each PF). */
	machine_link(m);
	CHECK(m->npfs == 2 && m->pfs[1].nvfs == 2);
	const char *hv = "eth5";
	CHECK(machine_find_netdev(m, hv) >= 0 && m->netdevs[machine_find_netdev(m, hv)].vf_pf_idx == 1);
	int e5 = machine_find_netdev(m, hv);
	if (e5 >= 0) {
		vi_set(&m->netdevs[e5].admin_up, 1, SRC_NETLINK);
		vi_set(&m->netdevs[e5].carrier, 1, SRC_NETLINK);
	}
	struct team *tm = machine_add_team(m, "bond7");
	struct member *mb = team_add_member(tm, hv);
	(void)mb;
	for (int i = 0; i < 300; i++) {
		char name[16];
		snprintf(name, sizeof(name), "ve%d", i);
		struct netdev *n = machine_add_netdev(m, name);
		vi_set(&n->ifindex, 1000 + i, SRC_NETLINK);
		vi_set(&n->admin_up, 1, SRC_NETLINK);
		vi_set(&n->carrier, 1, SRC_NETLINK);
		vs_set(&n->kind, "veth", SRC_NETLINK);
		vi_set(&n->mtu, 1500, SRC_NETLINK);
	}
	machine_link(m);
	correlate(m);
	struct tui t;
	tui_init(&t, m);
	rules_run(m, &t.f);
	tui_rebuild(&t, NULL, 0, true);
	CHECK_INT(same_screen(&t, m, "", "start"), 0);

	int pf0 = m->pfs[0].netdev_idx, pf1 = m->pfs[1].netdev_idx, hvi = nd(m, hv);
	int v5 = nd(m, "ve5"), v6 = nd(m, "ve6"), v299 = nd(m, "ve299");
	CHECK(pf0 >= 0 && pf1 >= 0 && hvi >= 0 && v5 >= 0 && v299 >= 0);
	if (pf0 < 0 || pf1 < 0 || hvi < 0 || v5 < 0 || v6 < 0 || v299 < 0)
		return;

	/* A plain link: carrier down, MTU, alias; its line and nothing else. */
	vi_set(&m->netdevs[v5].carrier, 0, SRC_NETLINK);
	vs_set(&m->netdevs[v5].operstate, "lowerlayerdown", SRC_NETLINK);
	vi_set(&m->netdevs[v6].mtu, 9000, SRC_NETLINK);
	vs_set(&m->netdevs[v6].ifalias, "edge-uplink", SRC_NETLINK);
	step(&t, m, (int[]){ v5, v6 }, 2, "", "veth carrier, mtu, alias");
	CHECK_INT(nrebuilt, 2); /* their two lines, nothing else */
	CHECK(topo_line(&t, "ve5          veth     DOWN") != NULL);
	CHECK(topo_line(&t, "edge-uplink") != NULL);

	/* PF1's carrier goes: the host team's member over its VF shows
	 * UP (PF DOWN) on the VF's line, which depends on the PF. */
	CHECK(topo_line(&t, "team bond7 UP (PF DOWN)") == NULL);
	vi_set(&m->netdevs[pf1].carrier, 0, SRC_NETLINK);
	step(&t, m, (int[]){ pf1 }, 1, "", "PF1 carrier down");
	CHECK_INT(nrebuilt, 3); /* the PF's line and its two VFs' (a member on each) */
	CHECK(topo_line(&t, "team bond7 UP (PF DOWN)") != NULL);

	/* PF0 comes back (the capture has it down under the guest's bond). */
	vi_set(&m->netdevs[pf0].admin_up, 1, SRC_NETLINK);
	vi_set(&m->netdevs[pf0].carrier, 1, SRC_NETLINK);
	vs_set(&m->netdevs[pf0].operstate, "up", SRC_NETLINK);
	vs_set(&m->netdevs[pf0].ifalias, "to-switch-a", SRC_NETLINK);
	step(&t, m, (int[]){ pf0 }, 1, "", "PF0 up, alias");
	CHECK(topo_line(&t, "to-switch-a") != NULL);

	/* The member's netdev set down by the admin, a link's alias cleared,
	 * the last link's MTU; repeats in the delta. */
	vi_set(&m->netdevs[hvi].admin_up, 0, SRC_NETLINK);
	m->netdevs[hvi].carrier = (struct vi){ 0 };
	vs_free(&m->netdevs[v6].ifalias);
	vi_set(&m->netdevs[v299].mtu, 4000, SRC_NETLINK);
	step(&t, m, (int[]){ hvi, v6, v299, v6 }, 4, "", "member admin down, alias gone");
	CHECK_INT(nrebuilt, 2); /* ve299's line shows no MTU: it stays */
	CHECK(redraw);
	CHECK(topo_line(&t, "edge-uplink") == NULL);

	/* With a filter: a line that leaves it and one that comes into it. */
	snprintf(t.filter, sizeof(t.filter), "DOWN");
	for (int i = 0; i < P_MAX; i++)
		panel_refilter(&t.p[i], &t);
	CHECK_INT(same_screen(&t, m, "DOWN", "filter set"), 0);
	vi_set(&m->netdevs[v5].carrier, 1, SRC_NETLINK);
	vs_set(&m->netdevs[v5].operstate, "up", SRC_NETLINK);
	vi_set(&m->netdevs[v299].carrier, 0, SRC_NETLINK);
	step(&t, m, (int[]){ v5, v299 }, 2, "DOWN", "filtered: ve5 up, ve299 down");
	CHECK(redraw);
	vi_set(&m->netdevs[v299].mtu, 1500, SRC_NETLINK); /* stays in the filter */
	step(&t, m, (int[]){ v299 }, 1, "DOWN", "filtered: ve299 mtu");
	/* Nothing any panel shows changed: the screen need not be drawn. */
	CHECK_INT(nrebuilt, 0);
	CHECK(!redraw);

	tui_fini(&t);
	findings_free(&t.f);
	machine_free(m);
}

T_MAIN(T(test_delta))
