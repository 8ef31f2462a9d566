/* PowerShell JSON exports: encoding and shape (see ps_json.h). */
#include "collectors/ps_json.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put_utf8(char *o, size_t *n, uint32_t c)
{
	if (c < 0x80) {
		o[(*n)++] = (char)c;
	} else if (c < 0x800) {
		o[(*n)++] = (char)(0xc0 | (c >> 6));
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		o[(*n)++] = (char)(0xe0 | (c >> 12));
		o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		o[(*n)++] = (char)(0xf0 | (c >> 18));
		o[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
		o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

/* UTF-16 (be: big-endian) to UTF-8; every unit checked. */
static int utf16_to_utf8(const uint8_t *p, size_t len, bool be, char **out, size_t *outlen, char *err, size_t errlen)
{
	if (len % 2) {
		snprintf(err, errlen, "invalid UTF-16: odd length (%zu bytes)", len);
		return -EILSEQ;
	}
	size_t units = len / 2;
	/* each unit makes at most 3 bytes (a pair makes 4 from 2 units) */
	if (units > PS_JSON_MAX_BYTES / 3 + 1) {
		snprintf(err, errlen, "too large: %zu bytes of UTF-16 (limit %u MiB of text)", len, PS_JSON_MAX_BYTES >> 20);
		return -EFBIG;
	}
	char *o = malloc(units * 3 + 1);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	size_t n = 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t u = be ? (uint32_t)(p[2 * i] << 8 | p[2 * i + 1]) : (uint32_t)(p[2 * i + 1] << 8 | p[2 * i]);
		if (u >= 0xd800 && u <= 0xdbff) {
			uint32_t l = 0;
			if (i + 1 < units)
				l = be ? (uint32_t)(p[2 * i + 2] << 8 | p[2 * i + 3])
				       : (uint32_t)(p[2 * i + 3] << 8 | p[2 * i + 2]);
			if (l < 0xdc00 || l > 0xdfff) {
				snprintf(err, errlen, "invalid UTF-16: unpaired high surrogate at byte %zu", 2 * i);
				free(o);
				return -EILSEQ;
			}
			u = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
			i++;
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			snprintf(err, errlen, "invalid UTF-16: unpaired low surrogate at byte %zu", 2 * i);
			free(o);
			return -EILSEQ;
		} else if (u == 0) {
			snprintf(err, errlen, "invalid UTF-16: NUL character at byte %zu", 2 * i);
			free(o);
			return -EILSEQ;
		}
		put_utf8(o, &n, u);
		if (n > PS_JSON_MAX_BYTES) {
			snprintf(err, errlen, "too large: more than %u MiB of text", PS_JSON_MAX_BYTES >> 20);
			free(o);
			return -EFBIG;
		}
	}
	o[n] = 0;
	*out = o;
	*outlen = n;
	return 0;
}

int ps_json_decode(const uint8_t *buf, size_t len, char **out, size_t *outlen, const char **enc,
		   char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	*enc = "utf-8";
	if (len >= 2 && buf[0] == 0xff && buf[1] == 0xfe) {
		*enc = "utf-16le-bom";
		return utf16_to_utf8(buf + 2, len - 2, false, out, outlen, err, errlen);
	}
	if (len >= 2 && buf[0] == 0xfe && buf[1] == 0xff) {
		*enc = "utf-16be-bom";
		return utf16_to_utf8(buf + 2, len - 2, true, out, outlen, err, errlen);
	}
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf) {
		*enc = "utf-8-bom";
		buf += 3;
		len -= 3;
	} else if (len >= 2 && buf[0] && !buf[1]) {
		/* UTF-16LE without a BOM (Out-File -Encoding Unicode never drops
		 * it, but a copy through another tool may): ASCII then NUL */
		*enc = "utf-16le";
		return utf16_to_utf8(buf, len, false, out, outlen, err, errlen);
	}
	if (len > PS_JSON_MAX_BYTES) {
		snprintf(err, errlen, "too large: %zu bytes (limit %u MiB)", len, PS_JSON_MAX_BYTES >> 20);
		return -EFBIG;
	}
	const void *nul = memchr(buf, 0, len);
	if (nul) {
		snprintf(err, errlen, "NUL byte at offset %zu in a file without a UTF-16 byte order mark",
			 (size_t)((const uint8_t *)nul - buf));
		return -EBADMSG;
	}
	char *o = malloc(len + 1);
	if (!o) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(o, buf, len);
	o[len] = 0;
	*out = o;
	*outlen = len;
	return 0;
}

static int num_of(const json_t *v, int64_t *out);

/* Deepest nesting of [ and { outside strings: checked before parsing so a
 * hostile file never reaches the parser's recursion. */
static int nesting(const char *s, size_t len, size_t *at)
{
	int d = 0, max = 0;
	bool str = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"') {
			str = true;
		} else if (c == '[' || c == '{') {
			if (++d > max) {
				max = d;
				if (max > PS_JSON_MAX_DEPTH) {
					*at = i;
					return max;
				}
			}
		} else if (c == ']' || c == '}') {
			d--;
		}
	}
	return max;
}

