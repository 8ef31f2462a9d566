/* Internal to rules/: the rule registry, building findings, walking teams
 * with their backing VF/PF, classifying members, and fix commands made
 * only of known values. Not for other layers. */
#ifndef VFS_RULES_INT_H
#define VFS_RULES_INT_H
#include "rules/rules.h"
#include "rules/kmsg_match.h"
#include <stdbool.h>
#include <string.h>

/* --- the registry (rules/registry.c) ------------------------------------
 * A rule is its table entry (ID, highest severity it gives, title), the
 * function that runs it and that function's parameters. A family is one
 * file's rules (rules/link.c, rules/mac.c, ...); registry.c lists the
 * families, and a new platform adds a file and one line there. */
struct rule;
typedef void (*rule_fn)(const struct rule *r, struct machine *host, struct findings *out);
struct rule {
	struct rule_info info;
	rule_fn run;
	const void *arg; /* rule-specific parameters (thresholds, kernel-log classes) */
};
struct rule_family {
	const char *name; /* the file: "link", "mac", ... */
	const struct rule *rules;
	size_t n;
};
#define RULE_FAMILY(sym, nm, tbl) const struct rule_family sym = { nm, tbl, sizeof(tbl) / sizeof(tbl[0]) }
extern const struct rule_family rules_link, rules_mac, rules_membership, rules_team_mode, rules_member_config,
	rules_events, rules_inventory;
/* Run every registered rule (in ID order) that is not disabled. */
void rules_registry_run(struct machine *host, struct findings *out);

