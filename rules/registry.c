/* The rule registry: every family of rules (one file each), the table
 * `vfscope check --list`, docs/rules.md and the metrics list in ID order,
 * and running them. A new platform adds its file and one line below. */
#include "rules/rules_int.h"
#include "rules/hyperv.h"
#include "rules/netns.h"
#include "rules/pairs.h"
#include "lib/util.h"
#include <stdlib.h>
#include <string.h>

static const struct rule_family *const families[] = {
	&rules_link,          /* VFS001, VFS002 */
	&rules_mac,           /* VFS004, VFS016, VFS017, VFS018 */
	&rules_membership,    /* VFS003, VFS005, VFS008, VFS019 */
	&rules_team_mode,     /* VFS006, VFS007, VFS010 */
	&rules_member_config, /* VFS009 */
	&rules_events,        /* VFS011, VFS012, VFS013 */
	&rules_inventory,     /* VFS014, VFS015 */
	&rules_netns,         /* VFS020, VFS021 (network namespaces, pods) */
	&rules_hyperv,        /* VFS032-VFS040 (Hyper-V hosts and Windows guests) */
	&rules_pairs,         /* VFS025-VFS030 (net_failover, netvsc pairs) */
};

#define MAX_RULES 128
static const struct rule *by_id[MAX_RULES];
static struct rule_info info[MAX_RULES];
static size_t nrules;

static int cmp_rule(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a, *y = *(const struct rule *const *)b;
	return strcmp(x->info.id, y->info.id);
}

/* Built once before main (registry.c is linked whenever a rule is run or
 * listed), so no caller ever sees it half-built. */
__attribute__((constructor)) static void registry_init(void)
{
	nrules = 0;
	for (size_t f = 0; f < ARRAY_SIZE(families); f++)
		for (size_t i = 0; i < families[f]->n && nrules < MAX_RULES; i++)
			by_id[nrules++] = &families[f]->rules[i];
	qsort(by_id, nrules, sizeof(by_id[0]), cmp_rule);
	for (size_t i = 0; i < nrules; i++)
		info[i] = by_id[i]->info;
}

const struct rule_info *rules_list(size_t *n)
{
	*n = nrules;
	return info;
}

void rules_registry_run(struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < nrules; i++)
		if (!rule_disabled(by_id[i]->info.id))
			by_id[i]->run(by_id[i], host, out);
}
