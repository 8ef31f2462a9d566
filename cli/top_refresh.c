/* vfscope top, live: what the kernel announced since the last interval,
 * applied to the model on screen instead of a whole re-collection (issue
 * 17). Each interval: the links rtnetlink named (collectors/nl_monitor.h)
 * merged one by one from their last notification (a PF asked again, for
 * its VF info; collectors/link_refresh.h), the VF
 * info of the PFs behind team members (their stats give the rates), the
 * kernel log's new records (collectors/kmsg_follow.h); then the model is
 * linked again and the rules run on it. A full collection instead: when a
 * link appeared, vanished, was renamed or changed master, when a bond or
 * team (or a member) changed (/proc/net/bonding), when the kernel log got
 * a record vfscope keeps, when notifications were lost, and every
 * --full-every seconds for what nothing announces (config space,
 * sysfs-only attributes, addresses, namespaces). Full collections keep
 * within --cpu-cap: one comes no sooner than its own cost allows, and the
 * safety net takes at most a quarter of the cap (at 4,096 netdevs a full
 * collection costs a few hundred ms: it comes every couple of minutes). */
#include "cli/top.h"
#include "collectors/kmsg_follow.h"
#include "collectors/link_refresh.h"
#include "collectors/nl_monitor.h"
#include "lib/util.h"
#include "rules/rules.h"
#include <stdlib.h>
#include <string.h>

struct top_refresh {
	struct nl_monitor *mon;
	struct link_refresh *lr;
	struct kmsg_follow *kf;
	uint64_t full_every_ns, last_full_ns, full_cost_ns;
	double cpu_cap;
	bool pending; /* a full collection is owed (waiting for the budget) */
	int *dirty;
	struct link_refresh_msg *msgs;
	size_t cap;
	struct top_refresh_stats st;
};

struct top_refresh *top_refresh_new(struct nl_monitor *mon, bool follow_kmsg, double full_every_s, double cpu_cap)
{
	if (!mon)
		return NULL;
	struct link_refresh *lr = link_refresh_open();
	if (!lr)
		return NULL;
	struct top_refresh *r = vfs_xcalloc(1, sizeof(*r));
	r->mon = mon;
	r->lr = lr;
	r->kf = follow_kmsg ? kmsg_follow_open() : NULL;
	r->full_every_ns = (uint64_t)(full_every_s * 1e9);
	r->cpu_cap = cpu_cap;
	r->last_full_ns = vfs_now_mono_ns();
	nl_monitor_keep_msgs(mon, true); /* merged instead of asked again */
	return r;
}

void top_refresh_free(struct top_refresh *r)
{
	if (!r)
		return;
	link_refresh_close(r->lr);
	kmsg_follow_close(r->kf);
	free(r->dirty);
	free(r->msgs);
	free(r);
}

void top_refresh_before_full(struct top_refresh *r)
{
	if (!r)
		return;
	/* What is announced from now on is refreshed after this collection. */
	nl_monitor_read(r->mon);
	nl_monitor_take_dirty(r->mon, NULL, 0, NULL);
	kmsg_follow_skip(r->kf);
}

void top_refresh_after_full(struct top_refresh *r, uint64_t cost_ns)
{
	if (!r)
		return;
	r->last_full_ns = vfs_now_mono_ns();
	r->full_cost_ns = cost_ns;
	r->pending = false;
	r->st.fulls++;
}

/* A full collection may come now: at most cpu_cap percent of a core on
 * average (0: no cap); share 1 for one something asked for, a quarter of
 * it for the safety net, so the refresh keeps the rest. */
static bool budget_ok(const struct top_refresh *r, uint64_t now, double share)
{
	if (r->cpu_cap <= 0)
		return true;
	uint64_t min = (uint64_t)((double)r->full_cost_ns * 100.0 / (r->cpu_cap * share));
	return now - r->last_full_ns >= min;
}

int top_refresh_run(struct top_refresh *r, struct machine *m, struct findings *out, struct tui_delta *d)
{
	uint64_t now = vfs_now_mono_ns();
	r->st.ticks++;
	if (r->kf) {
		int k = kmsg_follow_read(r->kf);
		if (k > 0)
			r->pending = true;
		else if (k < 0) { /* the log can no longer be followed: the safety net reads it */
			kmsg_follow_close(r->kf);
			r->kf = NULL;
		}
	}
	if (nl_monitor_structural(r->mon))
		r->pending = true;
	if (r->pending)
		return budget_ok(r, now, 1) ? -1 : 0;
	if (r->full_every_ns && now - r->last_full_ns >= r->full_every_ns && budget_ok(r, now, 0.25))
		return -1; /* the safety net */
	size_t want = nl_monitor_ndirty(r->mon);
	if (want > r->cap) {
		r->cap = want;
		r->dirty = vfs_xrealloc(r->dirty, r->cap, sizeof(*r->dirty));
		r->msgs = vfs_xrealloc(r->msgs, r->cap, sizeof(*r->msgs));
	}
	int structural = 0;
	size_t n = nl_monitor_take_dirty(r->mon, r->dirty, r->cap, &structural);
	if (structural || n > r->cap) {
		r->pending = true;
		return budget_ok(r, now, 1) ? -1 : 0;
	}
	for (size_t k = 0; k < n; k++)
		r->msgs[k].buf = nl_monitor_msg(r->mon, r->dirty[k], &r->msgs[k].len);
	size_t merged = 0, vf = 0;
	int rc = link_refresh_links(r->lr, m, r->dirty, r->msgs, n, &merged);
	if (!rc && m->nteams)
		rc = link_refresh_vf_stats(r->lr, m, &vf);
	r->st.links += merged;
	if (rc) {
		r->pending = true;
		if (budget_ok(r, now, 1))
			return -1;
	}
	if (!merged && !vf)
		return 0;
	r->st.refreshes++;
	/* What the screen builds again: the merged netdevs' lines; a PF's
	 * answer carries its VFs (and VF stats may move correlation):
	 * everything. */
	if (vf)
		d->all = true;
	for (size_t k = 0; k < n && !d->all; k++) {
		int i = machine_find_netdev_ifindex(m, r->dirty[k]);
		if (i < 0 || m->netdevs[i].pf_idx >= 0)
			d->all = true;
		else
			tui_delta_add(d, i);
	}
	/* correlate links the model first; pairs (teams) never come this way.
	 * Only links that are no PF, VF stats unchanged: nothing correlation
	 * reads moved (names, PCI addresses and masters are structural; the
	 * parser leaves the carrier of a link that is not up unknown, as
	 * machine_link would). */
	if (d->all)
		correlate(m);
	rules_run(m, out);
	return 1;
}

struct top_refresh_stats top_refresh_stats(const struct top_refresh *r)
{
	struct top_refresh_stats z = { 0 };
	return r ? r->st : z;
}
