#include "model/model.h"
#include "model/hyperv.h"
#include "lib/strindex.h"
#include "lib/util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const src_names[SRC_MAX] = {
	[SRC_NONE] = "unknown", [SRC_SYSFS] = "sysfs", [SRC_NETLINK] = "netlink",
	[SRC_LIBPCI] = "libpci", [SRC_PROCFS] = "procfs", [SRC_PCIDUMP] = "pci-dump",
	[SRC_GUEST] = "guest", [SRC_PROBE] = "probe", [SRC_KMSG] = "kmsg",
	[SRC_LLDP] = "lldp", [SRC_DERIVED] = "derived", [SRC_BUNDLE] = "bundle", [SRC_CAPTURE] = "capture", [SRC_SOS] = "sos",
	[SRC_KUBELET] = "kubelet", [SRC_ETHTOOL] = "ethtool",
	[SRC_POWERSHELL] = "powershell",
};

const char *vfs_src_name(int src)
{
	return src >= 0 && src < SRC_MAX ? src_names[src] : "unknown";
}

int vfs_src_parse(const char *name)
{
	for (int i = 0; i < SRC_MAX; i++)
		if (name && !strcmp(name, src_names[i]))
			return i;
	return SRC_NONE;
}

const char *vf_link_state_name(int s)
{
	switch (s) {
	case VF_LINK_AUTO: return "auto";
	case VF_LINK_ENABLE: return "enable";
	case VF_LINK_DISABLE: return "disable";
	}
	return "unknown";
}

void vi_set(struct vi *f, int64_t v, int src)
{
	f->v = v;
	f->src = (uint8_t)src;
}

void vs_set(struct vs *f, const char *v, int src)
{
	free(f->v);
	f->v = v && *v ? vfs_xstrdup(v) : NULL;
	f->src = f->v ? (uint8_t)src : SRC_NONE;
}

void vs_free(struct vs *f)
{
	free(f->v);
	f->v = NULL;
	f->src = SRC_NONE;
}

struct machine *machine_new(const char *role)
{
	struct machine *m = vfs_xcalloc(1, sizeof(*m));
	m->role = vfs_xstrdup(role ? role : "host");
	return m;
}

static void netdev_free(struct netdev *n)
{
	struct vs *s[] = { &n->name, &n->mac, &n->perm_mac, &n->operstate, &n->kind,
			   &n->driver, &n->pci, &n->ifalias, &n->master, &n->addr_first, &n->default_gw };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		vs_free(s[i]);
}

static void vf_free(struct vf *v)
{
	struct vs *s[] = { &v->pci, &v->netdev, &v->driver, &v->mac, &v->iommu_group, &v->owner_name,
			   &v->alloc_pod_uid, &v->alloc_pod, &v->alloc_resource, &v->netns, &v->alloc_netns,
			   &v->failover_pair_id, &v->failover_standby_mac };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		vs_free(s[i]);
}

static void pf_free(struct pf *p)
{
	struct vs *s[] = { &p->pci, &p->vendor, &p->device, &p->driver, &p->netdev,
			   &p->sriov_vf_device, &p->phys_port_id, &p->phys_switch_id, &p->phys_port_name,
			   &p->lldp_chassis, &p->lldp_port, &p->lldp_sysname };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		vs_free(s[i]);
	for (size_t i = 0; i < p->nvfs; i++)
		vf_free(&p->vfs[i]);
	free(p->vfs);
}

static void member_free(struct member *mb)
{
	struct vs *s[] = { &mb->name, &mb->perm_mac, &mb->cur_mac, &mb->mii_status, &mb->state,
			   &mb->driver, &mb->pci, &mb->duplex, &mb->role };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		vs_free(s[i]);
}

