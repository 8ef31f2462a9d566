/* ethtool's -i report (ethtool.c dump_drvinfo): one "key: value" per line,
 * "driver", "version", "firmware-version", "expansion-rom-version",
 * "bus-info", "supports-*". Values are kept as printed (sanitised); the
 * caller decides what a bus-info is. */
#include "collectors/ethtool_text.h"
#include "lib/util.h"
#include <string.h>

static void take(char *dst, size_t size, const char *v, size_t vl)
{
	while (vl && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
		vl--;
	char raw[256];
	vl = MIN(vl, sizeof(raw) - 1);
	memcpy(raw, v, vl);
	raw[vl] = 0;
	for (size_t i = 0; i < vl; i++)
		if (!raw[i])
			raw[i] = '?';
	vfs_sanitize(dst, size, raw);
}

int ethtool_info_parse(const char *text, size_t len, struct ethtool_info *out)
{
	static const struct { const char *key; size_t off, size; } keys[] = {
		{ "driver", offsetof(struct ethtool_info, driver), sizeof(((struct ethtool_info *)0)->driver) },
		{ "version", offsetof(struct ethtool_info, version), sizeof(((struct ethtool_info *)0)->version) },
		{ "firmware-version", offsetof(struct ethtool_info, firmware), sizeof(((struct ethtool_info *)0)->firmware) },
		{ "bus-info", offsetof(struct ethtool_info, bus_info), sizeof(((struct ethtool_info *)0)->bus_info) },
	};
	memset(out, 0, sizeof(*out));
	int n = 0;
	size_t pos = 0;
	const char *l;
	size_t ll;
	while (vfs_next_line(text, len, &pos, &l, &ll)) {
		const char *colon = memchr(l, ':', ll);
		if (!colon)
			continue;
		size_t kl = (size_t)(colon - l);
		for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
			if (kl != strlen(keys[i].key) || memcmp(l, keys[i].key, kl))
				continue;
			char *dst = (char *)out + keys[i].off;
			if (!dst[0])
				take(dst, keys[i].size, colon + 1, ll - kl - 1);
			n++;
		}
		if (kl > 9 && !memcmp(l, "supports-", 9))
			n++;
	}
	return n;
}
