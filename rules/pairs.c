/* Paravirtual failover pair rules (issue 15): net_failover (KVM virtio
 * STANDBY + primary) and netvsc (Hyper-V/Azure synthetic NIC + its VF),
 * as collectors/pairs.c models them (a team per pair, member roles, the
 * data path with its source, kernel-log switch counts).
 *   VFS025 netvsc pair without its VF while the host offered one / it had one
 *   VFS026 data path flapping (many switches in the held kernel log)
 *   VFS027 net_failover master without a primary
 *   VFS029 pair members with different MACs
 *   VFS030 a bond over pairs, one accelerated and one not, that is not
 *          active-backup with an accelerated pair as primary
 *   VFS028 a pair slave (VF/primary, standby) with an address or default route
 * Evidence and severity policy: docs/rules.md. */
#include "rules/pairs.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

static const struct member *by_role(const struct team *t, const char *role)
{
	for (size_t j = 0; j < t->nmembers; j++)
		if (vs_is(&t->members[j].role, role))
			return &t->members[j];
	return NULL;
}

static const struct netdev *nd_of(const struct machine *m, const struct member *mb)
{
	if (!mb || mb->netdev_idx < 0 || (size_t)mb->netdev_idx >= m->nnetdevs)
		return NULL;
	return &m->netdevs[mb->netdev_idx];
}

static const struct netdev *nd_named(const struct machine *m, const struct vs *name)
{
	for (size_t i = 0; vs_known_nonempty(name) && i < m->nnetdevs; i++)
		if (vs_same(&m->netdevs[i].name, name))
			return &m->netdevs[i];
	return NULL;
}

/* 1 the pair's data path is its accelerated member (primary / VF), 0 the
 * paravirtual one (standby / synthetic), -1 unknown. */
static int accelerated(const struct team *t)
{
	if (vs_is(&t->datapath, "primary") || vs_is(&t->datapath, "vf"))
		return 1;
	if (vs_is(&t->datapath, "standby") || vs_is(&t->datapath, "synthetic"))
		return 0;
	return -1;
}

static void ev_datapath(struct finding *f, const struct team *t, const char *who)
{
	char w[96];
	snprintf(w, sizeof(w), "%s%sdata path", who ? who : "", who ? " " : "");
	finding_ev_vs(f, w, &t->datapath);
	if (vs_known_nonempty(&t->datapath_why)) {
		snprintf(w, sizeof(w), "%s%sdata path because", who ? who : "", who ? " " : "");
		finding_ev_vs(f, w, &t->datapath_why);
	}
}

/* Kernel lines of machine m naming pair device dev ("<drv> <id> DEV: ...")
 * whose message contains what. */
static int kmsg_of(struct finding *f, const struct machine *m, const char *dev, const char *what, int max)
{
	int n = 0;
	char pat[48];
	if (!dev)
		return 0;
	snprintf(pat, sizeof(pat), " %s: ", dev);
	for (size_t i = m->nkmsg; i-- > 0 && n < max;) {
		const char *x = m->kmsg[i].text;
		if (x && strstr(x, pat) && strstr(x, what)) {
			finding_kmsg_line(f, &m->kmsg[i]);
			n++;
		}
	}
	return n;
}

/* VFS025: a netvsc pair with no VF. Error when the host's last word in the
 * log is "VF slot N added" (offered, yet none joined); warning when it is
 * "VF slot N removed" (the host took it away: synthetic until it returns);
 * info when the log says nothing but another netvsc pair of this machine
 * has its VF (seen, not a cause). Nothing without any of these. */
