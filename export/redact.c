/* Redaction scanner: one pass over the text, left to right; at each word
 * boundary try a MAC, an IPv4, an IPv6 address, then each host name. A
 * replaced span is never scanned again, so tokens are not re-redacted. */
#include "export/redact.h"
#include "lib/util.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { K_MAC, K_IP4, K_IP6, K_HOST };

struct pair { char *orig, *tok; int kind; };

struct redact {
	struct pair *v; size_t n, cap;
	char **reserved; size_t nres, capres;
	char **hosts; size_t nhosts, caphosts;
	unsigned counter[4];
};

struct redact *redact_new(void) { return vfs_xcalloc(1, sizeof(struct redact)); }

void redact_free(struct redact *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].orig);
		free(r->v[i].tok);
	}
	for (size_t i = 0; i < r->nres; i++)
		free(r->reserved[i]);
	for (size_t i = 0; i < r->nhosts; i++)
		free(r->hosts[i]);
	free(r->v);
	free(r->reserved);
	free(r->hosts);
	free(r);
}

static char *lower_dup(const char *s, size_t len)
{
	char *d = vfs_xcalloc(1, len + 1);
	for (size_t i = 0; i < len; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	return d;
}

void redact_reserve(struct redact *r, const char *value)
{
	if (!value || !*value)
		return;
	VFS_PUSH(r->reserved, r->nres, r->capres);
	r->reserved[r->nres++] = lower_dup(value, strlen(value));
}

void redact_add_host(struct redact *r, const char *name)
{
	if (!name || strlen(name) < 2)
		return;
	for (size_t i = 0; i < r->nhosts; i++)
		if (!strcasecmp(r->hosts[i], name))
			return;
	VFS_PUSH(r->hosts, r->nhosts, r->caphosts);
	r->hosts[r->nhosts++] = vfs_xstrdup(name);
}

static bool is_reserved(const struct redact *r, const char *tok)
{
	for (size_t i = 0; i < r->nres; i++)
		if (!strcmp(r->reserved[i], tok))
			return true;
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].orig, tok))
			return true;
	return false;
}

static const char *token(struct redact *r, int kind, const char *orig, size_t len)
{
	char *key = lower_dup(orig, len);
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].kind == kind && !strcmp(r->v[i].orig, key)) {
			free(key);
			return r->v[i].tok;
		}
	char tok[64];
	do {
		unsigned c = ++r->counter[kind];
		switch (kind) {
		case K_MAC: snprintf(tok, sizeof(tok), "02:00:5e:fe:%02x:%02x", (c >> 8) & 0xff, c & 0xff); break;
		case K_IP4: snprintf(tok, sizeof(tok), "198.18.%u.%u", (c >> 8) & 0xff, c & 0xff); break;
		case K_IP6: snprintf(tok, sizeof(tok), "2001:db8:ffff::%x", c); break;
		default: snprintf(tok, sizeof(tok), "host-%u", c); break;
		}
	} while (is_reserved(r, tok) && r->counter[kind] < 0xfffff);
	VFS_PUSH(r->v, r->n, r->cap);
	r->v[r->n].orig = key;
	r->v[r->n].tok = vfs_xstrdup(tok);
	r->v[r->n].kind = kind;
	return r->v[r->n++].tok;
}

static bool hexc(char c) { return isxdigit((unsigned char)c); }

/* hh:hh:hh:hh:hh:hh (or '-' separated), not inside a longer hex/colon run. */
static size_t match_mac(const char *s, size_t left)
{
	if (left < 17)
		return 0;
	char sep = s[2];
	if (sep != ':' && sep != '-')
		return 0;
	for (int i = 0; i < 6; i++) {
		if (!hexc(s[i * 3]) || !hexc(s[i * 3 + 1]))
			return 0;
		if (i < 5 && s[i * 3 + 2] != sep)
			return 0;
	}
	if (left > 17 && (hexc(s[17]) || s[17] == ':' || s[17] == '-'))
		return 0;
	return 17;
}

