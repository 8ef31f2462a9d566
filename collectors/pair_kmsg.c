#include "collectors/pair_kmsg.h"
#include "lib/util.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[PK_MAX] = {
	[PK_NONE] = "none", [PK_MASTER_REGISTERED] = "master registered",
	[PK_MASTER_UNREGISTERED] = "master unregistered", [PK_PRIMARY_REGISTERED] = "primary registered",
	[PK_PRIMARY_UNREGISTERED] = "primary unregistered", [PK_STANDBY_REGISTERED] = "standby registered",
	[PK_STANDBY_UNREGISTERED] = "standby unregistered", [PK_SWITCHED_TO_VF] = "switched to VF",
	[PK_SWITCHED_FROM_VF] = "switched from VF", [PK_SWITCH_FAILED] = "switch failed",
	[PK_VF_REGISTERING] = "VF registering", [PK_VF_UNREGISTERING] = "VF unregistering",
	[PK_VF_SLOT_ADDED] = "VF slot added", [PK_VF_SLOT_REMOVED] = "VF slot removed",
};

const char *pair_kmsg_kind_name(int kind)
{
	return kind >= 0 && kind < PK_MAX ? kind_names[kind] : "none";
}

/* A netdev name (IFNAMSIZ - 1 at most, no '/', ':' or space) of len bytes at w. */
static bool copy_name(char *out, size_t size, const char *w, size_t len)
{
	if (!len || len >= size)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)w[i]) || w[i] == '/' || w[i] == ':')
			return false;
	memcpy(out, w, len);
	out[len] = 0;
	return true;
}

/* The interface of "... IFNAME: <msg>": the word just before msg, which
 * must end in ": ". */
static void prefix_ifname(const char *text, const char *msg, struct pair_kmsg *out)
{
	if (msg - text < 3 || msg[-1] != ' ' || msg[-2] != ':')
		return;
	const char *e = msg - 2, *b = e;
	while (b > text && b[-1] != ' ')
		b--;
	copy_name(out->ifname, sizeof(out->ifname), b, (size_t)(e - b));
}

/* The name at p, up to a space, ',' or the end; false when none. */
static bool arg_name(const char *p, struct pair_kmsg *out)
{
	size_t l = strcspn(p, " ,\n");
	return copy_name(out->arg, sizeof(out->arg), p, l);
}

/* Whether the text at p is word w followed by the end, a newline or a space. */
static bool word_at(const char *p, const char *w)
{
	size_t l = strlen(w);
	return !strncmp(p, w, l) && (!p[l] || p[l] == '\n' || p[l] == ' ');
}

/* "failover master:%s registered" and "failover %s slave:%s registered". */
static int failover_line(const char *text, const char *msg, struct pair_kmsg *out)
{
	const char *p = msg + strlen("failover ");
	int kreg, kunreg;
	if (!strncmp(p, "master:", 7)) {
		p += 7;
		kreg = PK_MASTER_REGISTERED, kunreg = PK_MASTER_UNREGISTERED;
	} else if (!strncmp(p, "primary slave:", 14)) {
		p += 14;
		kreg = PK_PRIMARY_REGISTERED, kunreg = PK_PRIMARY_UNREGISTERED;
	} else if (!strncmp(p, "standby slave:", 14)) {
		p += 14;
		kreg = PK_STANDBY_REGISTERED, kunreg = PK_STANDBY_UNREGISTERED;
	} else
		return PK_NONE;
	size_t l = strcspn(p, " ");
	if (!p[l])
		return PK_NONE;
	const char *verb = p + l + 1;
	int k = word_at(verb, "registered") ? kreg : word_at(verb, "unregistered") ? kunreg : PK_NONE;
	if (k == PK_NONE || !copy_name(out->arg, sizeof(out->arg), p, l))
		return PK_NONE;
	prefix_ifname(text, msg, out);
	return k;
}

/* A decimal number at p (no sign), as long long; false when none. */
static bool number_at(const char *p, long long *v, const char **end)
{
	if (!isdigit((unsigned char)*p))
		return false;
	char *e;
	long long x = strtoll(p, &e, 10);
	if (e - p > 10)
		return false;
	*v = x;
	*end = e;
	return true;
}

int pair_kmsg_parse(const char *text, struct pair_kmsg *out)
{
	if (!out)
		return PK_NONE;
	memset(out, 0, sizeof(*out));
	out->num = -1;
	if (!text)
		return PK_NONE;
	const char *msg;
	int k = PK_NONE;
	if ((msg = strstr(text, "failover master:")) || (msg = strstr(text, "failover primary slave:")) ||
	    (msg = strstr(text, "failover standby slave:"))) {
		k = failover_line(text, msg, out);
	} else if ((msg = strstr(text, "Data path switched "))) {
		const char *p = msg + strlen("Data path switched ");
		bool to = !strncmp(p, "to VF: ", 7), from = !strncmp(p, "from VF: ", 9);
		if ((to || from) && arg_name(p + (to ? 7 : 9), out))
			k = to ? PK_SWITCHED_TO_VF : PK_SWITCHED_FROM_VF;
	} else if ((msg = strstr(text, "Data path failed to switch "))) {
		const char *p = msg + strlen("Data path failed to switch ");
		bool to = !strncmp(p, "to VF: ", 7), from = !strncmp(p, "from VF: ", 9);
		if ((to || from) && arg_name(p + (to ? 7 : 9), out)) {
			k = PK_SWITCH_FAILED;
			out->to = to;
			const char *e = strstr(p, ", err: ");
			if (e) {
				long long v;
				const char *q = e + 7, *end;
				bool neg = *q == '-';
				if (number_at(q + neg, &v, &end))
					out->num = neg ? -v : v;
			}
		}
	} else if ((msg = strstr(text, "VF registering: "))) {
		if (arg_name(msg + strlen("VF registering: "), out))
			k = PK_VF_REGISTERING;
	} else if ((msg = strstr(text, "VF unregistering: "))) {
		if (arg_name(msg + strlen("VF unregistering: "), out))
			k = PK_VF_UNREGISTERING;
	} else if ((msg = strstr(text, "VF slot "))) {
		long long v;
		const char *end;
		if (number_at(msg + 8, &v, &end) && *end == ' ') {
			if (word_at(end + 1, "added"))
				k = PK_VF_SLOT_ADDED;
			else if (word_at(end + 1, "removed"))
				k = PK_VF_SLOT_REMOVED;
			if (k)
				out->num = v;
		}
	}
	if (k == PK_NONE) {
		memset(out, 0, sizeof(*out));
		out->num = -1;
		return PK_NONE;
	}
	if (!out->ifname[0])
		prefix_ifname(text, msg, out);
	out->kind = k;
	return k;
}
