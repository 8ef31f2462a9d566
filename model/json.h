/* The model as JSON (jansson), both ways. The document is described field
 * by field in docs/snapshot-json.md; "schema" is bumped on any breaking
 * change. Reading is strict and bounded: guests and bundles are untrusted. */
#ifndef VFS_MODEL_JSON_H
#define VFS_MODEL_JSON_H
#include <jansson.h>
#include "model/model.h"

#define VFS_JSON_SCHEMA 1
#define VFS_JSON_MAX_BYTES (8u << 20) /* largest document we accept */
#define VFS_JSON_MAX_DEPTH 32

json_t *machine_to_json(const struct machine *m);
json_t *event_to_json(const struct vfs_event *ev);
int event_from_json(const json_t *j, struct vfs_event *ev);
/* Parse a machine document; src_override (e.g. SRC_GUEST, SRC_BUNDLE) is
 * recorded for every value when non-zero, keeping the original source in
 * the text only. Returns NULL with a one-line reason in err. */
struct machine *machine_from_json(const json_t *j, int src_override, char *err, size_t errlen);
/* Parse text (bounded size, depth-checked) into a machine. */
struct machine *machine_from_text(const char *text, size_t len, int src_override, char *err, size_t errlen);
#endif