static size_t match_ip4(const char *s, size_t left, unsigned char b[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t d = 0;
		while (i < left && isdigit((unsigned char)s[i]) && d < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++, d++;
		}
		if (!d || d > 3 || v > 255)
			return 0;
		b[part] = (unsigned char)v;
		if (part < 3) {
			if (i >= left || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < left && (isdigit((unsigned char)s[i]) || (s[i] == '.' && i + 1 < left && isdigit((unsigned char)s[i + 1]))))
		return 0;
	return i;
}

static size_t match_ip6(const char *s, size_t left)
{
	size_t i = 0;
	int colons = 0, grp = 0, hexdigits = 0;
	bool dbl = false;
	while (i < left && i < 39 && (hexc(s[i]) || s[i] == ':')) {
		if (s[i] == ':') {
			colons++;
			if (i > 0 && s[i - 1] == ':')
				dbl = true;
			grp = 0;
		} else if (++grp > 4) {
			return 0;
		} else {
			hexdigits++;
		}
		i++;
	}
	if (i < left && (hexc(s[i]) || s[i] == ':' || s[i] == '.'))
		return 0; /* longer run, or a PCI address / v4-mapped */
	if (colons < 2 || !hexdigits || (!dbl && colons != 7) || colons > 7)
		return 0;
	if (i == 3 && !strncmp(s, "::1", 3))
		return 0;
	return i;
}

static bool wordc(char c) { return isalnum((unsigned char)c) || c == '-' || c == '_'; }

char *redact_text(struct redact *r, const char *in, size_t len, size_t *outlen)
{
	size_t cap = len + len / 4 + 64, o = 0;
	char *out = vfs_xcalloc(1, cap);
#define EMIT(p, l)                                                             \
	do {                                                                   \
		size_t l_ = (l);                                               \
		if (o + l_ + 1 > cap) {                                        \
			cap = (o + l_ + 1) * 2;                                \
			out = vfs_xrealloc(out, cap, 1);                       \
		}                                                              \
		memcpy(out + o, (p), l_);                                      \
		o += l_;                                                       \
	} while (0)
	size_t i = 0;
	while (i < len) {
		char prev = i ? in[i - 1] : ' ';
		size_t left = len - i, m;
		unsigned char b[4];
		if (!hexc(prev) && prev != ':' && prev != '-' && (m = match_mac(in + i, left))) {
			uint8_t mac[6];
			char txt[18];
			memcpy(txt, in + i, 17);
			txt[17] = 0;
			for (int k = 2; k < 17; k += 3)
				txt[k] = ':';
			if (!vfs_mac_parse(txt, mac) && !vfs_mac_is_zero(mac) &&
			    !(mac[0] == 0xff && mac[1] == 0xff && mac[2] == 0xff && mac[3] == 0xff && mac[4] == 0xff &&
			      mac[5] == 0xff)) {
				const char *t = token(r, K_MAC, txt, 17);
				EMIT(t, strlen(t));
			} else {
				EMIT(in + i, m);
			}
			i += m;
			continue;
		}
		if (!isdigit((unsigned char)prev) && prev != '.' && (m = match_ip4(in + i, left, b))) {
			bool keep = (!b[0] && !b[1] && !b[2] && !b[3]) || b[0] == 127 ||
				    (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
			if (keep) {
				EMIT(in + i, m);
			} else {
				const char *t = token(r, K_IP4, in + i, m);
				EMIT(t, strlen(t));
			}
			i += m;
			continue;
		}
		if (!hexc(prev) && prev != ':' && (hexc(in[i]) || in[i] == ':') && (m = match_ip6(in + i, left))) {
			const char *t = token(r, K_IP6, in + i, m);
			EMIT(t, strlen(t));
			i += m;
			continue;
		}
		if (!wordc(prev)) {
			bool done = false;
			for (size_t h = 0; h < r->nhosts && !done; h++) {
				size_t hl = strlen(r->hosts[h]);
				if (hl <= left && !strncasecmp(in + i, r->hosts[h], hl) && (hl == left || !wordc(in[i + hl]))) {
					const char *t = token(r, K_HOST, in + i, hl);
					EMIT(t, strlen(t));
					i += hl;
					done = true;
				}
			}
			if (done)
				continue;
		}
		EMIT(in + i, 1);
		i++;
	}
	out[o] = 0;
	*outlen = o;
	return out;
#undef EMIT
}

void redact_counts(const struct redact *r, size_t *macs, size_t *ips, size_t *hosts)
{
	*macs = *ips = *hosts = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].kind == K_MAC)
			(*macs)++;
		else if (r->v[i].kind == K_HOST)
			(*hosts)++;
		else
			(*ips)++;
	}
}
