#include "collectors/qemu_failover.h"
#include "lib/util.h"
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* One -device as key/value pairs (bounded). */
struct qdev {
	char driver[64];
	char kv[24][2][128];
	int n;
};

static const char *qdev_get(const struct qdev *d, const char *key)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->kv[i][0], key))
			return d->kv[i][1];
	return NULL;
}

static void qdev_put(struct qdev *d, const char *k, size_t kl, const char *v, size_t vl)
{
	if (d->n >= (int)ARRAY_SIZE(d->kv) || kl >= sizeof(d->kv[0][0]) || vl >= sizeof(d->kv[0][1]))
		return;
	memcpy(d->kv[d->n][0], k, kl);
	d->kv[d->n][0][kl] = 0;
	memcpy(d->kv[d->n][1], v, vl);
	d->kv[d->n][1][vl] = 0;
	d->n++;
}

/* "driver,key=value,key=value": QEMU's option syntax (",," is a literal ','). */
static bool parse_opts(const char *a, struct qdev *d)
{
	char buf[2048], *w = buf;
	const char *fields[32];
	int nf = 0;
	fields[nf++] = buf;
	for (const char *p = a; *p && w < buf + sizeof(buf) - 1; p++) {
		if (*p == ',' && p[1] == ',') {
			*w++ = ',';
			p++;
		} else if (*p == ',') {
			*w++ = 0;
			if (nf < (int)ARRAY_SIZE(fields))
				fields[nf++] = w;
		} else
			*w++ = *p;
	}
	*w = 0;
	for (int i = 0; i < nf; i++) {
		const char *eq = strchr(fields[i], '=');
		if (!eq) {
			if (i == 0)
				vfs_strlcpy(d->driver, fields[i], sizeof(d->driver));
			continue;
		}
		size_t kl = (size_t)(eq - fields[i]);
		if (kl == 6 && !strncmp(fields[i], "driver", 6))
			vfs_strlcpy(d->driver, eq + 1, sizeof(d->driver));
		else
			qdev_put(d, fields[i], kl, eq + 1, strlen(eq + 1));
	}
	return d->driver[0] != 0;
}

static bool parse_json(const char *a, size_t len, struct qdev *d)
{
	json_error_t je;
	json_t *j = json_loadb(a, len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v) {
		char b[128];
		const char *s = NULL;
		if (json_is_string(v))
			s = json_string_value(v);
		else if (json_is_true(v))
			s = "on";
		else if (json_is_false(v))
			s = "off";
		else if (json_is_integer(v)) {
			snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(v));
			s = b;
		}
		if (!s)
			continue;
		if (!strcmp(k, "driver"))
			vfs_strlcpy(d->driver, s, sizeof(d->driver));
		else
			qdev_put(d, k, strlen(k), s, strlen(s));
	}
	json_decref(j);
	return d->driver[0] != 0;
}

/* Whether the device's host= or sysfsdev= names pci (host= may leave out
 * the domain 0000). */
static bool holds(const struct qdev *d, const char *pci)
{
	const char *h = qdev_get(d, "host"), *s = qdev_get(d, "sysfsdev");
	if (s) {
		const char *b = strrchr(s, '/');
		if (!strcmp(b ? b + 1 : s, pci))
			return true;
	}
	if (!h)
		return false;
	if (!strcmp(h, pci))
		return true;
	return !strncmp(pci, "0000:", 5) && !strcmp(h, pci + 5);
}

static bool is_on(const char *v)
{
	return v && (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"));
}

/* The next "-device VALUE" pair of the NUL-separated argv in cmd[0..len)
 * (the last word may lack its NUL: a cut-off read). */
static bool next_device(const char *cmd, size_t len, size_t *pos, struct qdev *d)
{
	static __thread char v[4096];
	while (*pos < len) {
		const char *a = cmd + *pos;
		size_t al = strnlen(a, len - *pos);
		*pos += al + 1;
		if (!((al == 7 && !memcmp(a, "-device", 7)) || (al == 8 && !memcmp(a, "--device", 8))))
			continue;
		if (*pos >= len)
			return false;
		size_t vl = strnlen(cmd + *pos, len - *pos);
		bool fits = vl < sizeof(v);
		if (fits) {
			memcpy(v, cmd + *pos, vl);
			v[vl] = 0;
		}
		*pos += vl + 1;
		if (!fits)
			continue; /* longer than any -device QEMU is given */
		memset(d, 0, sizeof(*d));
		if (vl && v[0] == '{' ? parse_json(v, vl, d) : (vl < 2048 && parse_opts(v, d)))
			return true;
	}
	return false;
}

int qemu_failover_lookup(const char *cmd, size_t len, const char *pci, char *pair_id, size_t pair_size, char *mac,
			 size_t mac_size)
{
	if (!cmd || !pci || !pair_size || !mac_size)
		return -EINVAL;
	pair_id[0] = mac[0] = 0;
	static __thread struct qdev d; /* large: not on the stack */
	size_t pos = 0;
	int seen = 0;
	while (seen++ < QEMU_FAILOVER_MAX_DEVICES && next_device(cmd, len, &pos, &d)) {
		const char *id = qdev_get(&d, "failover_pair_id");
		if (id && *id && holds(&d, pci)) {
			vfs_sanitize(pair_id, pair_size, id);
			break;
		}
	}
	if (!pair_id[0])
		return -ENOENT;
	pos = 0;
	seen = 0;
	while (seen++ < QEMU_FAILOVER_MAX_DEVICES && next_device(cmd, len, &pos, &d)) {
		const char *id = qdev_get(&d, "id"), *m = qdev_get(&d, "mac");
		if (id && !strcmp(id, pair_id) && strstr(d.driver, "virtio-net") && is_on(qdev_get(&d, "failover"))) {
			uint8_t b[6];
			if (m && !vfs_mac_parse(m, b))
				vfs_sanitize(mac, mac_size, m);
			break;
		}
	}
	return 0;
}
