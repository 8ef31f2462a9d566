/* Correlation and rules: from a host machine (with its guests attached) to
 * findings, each with evidence and a fix. See docs/rules.md. */
#ifndef VFS_RULES_H
#define VFS_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

enum severity { SEV_INFO = 1, SEV_WARNING = 2, SEV_ERROR = 3 };
const char *severity_name(int sev);
int severity_parse(const char *s); /* 0 if unknown */

struct evidence {
	char *what;   /* "PF 0000:01:00.0 (eth0) carrier" */
	char *value;  /* "0" */
	int src;      /* enum vfs_src */
};

struct finding {
	const char *id;     /* stable rule ID, e.g. "VFS001-pf-link-hidden" */
	int severity;
	char *title;        /* one line */
	char *subject;      /* what it is about: team/member/pf/vf name */
	char *fix;          /* concrete command(s) */
	struct evidence *ev; size_t nev, cap_ev;
	char **kmsg; size_t nkmsg, cap_kmsg; /* supporting kernel log lines */
};

struct findings {
	struct finding *v; size_t n, cap;
};

/* Fill the correlation fields (member->host_pf_idx/vf_idx, vf->guest_*) of
 * host and its guests. Idempotent. */
void correlate(struct machine *host);
/* Run every rule; appends to out (sorted by severity, highest first). */
int rules_run(struct machine *host, struct findings *out);
void findings_free(struct findings *f);

/* {"schema":1,"findings":[...],"summary":{"error":N,"warning":N,"info":N,
 * "total":N}}; used by check --json, bundles and metrics. */
struct json_t;
struct json_t *findings_to_json(const struct findings *f);
/* Count of findings at or above sev. */
size_t findings_count(const struct findings *f, int min_sev);
/* Rule table, for docs, --list and metrics, in ID order: ID, the highest
 * severity the rule gives (a finding may be lower, with its own title),
 * one-line title. rules/registry.c. */
struct rule_info { const char *id; int severity; const char *title; };
const struct rule_info *rules_list(size_t *n);
/* Is this rule switched off by VFSCOPE_DISABLE_RULES=ID,ID (full ID or the
 * "VFSnnn" prefix)? */
bool rule_disabled(const char *id);
#endif
