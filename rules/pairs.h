/* Paravirtual failover pair rules (VFS025-VFS030):
 * rules/pairs.c, registered in rules/registry.c. Internal to rules/. */
#ifndef VFS_RULES_PAIRS_H
#define VFS_RULES_PAIRS_H
#include "rules/rules_int.h"
extern const struct rule_family rules_pairs;
#endif
