/* Recognising paravirtual failover pairs. Neither kind has an
 * IFLA_INFO_KIND; what the kernel does leave, and what is read here:
 *
 * net_failover (drivers/net/net_failover.c, net/core/failover.c): the master
 * is created with the standby's parent device (net_failover_create sets
 * failover_dev->dev.parent = standby_dev->dev.parent), so master and standby
 * share `device` (virtio0, driver virtio_net); a slave whose parent is the
 * master's is the standby, any other the primary (net_failover_slave_register:
 * slave_is_standby = slave_dev->dev.parent == failover_dev->dev.parent). The
 * slaves are linked with netdev_master_upper_dev_link: `master` -> the
 * master, `upper_<master>` / `lower_<slave>` links. virtio_net's standby
 * answers phys_port_name "sby" (virtnet_get_phys_port_name). ethtool's
 * driver of the master is "net_failover" (nfo_ethtool_get_drvinfo).
 *
 * netvsc (drivers/net/hyperv/netvsc_drv.c): the synthetic netdev's `device`
 * is a VMBus device bound to hv_netvsc; netvsc_vf_join links the VF as its
 * lower (`master` -> the netvsc netdev) and sets IFF_SLAVE on it. The netvsc
 * device itself carries the synthetic path, so it is its own member
 * ("synthetic") beside the VF ("vf"). Its ethtool -S counts what went over
 * the VF (vf_rx_packets, vf_tx_packets) and over its own channels
 * (tx_queue_N_packets, rx_queue_N_packets).
 *
 * Every read goes through collectors/root.h (live, --sysroot, bundles). */
#include "collectors/pairs.h"
#include "collectors/ethtool.h"
#include "collectors/pair_kmsg.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define P(...) root_path(path, sizeof(path), __VA_ARGS__)

struct nd_extra {
	char ppn[64];     /* phys_port_name; "" unknown */
	char dev[128];    /* basename of the device link; "" none */
	char drv[64];     /* device/driver basename or ethtool driver; "" unknown */
	bool has_lower;
	bool links_read;  /* ppn and dev read (only for masters and their lowers) */
};

static bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* What every netdev needs for the candidate test: its driver and whether it
 * has lowers. phys_port_name and the device link are read by full_extra,
 * only for a master and its lowers (at 4,096 VFs, 5 syscalls a netdev less). */
static void read_extra(const struct netdev *n, struct nd_extra *x)
{
	char path[512];
	memset(x, 0, sizeof(*x));
	const char *name = n->name.v;
	if (VS_KNOWN(n->driver))
		vfs_strlcpy(x->drv, n->driver.v, sizeof(x->drv));
	size_t nl = 0;
	char **l = root_list(P("sys/class/net/%s", name), 512, NULL, &nl, NULL);
	for (size_t i = 0; i < nl; i++)
		if (!strncmp(l[i], "lower_", 6) && l[i][6])
			x->has_lower = true;
	root_list_free(l, nl);
}

static const struct nd_extra *full_extra(const struct machine *m, struct nd_extra *ex, size_t i)
{
	struct nd_extra *x = &ex[i];
	const char *name = m->netdevs[i].name.v;
	if (x->links_read || !name)
		return x;
	char path[512], buf[256];
	x->links_read = true;
	if (!root_read_str(P("sys/class/net/%s/phys_port_name", name), buf, sizeof(buf)))
		vfs_sanitize(x->ppn, sizeof(x->ppn), buf);
	if (!root_link_base(P("sys/class/net/%s/device", name), buf, sizeof(buf)))
		vfs_sanitize(x->dev, sizeof(x->dev), buf);
	return x;
}

/* A kind that is a stacked device of its own: not a pair master. */
static bool other_kind(const struct netdev *n)
{
	return VS_KNOWN(n->kind);
}

/* Names of n's lower devices: lower_<x> links, and netdevs whose master is n. */
static size_t lowers(const struct machine *m, const char *name, char out[][16], size_t max)
{
	char path[512];
	size_t k = 0, nl = 0;
	char **l = root_list(P("sys/class/net/%s", name), 512, NULL, &nl, NULL);
	for (size_t i = 0; i < nl && k < max; i++)
		if (!strncmp(l[i], "lower_", 6) && l[i][6] && strlen(l[i] + 6) < 16 && vfs_is_sane(l[i] + 6))
			vfs_strlcpy(out[k++], l[i] + 6, 16);
	root_list_free(l, nl);
	for (size_t i = 0; i < m->nnetdevs && k < max; i++) {
		const struct netdev *n = &m->netdevs[i];
		if (!is(n->master.v, name) || strlen(n->name.v) >= 16)
			continue;
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= !strcmp(out[j], n->name.v);
		if (!dup)
			vfs_strlcpy(out[k++], n->name.v, 16);
	}
	return k;
}

