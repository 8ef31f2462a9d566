/* PowerShell's ConvertTo-Json output as vfscope receives it: the encoding
 * and shape layer under collectors/hyperv.c. Tolerant about encoding
 * (Windows PowerShell 5.1's `>`/Out-File writes UTF-16LE with a BOM,
 * PowerShell 7 UTF-8 with or without one) and about the shapes PowerShell
 * makes (a single object not wrapped in an array, 5.1's {"value":[...],
 * "Count":n} wrapper, enums as integers or names, numbers as strings,
 * "/Date(ms)/" strings); strict about size and depth. Untrusted input: every
 * read is bounded, nothing here trusts a length or a nesting level it read. */
#ifndef VFS_PS_JSON_H
#define VFS_PS_JSON_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/hyperv.h"

#define PS_JSON_MAX_BYTES (32u << 20) /* one file, after conversion to UTF-8 */
#define PS_JSON_MAX_DEPTH 64          /* ConvertTo-Json -Depth is at most 100; collect.ps1 uses 4 */

/* Decode buf (any of the encodings above) into NUL-terminated UTF-8 in
 * *out (malloc'd, *outlen bytes). *enc names what was found ("utf-16le-bom",
 * "utf-16be-bom", "utf-16le", "utf-8-bom", "utf-8"). 0, or -EFBIG (too
 * large), -EILSEQ (invalid UTF-16: a lone surrogate, an odd length, a NUL
 * character), -EBADMSG (NUL bytes in what is not UTF-16), with a reason in err. */
int ps_json_decode(const uint8_t *buf, size_t len, char **out, size_t *outlen, const char **enc,
		   char *err, size_t errlen);

/* Decode and parse: always returns an array of the file's top-level
 * objects (a lone object becomes an array of one, the value/Count wrapper
 * is unwrapped; non-object elements are kept, callers skip them). NULL with
 * a reason in err on bad encoding, bad JSON, too deep or too large. */
json_t *ps_json_load(const uint8_t *buf, size_t len, const char **enc, char *err, size_t errlen);

/* Property lookup: exact name first, then case-insensitive (PowerShell
 * property names are). NULL when absent. */
const json_t *ps_prop(const json_t *obj, const char *name);
/* Does obj have a (non-null or null) property of that name? */
bool ps_has(const json_t *obj, const char *name);

/* Readers: 1 known (*out set), 0 absent or null, -EBADMSG present but of a
 * type that cannot be this (a string cut by -Depth, an object, an out of
 * range number). Callers treat both 0 and <0 as unknown. */
int ps_get_str(const json_t *obj, const char *name, char *buf, size_t len); /* sanitised */
int ps_get_int(const json_t *obj, const char *name, int64_t *out);  /* integer, or decimal string */
int ps_get_bool(const json_t *obj, const char *name, int64_t *out); /* true/false, "True"/"False", 0/1 */
/* One enumeration value: an integer (5.1; kept even when newer than the
 * table), a name in table (7, case-insensitive) or a decimal string. */
int ps_enum_value(const json_t *v, const struct hv_enum *table, int64_t *out);
/* An enumeration property, as ps_enum_value. */
int ps_get_enum(const json_t *obj, const char *name, const struct hv_enum *table, int64_t *out);
/* "/Date(1700000000000)/" or "/Date(1700000000000+0100)/": ms since the epoch. */
int ps_get_date_ms(const json_t *obj, const char *name, int64_t *out);
/* A string array (or a single string) into l, sanitised; a null array is
 * known and empty. */
int ps_get_strlist(const json_t *obj, const char *name, struct hv_strlist *l, int src);
#endif