static void rule_vf_missing(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->driver != TEAM_NETVSC || by_role(t, "vf"))
			continue;
		const struct team *sib = NULL;
		for (size_t i = 0; i < m->nteams && !sib; i++)
			if (m->teams[i].driver == TEAM_NETVSC && by_role(&m->teams[i], "vf"))
				sib = &m->teams[i];
		bool offered = VI_KNOWN(t->vf_offered) && t->vf_offered.v == 1;
		bool removed = VI_KNOWN(t->vf_offered) && t->vf_offered.v == 0;
		if (!offered && !removed && !sib)
			continue;
		int sev = offered ? SEV_ERROR : removed ? SEV_WARNING : SEV_INFO;
		struct finding *f = rule_add(out, rl, sev);
		if (offered)
			finding_title(f, "the host offered a VF to this synthetic NIC but none joined: traffic is synthetic");
		else if (removed)
			finding_title(f, "the host removed this synthetic NIC's VF: traffic is synthetic until it returns");
		else
			finding_title(f, "synthetic NIC without a VF while another synthetic NIC of this machine has one");
		subject_team(f, host, gi, t);
		finding_ev(f, SRC_DERIVED, "VF member", "none");
		ev_datapath(f, t, NULL);
		finding_ev_vi(f, "VF offered by the host (last VF slot line)", &t->vf_offered);
		finding_ev_vi(f, "VF slot", &t->vf_slot);
		if (sib)
			finding_ev(f, SRC_DERIVED, "accelerated sibling", "%s has VF %s", S(sib->name),
				   S(by_role(sib, "vf")->name));
		const char *dev = vs_val(&t->name);
		kmsg_of(f, m, dev, "VF slot", 4);
		kmsg_of(f, m, dev, "VF unregistering", 2);
		kmsg_of(f, m, dev, "Data path switched from VF", 2);
		if (offered)
			finding_fix(f, "the VF's PCI device never reached %s: look for hv_pci / VF driver errors in the log "
				       "(a missing or failing VF driver: mlx5_core, mana, mlx4_core); the guest cannot "
				       "re-offer it, the host can (stop and start the VM)", dev ? dev : "the pair");
		else if (removed)
			finding_fix(f, "nothing to change in the guest: the host removed the VF (servicing, or accelerated "
				       "networking turned off on the NIC); check the NIC's accelerated networking setting "
				       "on the host side and, if it is on and the VF does not return, stop and start the VM");
		else
			finding_fix(f, "check on the host side whether accelerated networking is enabled for %s's NIC; "
				       "the guest's kernel log (VF slot lines) was not seen", dev ? dev : "this");
	}
}

/* VFS026: at least arg switches (to and from) in the held log within an
 * hour, for one pair. The log records say each switch: warning. */
struct flap_arg {
	long min_switches;
	long window_ms;
};
static void rule_flapping(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct flap_arg *a = rl->arg;
	FOR_TEAMS(host, m, gi, t) {
		if (!team_is_pair(t) || !VI_KNOWN(t->datapath_switches) || t->datapath_switches.v < a->min_switches)
			continue;
		if (!VI_KNOWN(t->datapath_switch_span_ms) || t->datapath_switch_span_ms.v > a->window_ms)
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev_vi(f, "data path switches in the kernel log", &t->datapath_switches);
		finding_ev_vi(f, "first to last switch (ms)", &t->datapath_switch_span_ms);
		ev_datapath(f, t, "now:");
		const char *dev = vs_val(&t->name);
		kmsg_of(f, m, dev, t->driver == TEAM_NETVSC ? "Data path switched" : "primary slave:", 6);
		if (t->driver == TEAM_NETVSC)
			finding_fix(f, "the VF of %s keeps coming and going: look at the VF driver's lines between the "
				       "switches (resets, link flaps) and at host servicing events; a guest tool that "
				       "takes the VF down or up (a network manager managing the VF) does this too: "
				       "leave the VF unmanaged", dev ? dev : "the pair");
		else
			finding_fix(f, "the primary of %s is plugged and unplugged again and again (migrations, or the "
				       "host re-adding the VF): check the host's migration and hotplug events",
				    dev ? dev : "the pair");
	}
}

/* VFS027: a net_failover master without a primary: the state read says
 * only the standby (virtio) can carry traffic. */