static struct member *add_role(struct team *t, const char *name, const char *role, int src)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (is(t->members[i].name.v, name))
			return &t->members[i];
	if (t->nmembers >= 64)
		return NULL;
	struct member *mb = team_add_member(t, name);
	vs_set(&mb->role, role, src);
	return mb;
}

static struct team *new_pair(struct machine *m, const char *name, int driver)
{
	if (machine_find_team(m, name) >= 0)
		return NULL; /* already a team (bond): not made a pair */
	struct team *t = machine_add_team(m, name);
	t->driver = driver;
	int i = machine_find_netdev(m, name);
	if (i >= 0 && VS_KNOWN(m->netdevs[i].mac))
		vs_set(&t->mac, m->netdevs[i].mac.v, m->netdevs[i].mac.src);
	return t;
}

static void make_failover(struct machine *m, size_t mi, struct nd_extra *ex)
{
	const struct netdev *mn = &m->netdevs[mi];
	struct team *t = new_pair(m, mn->name.v, TEAM_NET_FAILOVER);
	if (!t)
		return;
	char low[8][16];
	size_t nl = lowers(m, mn->name.v, low, 8);
	for (size_t k = 0; k < nl; k++) {
		int si = machine_find_netdev(m, low[k]);
		const struct nd_extra *sx = si >= 0 ? full_extra(m, ex, (size_t)si) : NULL;
		const struct nd_extra *mx = full_extra(m, ex, mi);
		/* the kernel's own test: same parent device as the master */
		bool standby = sx && ((mx->dev[0] && !strcmp(sx->dev, mx->dev)) || !strcmp(sx->ppn, "sby"));
		add_role(t, low[k], standby ? "standby" : "primary", SRC_SYSFS);
	}
}

static void make_netvsc(struct machine *m, size_t ni)
{
	const struct netdev *n = &m->netdevs[ni];
	struct team *t = new_pair(m, n->name.v, TEAM_NETVSC);
	if (!t)
		return;
	add_role(t, n->name.v, "synthetic", SRC_SYSFS);
	char low[8][16];
	size_t nl = lowers(m, n->name.v, low, 8);
	for (size_t k = 0; k < nl; k++)
		if (strcmp(low[k], n->name.v))
			add_role(t, low[k], "vf", SRC_SYSFS);
}

static const struct member *by_role(const struct team *t, const char *role)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (is(t->members[i].role.v, role))
			return &t->members[i];
	return NULL;
}

/* Counters of one netvsc reading: VF and synthetic (own channels). */
struct nv_read { bool ok, vf_ok, syn_ok; uint64_t vf_rx, vf_tx, syn; };

static struct nv_read nv_counters(const char *name, int second)
{
	struct nv_read r = { 0 };
	struct ethtool_counters s;
	if (ethtool_read_stats(name, second, &s))
		return r;
	r.ok = true;
	r.vf_ok = !ethtool_stat_get(&s, "vf_rx_packets", &r.vf_rx) && !ethtool_stat_get(&s, "vf_tx_packets", &r.vf_tx);
	for (size_t i = 0; i < s.n; i++) {
		unsigned q;
		char dir[3], tail[16];
		/* netvsc_get_strings: "tx_queue_%u_packets", "rx_queue_%u_packets" */
		if (sscanf(s.v[i].name, "%2[rtx]_queue_%u_%15s", dir, &q, tail) == 3 && !strcmp(tail, "packets") &&
		    (!strcmp(dir, "rx") || !strcmp(dir, "tx"))) {
			r.syn += s.v[i].value;
			r.syn_ok = true;
		}
	}
	ethtool_stats_free(&s);
	return r;
}

