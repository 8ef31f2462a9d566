/* Hyper-V hosts and Windows guests from their PowerShell exports (issue 16):
 * `--hyperv DIR|ZIP` (contrib/hyperv/collect.ps1's folder, or cmdlet output
 * saved by hand) and `--hyperv-guest [VM=]DIR|ZIP`. Files are recognised by
 * the objects they hold, not by their names; encodings and shapes are
 * ps_json.h's. Layout, recognition and limits: docs/hyperv-reader.md.
 * Every value is SRC_POWERSHELL. */
#ifndef VFS_COLLECT_HYPERV_H
#define VFS_COLLECT_HYPERV_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "model/hyperv.h"
#include "model/model.h"

/* The kind (enum hv_kind) of one exported object, from CimSystemProperties'
 * ClassName or from the properties it has; -1 when not one vfscope reads. */
int hyperv_kind_of(const json_t *obj);

/* Read one file's bytes into view v (m gets the warnings: errors.json
 * entries, left-out objects). Records the file in v->files. 0 when read
 * (possibly with values left unknown: the file's status says so), 1 when
 * it is not an export file (skipped, not an error), or a negative errno
 * with the reason in err: bad encoding, not JSON, too deep, too many objects. */
int hyperv_read_file(struct machine *m, struct hv_view *v, const char *name, const uint8_t *buf, size_t len,
		     char *err, size_t errlen);

/* The model from an export: the host machine (role "host", its Hyper-V
 * view) with a guest machine per guest folder inside path, linked
 * (hv_link). NULL with one reason in err when path is unusable or any
 * export file in it is hostile. */
struct machine *hyperv_load(const char *path, char *err, size_t errlen);

/* Add one guest export ("[VM=]PATH"; without VM= the VM name is PATH's
 * last component without .zip) to host, and link again. 0, or a negative
 * errno with the reason in err. */
int hyperv_add_guest(struct machine *host, const char *spec, char *err, size_t errlen);
/* hyperv_load, then hyperv_add_guest for each of guests[0..n). */
struct machine *hyperv_load_all(const char *path, const char *const *guests, int n, char *err, size_t errlen);
#endif
