#include "collectors/ethtool.h"
#include "collectors/ethtool_text.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETHTOOL_TEXT_MAX (1u << 20)

static bool name_ok(const char *ifname)
{
	return ifname && *ifname && strlen(ifname) < IFNAMSIZ && !strchr(ifname, '/') && strcmp(ifname, ".") &&
	       strcmp(ifname, "..");
}

static int eth_ioctl(const char *ifname, void *cmd)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	vfs_strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ifr.ifr_data = cmd;
	int r = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return r;
}

int ethtool_driver(const char *ifname, char *driver, size_t size)
{
	if (!name_ok(ifname) || !size)
		return -EINVAL;
	driver[0] = 0;
	if (!root_is_live()) {
		char path[64];
		unsigned char *b = NULL;
		snprintf(path, sizeof(path), "ethtool-i/%s", ifname);
		ssize_t n = root_read_bin(path, &b, 65536);
		if (n < 0)
			return (int)n;
		struct ethtool_info ei;
		ethtool_info_parse((const char *)b, (size_t)n, &ei);
		free(b);
		if (!ei.driver[0])
			return -ENODATA;
		vfs_strlcpy(driver, ei.driver, size);
		return 0;
	}
	struct ethtool_drvinfo di;
	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	int r = eth_ioctl(ifname, &di);
	if (r)
		return r;
	di.driver[sizeof(di.driver) - 1] = 0;
	if (!di.driver[0])
		return -ENODATA;
	vfs_sanitize(driver, size, di.driver);
	return 0;
}

void ethtool_stats_free(struct ethtool_counters *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int ethtool_stat_get(const struct ethtool_counters *s, const char *name, uint64_t *value)
{
	for (size_t i = 0; s && name && i < s->n; i++)
		if (!strcmp(s->v[i].name, name)) {
			*value = s->v[i].value;
			return 0;
		}
	return -ENOENT;
}

size_t ethtool_stats_parse(const char *text, size_t len, struct ethtool_counters *out)
{
	memset(out, 0, sizeof(*out));
	size_t pos = 0, cap = 0;
	const char *l;
	size_t ll;
	while (text && vfs_next_line(text, len, &pos, &l, &ll) && out->n < ETHTOOL_MAX_STATS) {
		while (ll && (*l == ' ' || *l == '\t'))
			l++, ll--;
		/* "name: value"; the name may itself hold ':' ("rx_queue_0: x"
		 * is not a form ethtool prints, but the last ": " is the split). */
		const char *sep = NULL;
		for (size_t i = 0; i + 1 < ll; i++)
			if (l[i] == ':' && l[i + 1] == ' ')
				sep = l + i;
		if (!sep || sep == l || (size_t)(sep - l) >= ETHTOOL_NAME_LEN)
			continue;
		const char *v = sep + 2;
		size_t vl = ll - (size_t)(v - l);
		while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\r'))
			vl--;
		if (!vl || vl > 20)
			continue;
		uint64_t x = 0;
		bool ok = true;
		for (size_t i = 0; i < vl && ok; i++) {
			if (v[i] < '0' || v[i] > '9' || x > (UINT64_MAX - (uint64_t)(v[i] - '0')) / 10)
				ok = false;
			else
				x = x * 10 + (uint64_t)(v[i] - '0');
		}
		if (!ok)
			continue;
		bool sane = true; /* printable, no blank, no NUL */
		for (const char *c = l; c < sep; c++)
			sane &= *c > ' ' && *c < 0x7f;
		if (!sane)
			continue;
		char name[ETHTOOL_NAME_LEN];
		memcpy(name, l, (size_t)(sep - l));
		name[sep - l] = 0;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->v = vfs_xrealloc(out->v, cap, sizeof(*out->v));
		}
		vfs_strlcpy(out->v[out->n].name, name, ETHTOOL_NAME_LEN);
		out->v[out->n++].value = x;
	}
	return out->n;
}

static int stats_live(const char *ifname, struct ethtool_counters *out)
{
	/* struct ethtool_sset_info and the one length it returns for one set */
	struct ethtool_sset_info *ss = vfs_xcalloc(1, sizeof(*ss) + sizeof(uint32_t));
	ss->cmd = ETHTOOL_GSSET_INFO;
	ss->sset_mask = 1ull << ETH_SS_STATS;
	int r = eth_ioctl(ifname, ss);
	uint32_t have = !r && (ss->sset_mask & (1ull << ETH_SS_STATS)) ? ss->data[0] : 0;
	free(ss);
	if (r)
		return r;
	if (!have)
		return -ENODATA;
	uint32_t n = have > ETHTOOL_MAX_STATS ? ETHTOOL_MAX_STATS : have;
	/* The kernel writes as many as it has, whatever we ask: size the
	 * buffers for all of them, keep at most n. */
	if (have > 65536)
		return -E2BIG;
	struct ethtool_gstrings *gs = vfs_xcalloc(1, sizeof(*gs) + (size_t)have * ETH_GSTRING_LEN);
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = have;
	r = eth_ioctl(ifname, gs);
	if (r) {
		free(gs);
		return r;
	}
	struct ethtool_stats *sv = vfs_xcalloc(1, sizeof(*sv) + (size_t)have * sizeof(uint64_t));
	sv->cmd = ETHTOOL_GSTATS;
	sv->n_stats = have;
	r = eth_ioctl(ifname, sv);
	if (!r) {
		/* a driver whose count changed between the calls: keep the common part */
		uint32_t k = sv->n_stats < gs->len ? sv->n_stats : gs->len;
		if (k > n)
			k = n;
		out->v = vfs_xcalloc(k ? k : 1, sizeof(*out->v));
		for (uint32_t i = 0; i < k; i++) {
			char nm[ETH_GSTRING_LEN + 1];
			memcpy(nm, gs->data + (size_t)i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
			nm[ETH_GSTRING_LEN] = 0;
			vfs_sanitize(out->v[out->n].name, ETHTOOL_NAME_LEN, nm);
			out->v[out->n++].value = sv->data[i];
		}
	}
	free(sv);
	free(gs);
	return r;
}

int ethtool_read_stats(const char *ifname, int second, struct ethtool_counters *out)
{
	memset(out, 0, sizeof(*out));
	if (!name_ok(ifname))
		return -EINVAL;
	if (root_is_live())
		return stats_live(ifname, out);
	char path[64];
	unsigned char *b = NULL;
	snprintf(path, sizeof(path), "ethtool-S/%s%s", ifname, second ? ".2" : "");
	ssize_t n = root_read_bin(path, &b, ETHTOOL_TEXT_MAX);
	if (n < 0)
		return (int)n;
	ethtool_stats_parse((const char *)b, (size_t)n, out);
	free(b);
	return out->n ? 0 : -ENODATA;
}