/* --- findings (rules/rules.c) -------------------------------------------- */
struct finding *finding_add(struct findings *out, const char *id, int sev, const char *title);
/* A finding of rule r with r's title. */
struct finding *rule_add(struct findings *out, const struct rule *r, int sev);
void finding_title(struct finding *f, const char *title); /* a finding-specific title */
void finding_subject(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_fix(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finding_ev(struct finding *f, int src, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void finding_ev_vi(struct finding *f, const char *what, const struct vi *v);
void finding_ev_vs(struct finding *f, const char *what, const struct vs *v);
/* Attach matching kernel log lines of machine m: lines of any class in
 * cls that name pf_pci (when the line names a PCI address) and vf (when it
 * names a VF number), or that mention ifname. Returns lines attached. */
int finding_kmsg(struct finding *f, const struct machine *m, unsigned cls, const char *pf_pci, int vf,
		 const char *ifname);
void finding_kmsg_line(struct finding *f, const struct kmsg_line *k);
void finding_free(struct finding *f);

/* --- values ------------------------------------------------------------- */
/* Known and not empty: sysfs gives "" for an attribute a driver leaves
 * blank (phys_port_id, phys_switch_id); "" says nothing, so it is unknown
 * here whatever the collector stored. */
static inline bool vs_known_nonempty(const struct vs *v)
{
	return VS_KNOWN(*v) && v->v[0];
}
/* Both known, not empty, and equal: unknown never equals unknown. */
static inline bool vs_same(const struct vs *a, const struct vs *b)
{
	return vs_known_nonempty(a) && vs_known_nonempty(b) && !strcmp(a->v, b->v);
}
/* The value, or NULL when unknown or empty (for fix commands). */
static inline const char *vs_val(const struct vs *v)
{
	return vs_known_nonempty(v) ? v->v : NULL;
}
/* For text: the value, or "?" when unknown or empty. */
#define S(x) (vs_known_nonempty(&(x)) ? (x).v : "?")
bool vs_is(const struct vs *v, const char *s);
bool mac_nonzero(const struct vs *v); /* a parseable, non-zero MAC */

/* --- walking teams (rules/paths.c) -------------------------------------- */
/* One team member and what backs it on the host. */
struct mref {
	struct machine *m;     /* machine holding the team (host or a guest) */
	int gi;                /* guest index, -1 host */
	struct team *t;
	struct member *mb;
	struct netdev *nd;     /* member's netdev on m, or NULL */
	struct pf *pf;         /* host PF, or NULL */
	struct vf *vf;         /* host VF, or NULL */
	struct netdev *pfnd;   /* PF netdev on host, or NULL */
	int vfidx;             /* VF number (vf->index), -1 */
};
void mref_get(struct machine *host, struct machine *m, int gi, struct team *t, size_t j, struct mref *r);
/* Walk every team on the host and in each guest. */
#define FOR_TEAMS(host, m, gi, t)                                                          \
	for (int gi = -1; gi < (int)(host)->nguests; gi++)                                  \
		for (struct machine *m = gi < 0 ? (host) : (host)->guests[gi]; m; m = NULL) \
			for (size_t _t = 0; _t < m->nteams; _t++)                           \
				for (struct team *t = &m->teams[_t]; t; t = NULL)
const char *machine_name(const struct machine *host, int gi); /* "host" or the guest label */
const char *pf_name(const struct pf *pf); /* for text: netdev, else PCI, else "?" (never in a command) */
bool member_is_vf(const struct mref *r);
bool driver_is_vf(const char *drv);
bool driver_is_emulated(const char *drv);
int team_vf_members(struct machine *host, struct machine *m, int gi, struct team *t);
/* evidence "path = host bond0/eth2 -> VF 0 (..) -> PF eth0 (..) link down" */
void ev_path(struct finding *f, struct machine *host, const struct mref *r);
void subject_member(struct finding *f, struct machine *host, const struct mref *r);
void subject_team(struct finding *f, struct machine *host, int gi, const struct team *t);
/* The host VF a netdev of machine m is (host-local VF netdev, or a guest
 * netdev whose MAC or PCI address is a host VF's). True also when it is a
 * VF whose host side is not known (virtfn, VF driver): then *pf and *vf are NULL. */
bool netdev_is_vf(struct machine *host, struct machine *m, const struct netdev *n, struct pf **pf, struct vf **vf);
/* Gratuitous ARPs / unsolicited NAs the team sent, as evidence (rules/failover_frames.c). */
void ev_failover_frames(struct finding *f, struct machine *host, struct machine *m, int gi, struct team *t);

/* --- what a kernel line names (rules/paths.c) --------------------------- */
struct kref {
	struct pf *pf;    /* host PF named (directly, or as the PF of a VF named), or NULL */
	struct vf *vf;    /* host VF, when the line's VF number or PCI address is one */
	int vfidx;        /* VF number: the line's own, else the VF's index, -1 unknown */
	const char *how;  /* how it was resolved, for the evidence */
};
/* Resolve a kernel log line of machine m (host or guest gi) on host. */
void kref_resolve(struct machine *host, struct machine *m, const struct kmsg_info *ki, struct kref *k);

/* --- fix commands (rules/fixcmd.c) --------------------------------------
 * Each writes a command built from known values into buf, or, when a value
 * is missing, a sentence saying what is missing (never a PCI address where
 * `ip link set DEV` takes a netdev, never a made-up VF number, never "?"). */
const char *fix_vf(char *buf, size_t n, const struct pf *pf, int vf, const char *args);
const char *fix_bond(char *buf, size_t n, const struct team *t, const char *args);
const char *fix_dev(char *buf, size_t n, const struct vs *dev, const char *args);
/* The address for team t's arp_ip_target: the gateway of its default route
 * in machine m when that was read, else "ADDR"; note then says what ADDR
 * must be and why it is not filled in ("ADDR: ...", "" when known). */
const char *fix_arp_target(const struct machine *m, const struct team *t, char *note, size_t n);

/* --- shared by the MAC and membership rules (rules/mac.c) --------------- */
bool team_needs_mac_change(const struct team *t);
/* The PF pins this VF's MAC: an admin MAC is set and trust is not on. */
bool vf_mac_pinned(const struct vf *v);
void ev_mac_policy(struct finding *f, const struct pf *pf, const struct vf *v);
#endif