static void rule_no_primary(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->driver != TEAM_NET_FAILOVER || by_role(t, "primary"))
			continue;
		struct finding *f = rule_add(out, rl, SEV_ERROR);
		subject_team(f, host, gi, t);
		const struct member *sb = by_role(t, "standby");
		finding_ev(f, SRC_DERIVED, "primary member", "none");
		if (sb)
			finding_ev_vs(f, "standby member", &sb->name);
		ev_datapath(f, t, NULL);
		const char *dev = vs_val(&t->name);
		if (!kmsg_of(f, m, dev, "primary slave:", 4))
			finding_ev(f, SRC_DERIVED, "kernel log", "no failover primary slave line for %s",
				   dev ? dev : "this master");
		finding_fix(f, "plug the VF back into the VM on the host (QEMU: device_add of the VF with "
			       "failover_pair_id set to the id of the virtio-net device that has failover=on; libvirt: the "
			       "hostdev with a <teaming type='transient'/> whose persistent= names the virtio interface's "
			       "alias; neither id is visible inside the guest); after a migration the destination must add "
			       "it. Until then %s runs on the virtio standby", dev ? dev : "the pair");
	}
}

/* VFS028: a pair's slave (VF/primary or standby, not the pair's own
 * netdev) with its own address or a default route through it (both read:
 * collectors/ipaddr.c). Traffic to that address or over that route skips
 * the pair and breaks when the VF goes (or never uses it). */
static void rule_slave_address(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_is_pair(t))
			continue;
		const struct netdev *pn = nd_named(m, &t->name);
		for (size_t j = 0; j < t->nmembers; j++) {
			const struct member *mb = &t->members[j];
			const struct netdev *n = nd_of(m, mb);
			if (!n || n == pn)
				continue;
			bool addr = VI_KNOWN(n->naddrs) && n->naddrs.v > 0;
			bool route = VI_KNOWN(n->default_route) && n->default_route.v == 1;
			if (!addr && !route)
				continue;
			struct finding *f = rule_add(out, rl, SEV_ERROR);
			finding_subject(f, "%s %s/%s", machine_name(host, gi), S(t->name), S(mb->name));
			finding_ev_vs(f, "member role", &mb->role);
			finding_ev_vi(f, "addresses (IPv4, global IPv6)", &n->naddrs);
			finding_ev_vs(f, "first address", &n->addr_first);
			finding_ev_vi(f, "default route through it", &n->default_route);
			if (pn) {
				char w[80];
				snprintf(w, sizeof(w), "%s (the pair) addresses", S(t->name));
				finding_ev_vi(f, w, &pn->naddrs);
			}
			const char *nm = vs_val(&mb->name);
			if (!nm) {
				finding_fix(f, "remove the member's addresses and default route (its name is not known) and "
					       "configure only %s", S(t->name));
				continue;
			}
			char a[96] = "", b[96] = "";
			if (route)
				snprintf(b, sizeof(b), "ip route del default dev %s; ", nm);
			if (addr)
				snprintf(a, sizeof(a), "ip addr flush dev %s scope global", nm);
			finding_fix(f, "%s%s  # and configure only %s; tell the network manager to leave %s alone "
				       "(NetworkManager: unmanaged; networkd/netplan: match it, no DHCP; ifupdown: no stanza)",
				    b, a, S(t->name), nm);
		}
	}
}

/* VFS029: members of a pair whose MACs differ from the pair's (both read):
 * the kernel pairs them by MAC (net_failover) and the host filters on it. */
