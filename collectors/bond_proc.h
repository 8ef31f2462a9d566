/* /proc/net/bonding/<bond> text: the one place older kernels show a bond's
 * members' permanent addresses and failure counts. Pure parser + reader. */
#ifndef VFS_BOND_PROC_H
#define VFS_BOND_PROC_H
#include <stddef.h>
#include "model/model.h"

/* Merge the text of /proc/net/bonding/<name> into team t (values that sysfs
 * or netlink already know are kept). Returns lines understood or -EBADMSG. */
int bond_proc_parse(const char *text, size_t len, struct team *t);
/* The team named name (a bond: found, or added with source procfs) gets the
 * file's text merged in. */
void bond_proc_add(struct machine *m, const char *name, const char *text, size_t len);
int bond_proc_collect(struct machine *m);
#endif
