/* Internal to rules/: building findings, walking teams with their backing
 * VF/PF, classifying members. Not for other layers. */
#ifndef VFS_RULES_INT_H
#define VFS_RULES_INT_H
#include "rules/rules.h"
#include "rules/kmsg_match.h"
#include <stdbool.h>

struct finding *finding_add(struct findings *out, const char *id, int sev, const char *title);
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
	int vfidx;             /* VF number (vf->index) */
};
void mref_get(struct machine *host, struct machine *m, int gi, struct team *t, size_t j, struct mref *r);
const char *machine_name(const struct machine *host, int gi); /* "host" or the guest label */
const char *pf_name(const struct pf *pf); /* netdev, else PCI */
bool member_is_vf(const struct mref *r);
bool driver_is_vf(const char *drv);
bool driver_is_emulated(const char *drv);
bool vs_is(const struct vs *v, const char *s);
#endif