static void team_free(struct team *t)
{
	struct vs *s[] = { &t->name, &t->mode, &t->xmit_hash_policy, &t->arp_ip_target,
			   &t->arp_validate, &t->fail_over_mac, &t->primary, &t->active,
			   &t->lacp_rate, &t->ad_select, &t->mac, &t->datapath, &t->datapath_member,
			   &t->datapath_why };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		vs_free(s[i]);
	for (size_t i = 0; i < t->nmembers; i++)
		member_free(&t->members[i]);
	free(t->members);
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nnetdevs; i++)
		netdev_free(&m->netdevs[i]);
	for (size_t i = 0; i < m->npfs; i++)
		pf_free(&m->pfs[i]);
	for (size_t i = 0; i < m->nteams; i++)
		team_free(&m->teams[i]);
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	for (size_t i = 0; i < m->nkmsg; i++)
		free(m->kmsg[i].text);
	for (size_t i = 0; i < m->nguests; i++)
		machine_free(m->guests[i]);
	hv_free(m->hyperv);
	vs_free(&m->hostname);
	vs_free(&m->kernel);
	vs_free(&m->netns_name);
	vs_free(&m->pod_uid);
	vs_free(&m->pod_namespace);
	vs_free(&m->pod_name);
	free(m->netdevs);
	free(m->pfs);
	free(m->teams);
	free(m->sources);
	free(m->warnings);
	free(m->kmsg);
	free(m->events);
	free(m->guests);
	free(m->role);
	free(m->label);
	free(m->root);
	free(m);
}

struct netdev *machine_add_netdev(struct machine *m, const char *name)
{
	VFS_PUSH(m->netdevs, m->nnetdevs, m->cap_netdevs);
	struct netdev *n = &m->netdevs[m->nnetdevs++];
	memset(n, 0, sizeof(*n));
	n->pf_idx = n->vf_pf_idx = n->vf_idx = -1;
	vs_set(&n->name, name, SRC_SYSFS);
	return n;
}

struct pf *machine_add_pf(struct machine *m, const char *pci)
{
	VFS_PUSH(m->pfs, m->npfs, m->cap_pfs);
	struct pf *p = &m->pfs[m->npfs++];
	memset(p, 0, sizeof(*p));
	p->netdev_idx = -1;
	p->cap.link_speed_gts10 = p->cap.link_width = -1;
	vs_set(&p->pci, pci, SRC_SYSFS);
	return p;
}

struct vf *pf_add_vf(struct pf *pf, int index)
{
	VFS_PUSH(pf->vfs, pf->nvfs, pf->cap_vfs);
	struct vf *v = &pf->vfs[pf->nvfs++];
	memset(v, 0, sizeof(*v));
	v->index = index;
	v->guest_idx = v->guest_team_idx = v->guest_member_idx = -1;
	return v;
}

struct team *machine_add_team(struct machine *m, const char *name)
{
	VFS_PUSH(m->teams, m->nteams, m->cap_teams);
	struct team *t = &m->teams[m->nteams++];
	memset(t, 0, sizeof(*t));
	vs_set(&t->name, name, SRC_SYSFS);
	return t;
}

struct member *team_add_member(struct team *t, const char *name)
{
	VFS_PUSH(t->members, t->nmembers, t->cap_members);
	struct member *mb = &t->members[t->nmembers++];
	memset(mb, 0, sizeof(*mb));
	mb->netdev_idx = mb->host_pf_idx = mb->host_vf_idx = -1;
	vs_set(&mb->name, name, SRC_SYSFS);
	return mb;
}

void machine_add_source(struct machine *m, const char *name, int status, const char *fmt, ...)
{
	struct source *s = NULL;
	for (size_t i = 0; i < m->nsources; i++)
		if (!strcmp(m->sources[i].name, name))
			s = &m->sources[i];
	if (!s) {
		VFS_PUSH(m->sources, m->nsources, m->cap_sources);
		s = &m->sources[m->nsources++];
		memset(s, 0, sizeof(*s));
		vfs_strlcpy(s->name, name, sizeof(s->name));
	} else if (s->status >= status) {
		return; /* keep the worst status seen */
	}
	s->status = status;
	s->detail[0] = 0;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
		va_end(ap);
	}
}

#define MAX_WARNINGS 512
void machine_warn(struct machine *m, const char *fmt, ...)
{
	if (m->nwarnings >= MAX_WARNINGS)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	VFS_PUSH(m->warnings, m->nwarnings, m->cap_warnings);
	m->warnings[m->nwarnings++] = vfs_sanitize_dup(buf);
}

#define MAX_EVENTS 65536
void machine_add_event(struct machine *m, const struct vfs_event *ev)
{
	if (m->nevents >= MAX_EVENTS) { /* keep the newest: drop the oldest half */
		memmove(m->events, m->events + MAX_EVENTS / 2, (MAX_EVENTS / 2) * sizeof(*ev));
		m->nevents = MAX_EVENTS / 2;
	}
	VFS_PUSH(m->events, m->nevents, m->cap_events);
	m->events[m->nevents++] = *ev;
}

