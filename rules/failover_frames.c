/* Failover frames as evidence: the gratuitous ARPs / unsolicited NAs a
 * team sent (EV_FRAME "GARP"/"NA", collectors/frames.c), each with the
 * link change or failover it follows. Used by VFS001 and VFS004. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

/* Gratuitous ARPs / unsolicited NAs (EV_FRAME "GARP"/"NA", collectors/
 * frames.c) this team sent: on the team or a member of m, or on the host
 * VF/PF netdev behind a member with the team's or a member's MAC. What a
 * failover announces; with the link change or failover event before it
 * (same clock) when there is one within 30 s. */
static bool frame_from(const struct vfs_event *e, const struct mref *r)
{
	const char *p = strstr(e->text, " from ");
	char mac[18];
	if (!p || sscanf(p + 6, "%17s", mac) != 1)
		return false;
	return vfs_mac_eq(mac, r->t->mac.v) || vfs_mac_eq(mac, r->mb->perm_mac.v) ||
	       vfs_mac_eq(mac, r->mb->cur_mac.v) || (r->vf && vfs_mac_eq(mac, r->vf->mac.v));
}

static bool failover_frame_of(struct machine *host, struct machine *m, int gi, struct team *t, const struct vfs_event *e,
			      bool on_host)
{
	if (e->kind != EV_FRAME || (strncmp(e->text, "GARP ", 5) && strncmp(e->text, "NA ", 3)))
		return false;
	if (!on_host || m == host) {
		if (VS_KNOWN(t->name) && !strcmp(e->ifname, t->name.v))
			return true;
		for (size_t j = 0; j < t->nmembers; j++)
			if (VS_KNOWN(t->members[j].name) && !strcmp(e->ifname, t->members[j].name.v))
				return true;
	}
	for (size_t j = 0; j < t->nmembers; j++) {
		struct mref r;
		mref_get(host, m, gi, t, j, &r);
		if (r.vf && ((VS_KNOWN(r.vf->netdev) && !strcmp(e->ifname, r.vf->netdev.v)) ||
			     (VS_KNOWN(r.pf->netdev) && !strcmp(e->ifname, r.pf->netdev.v))) && frame_from(e, &r))
			return true;
	}
	return false;
}

/* "capture" or "pcap" when m's frames were really read (the team's own
 * machine, guest or host), else NULL: no frames read is not "none seen". */
static const char *frames_read(const struct machine *m)
{
	static const char *const names[] = { "capture", "pcap" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const struct source *s = machine_source(m, names[i]);
		if (s && (s->status == SOURCE_OK || s->status == SOURCE_PARTIAL))
			return names[i];
	}
	return NULL;
}

#define KMSG_SKEW_NS 250000000ull

void ev_failover_frames(struct finding *f, struct machine *host, struct machine *m, int gi, struct team *t)
{
	int shown = 0, more = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct machine *em = pass ? host : m;
		if (pass && m == host)
			break;
		for (size_t i = 0; i < em->nevents; i++) {
			const struct vfs_event *e = &em->events[i];
			if (!failover_frame_of(host, m, gi, t, e, pass))
				continue;
			if (shown >= 6) {
				more++;
				continue;
			}
			char ts[32] = "?", after[160] = "";
			if (e->ts_real_ns)
				vfs_fmt_time(e->ts_real_ns, ts);
			/* The link change the frame follows: the latest one up to 30 s
			 * before it. A kernel-log line is stamped with the printk clock
			 * (local_clock), not the capture's: under a VM it was seen 20 ms
			 * late against the frames it caused, so it may also lie up to
			 * KMSG_SKEW_NS after the frame and is then "within" it. */
			const struct vfs_event *lc = NULL;
			for (size_t k = 0; k < em->nevents; k++) {
				const struct vfs_event *x = &em->events[k];
				uint64_t slack = strcmp(x->probe, "kmsg") ? 0 : KMSG_SKEW_NS;
				if ((x->kind == EV_LINK || x->kind == EV_FAILOVER) && x->ts_real_ns && e->ts_real_ns &&
				    x->ts_real_ns <= e->ts_real_ns + slack && x->ts_real_ns + 30000000000ull >= e->ts_real_ns &&
				    (!lc || x->ts_real_ns > lc->ts_real_ns))
					lc = x;
			}
			if (lc && lc->ts_real_ns <= e->ts_real_ns)
				snprintf(after, sizeof(after), ", %.3f s after %s on %s: %.60s",
					 (double)(e->ts_real_ns - lc->ts_real_ns) / 1e9, vfs_ev_kind_name(lc->kind),
					 lc->ifname, lc->text);
			else if (lc)
				snprintf(after, sizeof(after), ", within %.0f ms of %s on %s (kernel log clock): %.60s",
					 (double)(lc->ts_real_ns - e->ts_real_ns) / 1e6, vfs_ev_kind_name(lc->kind),
					 lc->ifname, lc->text);
			finding_ev(f, SRC_CAPTURE, "failover frames seen", "%s on %s at %s%s", e->text, e->ifname, ts, after);
			shown++;
		}
	}
	if (more)
		finding_ev(f, SRC_CAPTURE, "failover frames seen", "%d more", more);
	else if (!shown) {
		const char *read = frames_read(m);
		if (!read && m != host)
			read = frames_read(host);
		if (read)
			finding_ev(f, SRC_CAPTURE, "failover frames seen", "none from %s in the frames read (%s)",
				   S(t->name), read);
	}
}
