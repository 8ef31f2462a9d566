/* Network namespaces and pods in the rules (rules/netns.c): the rule family
 * (VFS020, VFS021) and the pod's own fixes the team rules use for a team in
 * a pod (bond-cni and device plugin settings). Internal to rules/. */
#ifndef VFS_RULES_NETNS_H
#define VFS_RULES_NETNS_H
#include "rules/rules_int.h"

extern const struct rule_family rules_netns;
bool machine_is_netns(const struct machine *m); /* role "netns" */
bool machine_is_pod(const struct machine *m);   /* a netns with a known pod UID */
/* VFS004 in a pod: bond-cni's "failOverMac": 1, named for the pod and its bond. */
const char *pod_fix_fail_over_mac(char *buf, size_t n, const struct machine *m, const struct team *t);
/* VFS003 in a pod: one device plugin resource per PF (a, b: the members' VFs, or NULL). */
const char *pod_fix_same_pf(char *buf, size_t n, const struct machine *m, const struct vf *a, const struct vf *b);
#endif