#define MAX_KMSG 4096
void machine_add_kmsg(struct machine *m, uint64_t ts_us, int prio, const char *text)
{
	/* Keep the newest lines: a long-running host's latest link-down or
	 * refusal matters more than its boot messages. Dropping the oldest
	 * quarter at once keeps this O(1) amortised under a flood. */
	if (m->nkmsg >= MAX_KMSG) {
		size_t drop = MAX_KMSG / 4;
		for (size_t i = 0; i < drop; i++)
			free(m->kmsg[i].text);
		memmove(m->kmsg, m->kmsg + drop, (m->nkmsg - drop) * sizeof(*m->kmsg));
		m->nkmsg -= drop;
		m->kmsg_dropped += drop;
	}
	VFS_PUSH(m->kmsg, m->nkmsg, m->cap_kmsg);
	struct kmsg_line *k = &m->kmsg[m->nkmsg++];
	k->ts_us = ts_us;
	k->prio = prio;
	k->text = vfs_sanitize_dup(text);
}

void machine_add_guest(struct machine *m, struct machine *g)
{
	VFS_PUSH(m->guests, m->nguests, m->cap_guests);
	m->guests[m->nguests++] = g;
}

int machine_find_netdev(const struct machine *m, const char *name)
{
	for (size_t i = 0; name && i < m->nnetdevs; i++)
		if (m->netdevs[i].name.v && !strcmp(m->netdevs[i].name.v, name))
			return (int)i;
	return -1;
}

int machine_find_netdev_ifindex(const struct machine *m, int64_t ifindex)
{
	for (size_t i = 0; i < m->nnetdevs; i++)
		if (VI_KNOWN(m->netdevs[i].ifindex) && m->netdevs[i].ifindex.v == ifindex)
			return (int)i;
	return -1;
}

static const char *const team_driver_names[] = {
	[TEAM_BONDING] = "bonding", [TEAM_TEAMD] = "team", [TEAM_NET_FAILOVER] = "net_failover",
	[TEAM_NETVSC] = "netvsc", [TEAM_LBFO] = "lbfo",
};

const char *team_driver_name(int d)
{
	return d > 0 && d < (int)ARRAY_SIZE(team_driver_names) ? team_driver_names[d] : "unknown";
}

int team_driver_parse(const char *s)
{
	for (int i = 1; s && i < (int)ARRAY_SIZE(team_driver_names); i++)
		if (!strcmp(s, team_driver_names[i]))
			return i;
	return 0;
}

bool team_is_pair(const struct team *t)
{
	return t && (t->driver == TEAM_NET_FAILOVER || t->driver == TEAM_NETVSC);
}

int machine_find_team(const struct machine *m, const char *name)
{
	for (size_t i = 0; m && name && i < m->nteams; i++)
		if (m->teams[i].name.v && !strcmp(m->teams[i].name.v, name))
			return (int)i;
	return -1;
}

int machine_find_pf(const struct machine *m, const char *pci)
{
	for (size_t i = 0; pci && i < m->npfs; i++)
		if (m->pfs[i].pci.v && !strcmp(m->pfs[i].pci.v, pci))
			return (int)i;
	return -1;
}

int machine_find_vf_pci(const struct machine *m, const char *pci, int *pf, int *vf)
{
	for (size_t i = 0; pci && i < m->npfs; i++)
		for (size_t j = 0; j < m->pfs[i].nvfs; j++)
			if (m->pfs[i].vfs[j].pci.v && !strcmp(m->pfs[i].vfs[j].pci.v, pci)) {
				*pf = (int)i;
				*vf = (int)j;
				return 0;
			}
	return -ENOENT;
}

int machine_find_vf_mac(const struct machine *m, const char *mac, int *pf, int *vf)
{
	for (size_t i = 0; mac && i < m->npfs; i++)
		for (size_t j = 0; j < m->pfs[i].nvfs; j++)
			if (vfs_mac_eq(m->pfs[i].vfs[j].mac.v, mac)) {
				*pf = (int)i;
				*vf = (int)j;
				return 0;
			}
	return -ENOENT;
}

const struct source *machine_source(const struct machine *m, const char *name)
{
	for (size_t i = 0; i < m->nsources; i++)
		if (!strcmp(m->sources[i].name, name))
			return &m->sources[i];
	return NULL;
}

