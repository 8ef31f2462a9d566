/* Hyper-V rules (VFS032-VFS040): rules/hyperv.c, registered in
 * rules/registry.c. Internal to rules/. */
#ifndef VFS_RULES_HYPERV_H
#define VFS_RULES_HYPERV_H
#include "rules/rules_int.h"
extern const struct rule_family rules_hyperv;
#endif