static void rule_mac_mismatch(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_is_pair(t))
			continue;
		const struct netdev *pn = nd_named(m, &t->name);
		if (!pn || !mac_nonzero(&pn->mac))
			continue;
		for (size_t j = 0; j < t->nmembers; j++) {
			const struct member *mb = &t->members[j];
			const struct netdev *n = nd_of(m, mb);
			if (!n || n == pn || !mac_nonzero(&n->mac) || !strcasecmp(n->mac.v, pn->mac.v))
				continue;
			struct finding *f = rule_add(out, rl, SEV_ERROR);
			finding_subject(f, "%s %s/%s", machine_name(host, gi), S(t->name), S(mb->name));
			char w[96];
			snprintf(w, sizeof(w), "%s MAC (the pair's)", S(t->name));
			finding_ev_vs(f, w, &pn->mac);
			snprintf(w, sizeof(w), "%s MAC (%s)", S(mb->name), S(mb->role));
			finding_ev_vs(f, w, &n->mac);
			ev_datapath(f, t, NULL);
			char a[160], args[64];
			snprintf(args, sizeof(args), "address %s", pn->mac.v);
			finding_fix(f, "%s  # the pair's MAC; a VF whose MAC the host sets may refuse: then correct it on "
				       "the host", fix_dev(a, sizeof(a), &mb->name, args));
		}
	}
}

/* VFS030: a bond whose members are pairs, at least one accelerated and one
 * not (both data paths known), that is not active-backup with an
 * accelerated pair as primary. VFS007 judges members by their drivers (a
 * VF beside an emulated NIC); here both members have the same driver and
 * what differs is where each pair's traffic goes now. */
static void rule_unequal(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (team_is_pair(t) || t->nmembers < 2)
			continue;
		const struct team *acc = NULL, *syn = NULL;
		bool primary_acc = false;
		for (size_t j = 0; j < t->nmembers; j++) {
			int pi = machine_find_team(m, vs_val(&t->members[j].name));
			if (pi < 0 || !team_is_pair(&m->teams[pi]))
				continue;
			const struct team *p = &m->teams[pi];
			int a = accelerated(p);
			if (a == 1) {
				acc = acc ? acc : p;
				if (vs_same(&t->primary, &p->name))
					primary_acc = true;
			} else if (a == 0)
				syn = syn ? syn : p;
		}
		if (!acc || !syn)
			continue;
		bool ab = vs_is(&t->mode, "active-backup");
		if (ab && primary_acc)
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev_vs(f, "team mode", &t->mode);
		finding_ev_vs(f, "team primary", &t->primary);
		finding_ev_vs(f, "team active member", &t->active);
		char w[64];
		for (size_t j = 0; j < t->nmembers; j++) {
			int pi = machine_find_team(m, vs_val(&t->members[j].name));
			if (pi < 0 || !team_is_pair(&m->teams[pi]))
				continue;
			snprintf(w, sizeof(w), "%s", S(m->teams[pi].name));
			ev_datapath(f, &m->teams[pi], w);
		}
		char a[320], args[160];
		if (ab)
			snprintf(args, sizeof(args), "primary %s", acc->name.v);
		else
			snprintf(args, sizeof(args), "mode active-backup primary %s", acc->name.v);
		finding_fix(f, "%s  # the accelerated pair as primary, the synthetic one as standby%s", fix_bond(a, sizeof(a), t, args),
			    ab ? "" : " (mode changes need the bond down and empty)");
	}
}

static const struct flap_arg flap = { 10, 3600 * 1000L };

static const struct rule pair_rules[] = {
	{ { "VFS025-pair-vf-missing", SEV_ERROR, "synthetic NIC without its VF: data path synthetic" },
	  rule_vf_missing, NULL },
	{ { "VFS026-pair-datapath-flapping", SEV_WARNING, "pair's data path switches again and again" },
	  rule_flapping, &flap },
	{ { "VFS027-failover-no-primary", SEV_ERROR, "net_failover master without a primary: traffic on the standby" },
	  rule_no_primary, NULL },
	{ { "VFS028-pair-slave-address", SEV_ERROR, "pair slave holds its own address or a default route" },
	  rule_slave_address, NULL },
	{ { "VFS029-pair-mac-mismatch", SEV_ERROR, "pair member's MAC is not the pair's" }, rule_mac_mismatch, NULL },
	{ { "VFS030-pair-team-unequal", SEV_WARNING,
	    "team over pairs mixes accelerated and synthetic paths without the accelerated one as primary" },
	  rule_unequal, NULL },
};
RULE_FAMILY(rules_pairs, "pairs", pair_rules);