/* machine_link's lookups through name and PCI indexes (lib/strindex.h):
 * the same answers as machine_find_netdev (the first netdev of that name)
 * and a scan for the last netdev on that PCI function, in O(1) each. */
struct link_ix { struct strindex name, pci; };

static int ix_name(const struct machine *m, const struct link_ix *x, const char *name)
{
	return strindex_ok(&x->name) ? strindex_get(&x->name, name) : machine_find_netdev(m, name);
}

static int ix_pci(const struct machine *m, const struct link_ix *x, const char *pci)
{
	if (!pci)
		return -1;
	if (strindex_ok(&x->pci))
		return strindex_get(&x->pci, pci);
	int r = -1;
	for (size_t i = 0; i < m->nnetdevs; i++)
		if (m->netdevs[i].pci.v && !strcmp(m->netdevs[i].pci.v, pci))
			r = (int)i;
	return r;
}

void machine_link(struct machine *m)
{
	struct link_ix ix;
	strindex_init(&ix.name, m->nnetdevs);
	strindex_init(&ix.pci, m->nnetdevs);
	for (size_t i = 0; i < m->nnetdevs; i++) {
		struct netdev *n = &m->netdevs[i];
		n->pf_idx = n->vf_pf_idx = n->vf_idx = -1;
		if (VI_KNOWN(n->admin_up) && !n->admin_up.v)
			vi_set(&n->carrier, 0, SRC_NONE); /* not up: carrier unknown */
		strindex_put(&ix.name, n->name.v, (int)i, false);
		strindex_put(&ix.pci, n->pci.v, (int)i, true);
	}
	for (size_t p = 0; p < m->npfs; p++) {
		struct pf *pf = &m->pfs[p];
		pf->netdev_idx = ix_name(m, &ix, pf->netdev.v);
		if (pf->netdev_idx < 0) /* a netdev whose device is this PF */
			pf->netdev_idx = ix_pci(m, &ix, pf->pci.v);
		if (pf->netdev_idx >= 0) {
			m->netdevs[pf->netdev_idx].pf_idx = (int)p;
			if (!VS_KNOWN(pf->netdev))
				vs_set(&pf->netdev, m->netdevs[pf->netdev_idx].name.v, SRC_DERIVED);
		}
		for (size_t v = 0; v < pf->nvfs; v++) {
			int n = ix_name(m, &ix, pf->vfs[v].netdev.v);
			if (n < 0)
				n = ix_pci(m, &ix, pf->vfs[v].pci.v);
			if (n >= 0) {
				m->netdevs[n].vf_pf_idx = (int)p;
				m->netdevs[n].vf_idx = (int)v;
				if (!VS_KNOWN(pf->vfs[v].netdev))
					vs_set(&pf->vfs[v].netdev, m->netdevs[n].name.v, SRC_DERIVED);
			}
		}
	}
	for (size_t t = 0; t < m->nteams; t++) {
		struct team *tm = &m->teams[t];
		for (size_t j = 0; j < tm->nmembers; j++) {
			struct member *mb = &tm->members[j];
			mb->netdev_idx = ix_name(m, &ix, mb->name.v);
			if (mb->netdev_idx < 0)
				continue;
			const struct netdev *n = &m->netdevs[mb->netdev_idx];
			if (VI_KNOWN(n->admin_up) && !n->admin_up.v)
				vi_set(&mb->carrier, 0, SRC_NONE); /* copied from a netdev that is not up */
#define COPY_VS(dst, s) if (!VS_KNOWN(mb->dst) && VS_KNOWN(n->s)) vs_set(&mb->dst, n->s.v, n->s.src)
#define COPY_VI(dst, s) if (!VI_KNOWN(mb->dst) && VI_KNOWN(n->s)) vi_set(&mb->dst, n->s.v, n->s.src)
			COPY_VS(cur_mac, mac);
			COPY_VS(driver, driver);
			COPY_VS(pci, pci);
			COPY_VI(carrier, carrier);
			COPY_VI(speed, speed);
			/* Without bonding's perm_hwaddr, the netdev's own permanent
			 * address (IFLA_PERM_ADDRESS) is the same fact. */
			COPY_VS(perm_mac, perm_mac);
#undef COPY_VS
#undef COPY_VI
		}
	}
	strindex_free(&ix.name);
	strindex_free(&ix.pci);
}
