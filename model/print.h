/* The model as a readable tree (PF -> VFs -> where used; teams -> members
 * -> backing VF/PF). Every string is sanitised at the source already. */
#ifndef VFS_MODEL_PRINT_H
#define VFS_MODEL_PRINT_H
#include <stdio.h>
#include "model/model.h"

void machine_print(FILE *f, const struct machine *m);
/* "up", "down", "?" for a carrier value. */
const char *carrier_str(const struct vi *c);
const char *admin_str(const struct vi *admin_up); /* "up", "down", "?" */
#endif