static long sample_ms(void)
{
	const char *e = getenv("VFSCOPE_PAIR_SAMPLE_MS");
	long v = PAIRS_SAMPLE_MS;
	if (e) {
		char *end;
		long x = strtol(e, &end, 10);
		if (!*end && x >= 0 && x <= 5000)
			v = x;
	}
	return v;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* netvsc: first and second counter readings, the data path when the
 * counters show it. */
static void netvsc_counters(struct machine *m)
{
	struct nv_read r1[PAIRS_MAX], r2[PAIRS_MAX];
	size_t idx[PAIRS_MAX], n = 0;
	for (size_t i = 0; i < m->nteams && n < PAIRS_MAX; i++)
		if (m->teams[i].driver == TEAM_NETVSC) {
			idx[n] = i;
			r1[n++] = nv_counters(m->teams[i].name.v, 0);
		}
	if (!n)
		return;
	long ms = -1;
	if (root_is_live()) {
		ms = sample_ms();
		if (ms > 0)
			sleep_ms(ms);
	} else {
		long long v;
		if (!root_read_i64("ethtool-S/interval_ms", &v, 10) && v >= 0)
			ms = (long)v;
	}
	int asked = 0, got = 0;
	for (size_t k = 0; k < n; k++) {
		struct team *t = &m->teams[idx[k]];
		asked++;
		if (!r1[k].ok)
			continue;
		got++;
		if (r1[k].vf_ok) {
			vi_set(&t->vf_rx_packets, (int64_t)r1[k].vf_rx, SRC_ETHTOOL);
			vi_set(&t->vf_tx_packets, (int64_t)r1[k].vf_tx, SRC_ETHTOOL);
		}
		if (root_is_live() && ms <= 0)
			continue;
		r2[k] = nv_counters(t->name.v, 1);
		if (!r2[k].ok || !r1[k].vf_ok || !r2[k].vf_ok || r2[k].vf_rx < r1[k].vf_rx || r2[k].vf_tx < r1[k].vf_tx)
			continue; /* no second reading, or counters reset between them */
		int64_t drx = (int64_t)(r2[k].vf_rx - r1[k].vf_rx), dtx = (int64_t)(r2[k].vf_tx - r1[k].vf_tx);
		vi_set(&t->vf_rx_delta, drx, SRC_ETHTOOL);
		vi_set(&t->vf_tx_delta, dtx, SRC_ETHTOOL);
		if (ms >= 0)
			vi_set(&t->vf_delta_ms, ms, SRC_ETHTOOL);
		char why[192], win[32] = "";
		if (ms >= 0)
			snprintf(win, sizeof(win), " in %ld ms", ms);
		if (drx > 0 || dtx > 0) {
			snprintf(why, sizeof(why), "vf_rx_packets +%lld, vf_tx_packets +%lld%s", (long long)drx,
				 (long long)dtx, win);
			vs_set(&t->datapath, "vf", SRC_ETHTOOL);
			vs_set(&t->datapath_why, why, SRC_ETHTOOL);
			const struct member *vm = by_role(t, "vf");
			if (vm)
				vs_set(&t->datapath_member, vm->name.v, SRC_ETHTOOL);
		} else if (r1[k].syn_ok && r2[k].syn_ok && r2[k].syn > r1[k].syn) {
			snprintf(why, sizeof(why), "vf_rx/tx_packets unchanged while its own channels moved %llu packets%s",
				 (unsigned long long)(r2[k].syn - r1[k].syn), win);
			vs_set(&t->datapath, "synthetic", SRC_ETHTOOL);
			vs_set(&t->datapath_why, why, SRC_ETHTOOL);
			vs_set(&t->datapath_member, t->name.v, SRC_ETHTOOL);
		}
	}
	machine_add_source(m, "ethtool", got == asked ? SOURCE_OK : got ? SOURCE_PARTIAL : SOURCE_FAILED,
			   "%d of %d netvsc devices gave statistics", got, asked);
}

void pairs_collect(struct machine *m)
{
	if (!m || !m->nnetdevs)
		return;
	struct nd_extra *ex = vfs_xcalloc(m->nnetdevs, sizeof(*ex));
	for (size_t i = 0; i < m->nnetdevs; i++)
		if (m->netdevs[i].name.v)
			read_extra(&m->netdevs[i], &ex[i]);
	size_t made = 0;
	for (size_t i = 0; i < m->nnetdevs && made < PAIRS_MAX; i++) {
		const struct netdev *n = &m->netdevs[i];
		if (!n->name.v || other_kind(n))
			continue;
		/* The driver ethtool names: asked only of candidates (a master with
		 * lowers, a device whose driver link is missing or is hv_netvsc). */
		char drv[64] = "";
		if (ex[i].has_lower || !ex[i].drv[0]) {
			if (!ethtool_driver(n->name.v, drv, sizeof(drv)) && !ex[i].drv[0])
				vfs_strlcpy(ex[i].drv, drv, sizeof(ex[i].drv));
		}
		bool standby_below = false;
		if (ex[i].has_lower) {
			char low[8][16];
			size_t nl = lowers(m, n->name.v, low, 8);
			for (size_t k = 0; k < nl; k++) {
				int si = machine_find_netdev(m, low[k]);
				standby_below |= si >= 0 && !strcmp(full_extra(m, ex, (size_t)si)->ppn, "sby");
			}
		}
		if (is(drv, "net_failover") || standby_below) {
			make_failover(m, i, ex);
			made++;
		} else if (is(ex[i].drv, "hv_netvsc") || is(drv, "hv_netvsc")) {
			make_netvsc(m, i);
			made++;
		}
	}
	/* A net_failover master that ethtool could not name and whose standby
	 * has gone is not recognisable from sysfs: nothing left says so. */
	free(ex);
	netvsc_counters(m);
}

static const struct netdev *nd_of(const struct machine *m, const struct member *mb)
{
	int i = mb ? machine_find_netdev(m, mb->name.v) : -1;
	return i >= 0 ? &m->netdevs[i] : NULL;
}

static bool up_with_carrier(const struct netdev *n)
{
	return n && VI_KNOWN(n->admin_up) && n->admin_up.v == 1 && VI_KNOWN(n->carrier) && n->carrier.v == 1;
}

static bool known_not_carrying(const struct netdev *n)
{
	return !n || (VI_KNOWN(n->admin_up) && n->admin_up.v == 0) || (VI_KNOWN(n->carrier) && n->carrier.v == 0);
}

static void set_path(struct team *t, const char *role, const struct member *mb, int src, const char *why)
{
	vs_set(&t->datapath, role, src);
	if (mb)
		vs_set(&t->datapath_member, mb->name.v, src);
	else
		vs_free(&t->datapath_member);
	vs_set(&t->datapath_why, why, src);
}

/* net_failover_xmit: the primary when net_failover_xmit_ready (running
 * with carrier), else the standby when it is. */
static void failover_path(const struct machine *m, struct team *t)
{
	const struct member *pm = by_role(t, "primary"), *sm = by_role(t, "standby");
	const struct netdev *pn = nd_of(m, pm), *sn = nd_of(m, sm);
	char why[192];
	if (pm && up_with_carrier(pn)) {
		snprintf(why, sizeof(why), "primary %s is up with carrier", pm->name.v);
		set_path(t, "primary", pm, SRC_DERIVED, why);
	} else if ((!pm || known_not_carrying(pn)) && sm && up_with_carrier(sn)) {
		snprintf(why, sizeof(why), "%s%s%s; standby %s is up with carrier", pm ? "primary " : "no primary",
			 pm ? pm->name.v : "", pm ? " is down or has no carrier" : "", sm->name.v);
		set_path(t, "standby", sm, SRC_DERIVED, why);
	} else {
		vs_free(&t->datapath);
		vs_free(&t->datapath_member);
		vs_free(&t->datapath_why);
	}
}

/* The last kmsg line of kind in `kinds` logged on dev; NULL none. */
static const struct kmsg_line *last_line(const struct machine *m, const char *dev, const int *kinds, size_t nk,
					 struct pair_kmsg *out)
{
	const struct kmsg_line *hit = NULL;
	struct pair_kmsg pk;
	for (size_t i = 0; i < m->nkmsg; i++) {
		if (!pair_kmsg_parse(m->kmsg[i].text, &pk) || strcmp(pk.ifname, dev))
			continue;
		for (size_t k = 0; k < nk; k++)
			if (pk.kind == kinds[k]) {
				hit = &m->kmsg[i];
				*out = pk;
			}
	}
	return hit;
}

static void netvsc_path(const struct machine *m, struct team *t)
{
	if (t->datapath.src == SRC_ETHTOOL)
		return; /* the counters said */
	const struct member *vm = by_role(t, "vf"), *syn = by_role(t, "synthetic");
	char why[192];
	if (!vm) {
		snprintf(why, sizeof(why), "no VF under %s", t->name.v);
		set_path(t, "synthetic", syn, SRC_SYSFS, why);
		return;
	}
	static const int kinds[] = { PK_SWITCHED_TO_VF, PK_SWITCHED_FROM_VF, PK_SWITCH_FAILED };
	struct pair_kmsg pk;
	if (last_line(m, t->name.v, kinds, ARRAY_SIZE(kinds), &pk)) {
		if (pk.kind == PK_SWITCHED_TO_VF) {
			snprintf(why, sizeof(why), "last kernel log line: Data path switched to VF: %s", pk.arg);
			set_path(t, "vf", vm, SRC_KMSG, why);
		} else {
			snprintf(why, sizeof(why), "last kernel log line: Data path %s VF: %s",
				 pk.kind == PK_SWITCHED_FROM_VF ? "switched from" : pk.to ? "failed to switch to"
											: "failed to switch from", pk.arg);
			set_path(t, pk.kind == PK_SWITCH_FAILED && !pk.to ? "vf" : "synthetic",
				 pk.kind == PK_SWITCH_FAILED && !pk.to ? vm : syn, SRC_KMSG, why);
		}
		return;
	}
	const struct netdev *vn = nd_of(m, vm);
	if (vn && VI_KNOWN(vn->admin_up)) {
		/* netvsc_vf_changed asks the host for the VF path when the VF runs */
		snprintf(why, sizeof(why), "VF %s is %s: netvsc asks the host for the %s path", vm->name.v,
			 vn->admin_up.v ? "up" : "down", vn->admin_up.v ? "VF" : "synthetic");
		set_path(t, vn->admin_up.v ? "vf" : "synthetic", vn->admin_up.v ? vm : syn, SRC_DERIVED, why);
		return;
	}
	vs_free(&t->datapath);
	vs_free(&t->datapath_member);
	vs_free(&t->datapath_why);
}

static void count_switches(const struct machine *m, struct team *t, bool kmsg_read)
{
	t->datapath_switches = (struct vi){ 0 };
	t->datapath_switch_span_ms = (struct vi){ 0 };
	t->vf_offered = (struct vi){ 0 };
	t->vf_slot = (struct vi){ 0 };
	if (!kmsg_read)
		return;
	int64_t n = 0;
	uint64_t first = 0, last = 0;
	struct pair_kmsg pk;
	for (size_t i = 0; i < m->nkmsg; i++) {
		if (!pair_kmsg_parse(m->kmsg[i].text, &pk) || strcmp(pk.ifname, t->name.v))
			continue;
		bool sw = t->driver == TEAM_NETVSC
				  ? pk.kind == PK_SWITCHED_TO_VF || pk.kind == PK_SWITCHED_FROM_VF
				  : pk.kind == PK_PRIMARY_REGISTERED || pk.kind == PK_PRIMARY_UNREGISTERED;
		if (sw) {
			if (!n)
				first = m->kmsg[i].ts_us;
			last = m->kmsg[i].ts_us;
			n++;
		}
		if (t->driver == TEAM_NETVSC && (pk.kind == PK_VF_SLOT_ADDED || pk.kind == PK_VF_SLOT_REMOVED)) {
			vi_set(&t->vf_offered, pk.kind == PK_VF_SLOT_ADDED, SRC_KMSG);
			vi_set(&t->vf_slot, pk.num, SRC_KMSG);
		}
	}
	vi_set(&t->datapath_switches, n, SRC_KMSG);
	if (n)
		vi_set(&t->datapath_switch_span_ms, last >= first ? (int64_t)((last - first) / 1000) : 0, SRC_KMSG);
}

void pairs_update(struct machine *m)
{
	if (!m)
		return;
	const struct source *ks = machine_source(m, "kmsg");
	bool kmsg_read = ks && (ks->status == SOURCE_OK || ks->status == SOURCE_PARTIAL);
	for (size_t i = 0; i < m->nteams; i++) {
		struct team *t = &m->teams[i];
		if (!team_is_pair(t))
			continue;
		count_switches(m, t, kmsg_read);
		if (t->driver == TEAM_NET_FAILOVER)
			failover_path(m, t);
		else
			netvsc_path(m, t);
	}
}