json_t *ps_json_load(const uint8_t *buf, size_t len, const char **enc, char *err, size_t errlen)
{
	char *text = NULL;
	size_t tlen = 0;
	if (ps_json_decode(buf, len, &text, &tlen, enc, err, errlen) < 0)
		return NULL;
	size_t at = 0;
	if (nesting(text, tlen, &at) > PS_JSON_MAX_DEPTH) {
		snprintf(err, errlen, "nested deeper than %d levels (at byte %zu)", PS_JSON_MAX_DEPTH, at);
		free(text);
		return NULL;
	}
	json_error_t je;
	/* integers as reals: PowerShell writes UInt64 values (and a hostile file
	 * any digits) that do not fit jansson's integer; each reader checks range */
	json_t *j = json_loadb(text, tlen, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &je);
	free(text);
	if (!j) {
		char t[160];
		snprintf(err, errlen, "not JSON: line %d column %d: %s", je.line, je.column,
			 vfs_sanitize(t, sizeof(t), je.text));
		return NULL;
	}
	if (json_is_object(j)) {
		/* 5.1 writes an array held in a PSObject as {"value": [...], "Count": n} */
		json_t *val = json_object_get(j, "value");
		int64_t cnt;
		if (json_object_size(j) == 2 && json_is_array(val) && num_of(json_object_get(j, "Count"), &cnt) > 0) {
			json_t *a = json_incref(val);
			json_decref(j);
			return a;
		}
		json_t *a = json_array();
		json_array_append_new(a, j);
		return a;
	}
	if (!json_is_array(j)) {
		snprintf(err, errlen, "not an object or an array of objects (a JSON %s)",
			 json_is_string(j) ? "string" : json_is_number(j) ? "number" : "scalar");
		json_decref(j);
		return NULL;
	}
	return j;
}

const json_t *ps_prop(const json_t *obj, const char *name)
{
	if (!json_is_object(obj) || !name)
		return NULL;
	const json_t *v = json_object_get(obj, name);
	if (v)
		return v;
	const char *k;
	json_t *e;
	json_object_foreach((json_t *)obj, k, e)
		if (!strcasecmp(k, name))
			return e;
	return NULL;
}

bool ps_has(const json_t *obj, const char *name)
{
	return ps_prop(obj, name) != NULL;
}

int ps_get_str(const json_t *obj, const char *name, char *buf, size_t len)
{
	const json_t *v = ps_prop(obj, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	vfs_sanitize(buf, len, json_string_value(v));
	return buf[0] ? 1 : 0;
}

/* A JSON number that is an integer (jansson reads them all as reals, see
 * ps_json_load): 1, or 0 when v is not one. */
static int num_of(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 1;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		/* 2^63 does not fit; the cast of anything below it is exact for integers */
		if (d != d || d < -9223372036854775808.0 || d >= 9223372036854775808.0 || d != (double)(int64_t)d)
			return 0;
		*out = (int64_t)d;
		return 1;
	}
	return 0;
}

static int int_of(const json_t *v, int64_t *out)
{
	if (num_of(v, out))
		return 1;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 1;
	}
	if (json_is_real(v))
		return -EBADMSG;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (json_string_length(v) > 24 || vfs_parse_i64(s, 10, out))
			return -EBADMSG;
		return 1;
	}
	return -EBADMSG;
}

int ps_get_int(const json_t *obj, const char *name, int64_t *out)
{
	const json_t *v = ps_prop(obj, name);
	if (!v || json_is_null(v))
		return 0;
	return int_of(v, out);
}

int ps_get_bool(const json_t *obj, const char *name, int64_t *out)
{
	const json_t *v = ps_prop(obj, name);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 1;
	}
	int64_t n;
	if (num_of(v, &n) && (n == 0 || n == 1)) {
		*out = n;
		return 1;
	}
	if (json_is_string(v)) {
		if (!strcasecmp(json_string_value(v), "true")) {
			*out = 1;
			return 1;
		}
		if (!strcasecmp(json_string_value(v), "false")) {
			*out = 0;
			return 1;
		}
	}
	return -EBADMSG;
}

int ps_enum_value(const json_t *v, const struct hv_enum *t, int64_t *out)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!hv_enum_value(t, s, out))
			return 1;
		/* a number written as a string */
		if (json_string_length(v) <= 24 && !vfs_parse_i64(s, 10, out))
			return 1;
		return -EBADMSG;
	}
	/* an integer is kept even when newer than the table: it is what Windows said */
	return num_of(v, out) ? 1 : -EBADMSG;
}

int ps_get_enum(const json_t *obj, const char *name, const struct hv_enum *t, int64_t *out)
{
	const json_t *v = ps_prop(obj, name);
	if (!v || json_is_null(v))
		return 0;
	return ps_enum_value(v, t, out);
}

int ps_get_date_ms(const json_t *obj, const char *name, int64_t *out)
{
	const json_t *v = ps_prop(obj, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -EBADMSG;
	const char *s = json_string_value(v);
	if (strncmp(s, "/Date(", 6))
		return -EBADMSG;
	s += 6;
	char num[24];
	size_t n = 0;
	if (*s == '-')
		num[n++] = *s++;
	while (*s >= '0' && *s <= '9' && n < sizeof(num) - 1)
		num[n++] = *s++;
	num[n] = 0;
	if (*s == '+' || *s == '-') { /* a time zone offset, +hhmm: the number is UTC already */
		s++;
		for (int i = 0; i < 4; i++, s++)
			if (*s < '0' || *s > '9')
				return -EBADMSG;
	}
	if (strcmp(s, ")/") || vfs_parse_i64(num, 10, out))
		return -EBADMSG;
	return 1;
}

int ps_get_strlist(const json_t *obj, const char *name, struct hv_strlist *l, int src)
{
	const json_t *v = ps_prop(obj, name);
	char b[512];
	if (!v)
		return 0;
	if (json_is_null(v)) {
		l->src = (uint8_t)src;
		return 1;
	}
	if (json_is_string(v)) {
		hv_strlist_add(l, vfs_sanitize(b, sizeof(b), json_string_value(v)), src);
		return 1;
	}
	if (!json_is_array(v))
		return -EBADMSG;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return -EBADMSG;
	}
	l->src = (uint8_t)src;
	json_array_foreach(v, i, e)
		hv_strlist_add(l, vfs_sanitize(b, sizeof(b), json_string_value(e)), src);
	return 1;
}
