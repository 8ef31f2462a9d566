/* The Hyper-V view (model/hyperv.h) as JSON, both ways: the "hyperv"
 * member of a machine in snapshot JSON and bundles (docs/snapshot-json.md).
 * Each value is written with its source as the rest of the document is
 * (a "src" object beside the values), unknown as null. */
#ifndef VFS_MODEL_JSON_HYPERV_H
#define VFS_MODEL_JSON_HYPERV_H
#include <jansson.h>
#include "model/hyperv.h"

json_t *hv_to_json(const struct hv_view *v);
/* NULL with a reason in err on a member of the wrong type or over a bound;
 * src_override as machine_from_json's. */
struct hv_view *hv_from_json(const json_t *j, int src_override, char *err, size_t errlen);
#endif
