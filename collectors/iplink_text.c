/* iproute2 link text -> model. The layout this reads (ip/ipaddress.c
 * print_linkinfo, one block per link):
 *   N: NAME[@LINK]: <FLAGS> mtu N qdisc Q [master M] state S mode M group G qlen N
 *       link/TYPE ADDR brd BRD [permaddr P] [link-netnsid N] [-d: promiscuity ...
 *       portid X switchid Y parentbus pci parentdev ADDR]
 *       KIND key value ...            (-d: IFLA_INFO_KIND, e.g. "bond mode ...")
 *       KIND_slave key value ...      (-d: e.g. "bond_slave state ACTIVE ...")
 *       alias TEXT
 *       RX: ... / numbers / TX: ... / numbers   (-s, the link's own counters)
 *       vf N ...                      (one per VF, each with its counters under -s)
 *       altname NAME
 *       inet ... / inet6 ... / valid_lft ...    (ip address)
 * `ip -o` joins a block's lines with a backslash; that form is split back.
 * Every walk is bounded: line length, links, VFs per PF, members per team. */
#include "collectors/iplink_text.h"
#include "lib/util.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 4096
#define MAX_TOK 256
#define MAX_MEMBERS 64

enum want { W_NONE, W_NUMBERS, W_VF_RX, W_VF_TX };

struct ctx {
	struct machine *m;
	int src;
	struct iplink_text_stats *st;
	int lineno;
	int cur;               /* netdev of the current block, -1 none */
	bool skip;             /* a link header not kept (bound reached): ignore its block */
	bool kind_ok;          /* the next indented unknown word may be IFLA_INFO_KIND */
	char master[80];       /* the current link's master, "" none */
	char portid[80], switchid[80];
	int vf_pf, vf_i;       /* the last VF line's PF and VF (array indexes), -1 none */
	enum want want;        /* what a following line of numbers is */
	char cols[8][16];      /* VF counters: the header's column names */
	int ncols;
};

static int64_t parse_num(const char *s, bool *ok)
{
	int64_t v;
	*ok = !vfs_parse_i64(s, 10, &v) && v >= 0;
	return *ok ? v : 0;
}

static void set_vi(struct vi *f, const char *s, int src)
{
	bool ok;
	int64_t v = parse_num(s, &ok);
	if (ok)
		vi_set(f, v, src);
}

static void set_vs(struct vs *f, const char *s, int src)
{
	char clean[256];
	vs_set(f, vfs_sanitize(clean, sizeof(clean), s), src);
}

/* Lower case, and "GOING_DOWN" -> "going down" as sysfs spells it. */
static void set_lower(struct vs *f, const char *s, int src, bool underscore_space)
{
	char l[64];
	vfs_strlcpy(l, s, sizeof(l));
	for (char *p = l; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		if (underscore_space && *p == '_')
			*p = ' ';
	}
	set_vs(f, l, src);
}

static bool set_mac(struct vs *f, const char *s, int src)
{
	uint8_t b[6];
	char out[18];
	if (!s || strlen(s) != 17 || vfs_mac_parse(s, b))
		return false;
	vfs_mac_format(b, out);
	vs_set(f, out, src);
	return true;
}

/* DOMAIN:BB:DD.F with a 4..8 hex digit domain. */
static bool is_pci_addr(const char *s)
{
	size_t d = strspn(s, "0123456789abcdefABCDEF");
	if (d < 4 || d > 8 || s[d] != ':')
		return false;
	s += d + 1;
	return isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) && s[2] == ':' &&
	       isxdigit((unsigned char)s[3]) && isxdigit((unsigned char)s[4]) && s[5] == '.' && s[6] >= '0' &&
	       s[6] <= '7' && !s[7];
}

static int tokenize(char *s, char **tok, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(s, " \t", &save); t && n < max; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

static bool is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static void bad(struct ctx *c)
{
	if (!c->st->bad++)
		c->st->first_bad = c->lineno;
}

static struct team *team_for(struct ctx *c, const char *name, int driver)
{
	struct machine *m = c->m;
	for (size_t i = 0; i < m->nteams; i++)
		if (m->teams[i].name.v && !strcmp(m->teams[i].name.v, name)) {
			if (!m->teams[i].driver)
				m->teams[i].driver = driver;
			return &m->teams[i];
		}
	if (m->nteams >= IPLINK_TEXT_MAX_LINKS)
		return NULL;
	struct team *t = machine_add_team(m, name);
	t->name.src = (uint8_t)c->src;
	t->driver = driver;
	return t;
}

static struct member *member_for(struct ctx *c, struct team *t, const char *name)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (t->members[i].name.v && !strcmp(t->members[i].name.v, name))
			return &t->members[i];
	if (t->nmembers >= MAX_MEMBERS)
		return NULL;
	struct member *mb = team_add_member(t, name);
	mb->name.src = (uint8_t)c->src;
	return mb;
}

/* The block ends: a PF known by this link's PCI address gets its port and
 * switch IDs (-d "portid"/"switchid", sysfs phys_port_id/phys_switch_id). */
static void end_block(struct ctx *c)
{
	if (c->cur >= 0 && (c->portid[0] || c->switchid[0])) {
		const struct netdev *n = &c->m->netdevs[c->cur];
		int p = n->pci.v ? machine_find_pf(c->m, n->pci.v) : -1;
		if (p >= 0 && c->portid[0] && !VS_KNOWN(c->m->pfs[p].phys_port_id))
			set_vs(&c->m->pfs[p].phys_port_id, c->portid, c->src);
		if (p >= 0 && c->switchid[0] && !VS_KNOWN(c->m->pfs[p].phys_switch_id))
			set_vs(&c->m->pfs[p].phys_switch_id, c->switchid, c->src);
	}
	c->cur = -1;
	c->master[0] = c->portid[0] = c->switchid[0] = 0;
	c->vf_pf = c->vf_i = -1;
	c->want = W_NONE;
	c->kind_ok = c->skip = false;
}

/* "N: NAME[@LINK]: <FLAGS> key value ..."; false if the line is not one. */
static bool parse_header(struct ctx *c, char *line)
{
	char *p = line;
	if (!strncmp(p, "Deleted ", 8))
		p += 8;
	if (!isdigit((unsigned char)*p))
		return false;
	char *end;
	long idx = strtol(p, &end, 10);
	if (end[0] != ':' || end[1] != ' ')
		return false;
	char *name = end + 2;
	char *lt = strstr(name, ": <");
	if (!lt)
		return false;
	*lt = 0;
	char *flags = lt + 3, *fe = strchr(flags, '>');
	if (!fe)
		return false;
	*fe = 0;
	end_block(c);
	struct iplink_text_stats *st = c->st;
	if (!*name || strlen(name) > 64 || st->links >= IPLINK_TEXT_MAX_LINKS) {
		c->skip = true; /* a header, but not one to keep */
		return true;
	}
	char clean[80];
	vfs_sanitize(clean, sizeof(clean), name);
	/* "eth0.100@eth0", "veth1@if5", "gre0@NONE": the part after '@' is the
	 * lower link, unless a netdev of that whole name is already known. */
	char *at = strchr(clean, '@');
	if (at && machine_find_netdev(c->m, clean) < 0)
		*at = 0;
	if (!*clean) {
		c->skip = true;
		return true;
	}
	int i = machine_find_netdev(c->m, clean);
	struct netdev *n;
	if (i < 0) {
		n = machine_add_netdev(c->m, clean);
		n->name.src = (uint8_t)c->src;
		i = (int)c->m->nnetdevs - 1;
	} else {
		n = &c->m->netdevs[i];
	}
	c->cur = i;
	st->links++;
	if (idx > 0 && idx < 0x7fffffff)
		vi_set(&n->ifindex, idx, c->src);
	bool up = false, lower_up = false;
	char *save = NULL;
	for (char *f = strtok_r(flags, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (!strcmp(f, "UP"))
			up = true;
		else if (!strcmp(f, "LOWER_UP"))
			lower_up = true;
	}
	/* The flag list is complete: no UP is admin down. LOWER_UP is the
	 * carrier of a device that is up (NO-CARRIER is UP without RUNNING);
	 * the carrier of a device that is not up is unknown. */
	vi_set(&n->admin_up, up, c->src);
	if (up)
		vi_set(&n->carrier, lower_up, c->src);
	char *tok[MAX_TOK];
	int nt = tokenize(fe + 1, tok, MAX_TOK);
	for (int k = 0; k + 1 < nt; k++) {
		if (!strcmp(tok[k], "mtu"))
			set_vi(&n->mtu, tok[++k], c->src);
		else if (!strcmp(tok[k], "master")) {
			set_vs(&n->master, tok[++k], c->src);
			vfs_strlcpy(c->master, n->master.v ? n->master.v : "", sizeof(c->master));
		} else if (!strcmp(tok[k], "state"))
			set_lower(&n->operstate, tok[++k], c->src, false);
		else if (!strcmp(tok[k], "qdisc") || !strcmp(tok[k], "mode") || !strcmp(tok[k], "group") ||
			 !strcmp(tok[k], "qlen"))
			k++;
	}
	return true;
}

/* The -d device keys, which iproute2 prints at the end of the link/ line
 * or, when the link has a kind, of its (last) kind line. */
static void scan_dev_keys(struct ctx *c, char **tok, int nt, int k)
{
	struct netdev *n = &c->m->netdevs[c->cur];
	const char *bus = NULL, *dev = NULL;
	for (; k + 1 < nt; k++) {
		if (!strcmp(tok[k], "parentbus"))
			bus = tok[++k];
		else if (!strcmp(tok[k], "parentdev"))
			dev = tok[++k];
		else if (!strcmp(tok[k], "portid"))
			vfs_strlcpy(c->portid, tok[++k], sizeof(c->portid));
		else if (!strcmp(tok[k], "switchid"))
			vfs_strlcpy(c->switchid, tok[++k], sizeof(c->switchid));
	}
	if (bus && dev && !strcmp(bus, "pci") && is_pci_addr(dev) && !VS_KNOWN(n->pci))
		set_vs(&n->pci, dev, c->src);
}

/* "    link/TYPE ADDR brd BRD [permaddr P] ..." */
static void parse_link_line(struct ctx *c, char **tok, int nt)
{
	struct netdev *n = &c->m->netdevs[c->cur];
	int k = 1;
	if (nt > 1 && set_mac(&n->mac, tok[1], c->src))
		k = 2;
	for (int j = k; j + 1 < nt; j++)
		if (!strcmp(tok[j], "permaddr"))
			set_mac(&n->perm_mac, tok[++j], c->src);
	scan_dev_keys(c, tok, nt, k);
	c->kind_ok = true;
}

static bool on_off(const char *s, int64_t *v)
{
	if (!strcmp(s, "on"))
		*v = 1;
	else if (!strcmp(s, "off"))
		*v = 0;
	else
		return false;
	return true;
}

/* Trim leading/trailing blanks in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t l = strlen(s);
	while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
		s[--l] = 0;
	return s;
}

/* "vf N[:] <first clause>[, clause]..." (s points after "vf"). */
static void parse_vf_line(struct ctx *c, char *s)
{
	c->vf_pf = c->vf_i = -1;
	c->want = W_NONE;
	s = trim(s);
	char *e;
	long idx = strtol(s, &e, 10);
	if (e == s || idx < 0 || idx >= 65536) {
		bad(c);
		return;
	}
	if (*e == ':')
		e++;
	if (*e && *e != ' ') {
		bad(c);
		return;
	}
	/* The clauses, split at ", " (a MAC or a GUID has no comma). */
	char *cl[32];
	int ncl = 0;
	char *save = NULL;
	for (char *t = strtok_r(e, ",", &save); t && ncl < 32; t = strtok_r(NULL, ",", &save))
		cl[ncl++] = trim(t);
	if (!ncl) {
		bad(c);
		return;
	}
	/* First clause: "MAC ADDR" (before v5.3) or "link/TYPE ADDR [brd|peer BRD]". */
	char *first[8];
	int nf = tokenize(cl[0], first, 8);
	bool link_form = nf >= 2 && !strncmp(first[0], "link/", 5);
	if (nf < 2 || (!link_form && strcmp(first[0], "MAC"))) {
		bad(c);
		return;
	}
	struct netdev *n = &c->m->netdevs[c->cur];
	if (!VS_KNOWN(n->pci)) {
		c->st->vfs_unplaced++;
		c->want = W_NONE;
		c->vf_pf = -2; /* counters of an unplaced VF: read, dropped */
		return;
	}
	int p = machine_find_pf(c->m, n->pci.v);
	if (p < 0) {
		struct pf *pf = machine_add_pf(c->m, n->pci.v);
		pf->pci.src = (uint8_t)c->src;
		p = (int)c->m->npfs - 1;
	}
	struct pf *pf = &c->m->pfs[p];
	if (!VS_KNOWN(pf->netdev))
		vs_set(&pf->netdev, n->name.v, c->src);
	int vi = -1;
	for (size_t i = 0; i < pf->nvfs; i++)
		if (pf->vfs[i].index == (int)idx)
			vi = (int)i;
	if (vi < 0) {
		if (pf->nvfs >= IPLINK_TEXT_MAX_VFS) {
			bad(c);
			return;
		}
		pf_add_vf(pf, (int)idx);
		vi = (int)pf->nvfs - 1;
	}
	struct vf *v = &pf->vfs[vi];
	int src = c->src;
	set_mac(&v->mac, first[1], src); /* an InfiniBand address stays unknown */
	/* iproute2 prints vlan, qos and tx rate only when not 0 (since v2.6.34,
	 * and the kernel always sends them); min_tx_rate since v3.16, i.e. in
	 * every link/TYPE form. The other settings are printed when the
	 * kernel sends them, so absent stays unknown. */
	vi_set(&v->vlan, 0, src);
	vi_set(&v->qos, 0, src);
	vi_set(&v->max_tx_rate, 0, src);
	if (link_form)
		vi_set(&v->min_tx_rate, 0, src);
	bool vlan_seen = false, qos_seen = false;
	for (int k = 1; k < ncl; k++) {
		char *t = cl[k];
		int64_t b;
		if (!strncmp(t, "vlan protocol ", 14)) {
			if (!strcmp(t + 14, "802.1ad"))
				vi_set(&v->vlan_proto, 0x88a8, src);
			else if (!strcmp(t + 14, "802.1Q"))
				vi_set(&v->vlan_proto, 0x8100, src);
		} else if (!strncmp(t, "vlan ", 5)) {
			if (!vlan_seen) /* a VLAN list: the first, as the JSON reader does */
				set_vi(&v->vlan, t + 5, src);
			vlan_seen = true;
		} else if (!strncmp(t, "qos ", 4)) {
			if (!qos_seen)
				set_vi(&v->qos, t + 4, src);
			qos_seen = true;
		} else if (!strncmp(t, "tx rate ", 8)) {
			char num[24];
			vfs_strlcpy(num, t + 8, sizeof(num));
			num[strcspn(num, " ")] = 0;
			set_vi(&v->max_tx_rate, num, src);
		} else if (!strncmp(t, "max_tx_rate ", 12) || !strncmp(t, "min_tx_rate ", 12)) {
			char num[24];
			vfs_strlcpy(num, t + 12, sizeof(num));
			size_t l = strlen(num);
			if (l > 4 && !strcmp(num + l - 4, "Mbps"))
				num[l - 4] = 0;
			set_vi(t[1] == 'a' ? &v->max_tx_rate : &v->min_tx_rate, num, src);
		} else if (!strncmp(t, "spoof checking ", 15) && on_off(t + 15, &b)) {
			vi_set(&v->spoofchk, b, src);
		} else if (!strncmp(t, "link-state ", 11)) {
			const char *ls = t + 11;
			if (!strcmp(ls, "auto"))
				vi_set(&v->link_state, VF_LINK_AUTO, src);
			else if (!strcmp(ls, "enable"))
				vi_set(&v->link_state, VF_LINK_ENABLE, src);
			else if (!strcmp(ls, "disable"))
				vi_set(&v->link_state, VF_LINK_DISABLE, src);
		} else if (!strncmp(t, "trust ", 6) && on_off(t + 6, &b)) {
			vi_set(&v->trust, b, src);
		} else if (!strncmp(t, "query_rss ", 10) && on_off(t + 10, &b)) {
			vi_set(&v->rss_query, b, src);
		}
		/* NODE_GUID / PORT_GUID (InfiniBand): not in the model */
	}
	c->st->vfs++;
	c->vf_pf = p;
	c->vf_i = vi;
}

/* "RX: bytes packets mcast bcast [dropped]" / "TX: bytes packets [dropped]"
 * after a VF line: remember the columns; any other counters header (the
 * link's own, "RX errors:" under -s -s) only says a line of numbers follows. */
static void parse_stats_header(struct ctx *c, char **tok, int nt)
{
	c->kind_ok = false; /* the kind lines come before the counters */
	bool rx = !strcmp(tok[0], "RX:"), tx = !strcmp(tok[0], "TX:");
	if ((rx || tx) && c->vf_pf != -1) {
		c->ncols = 0;
		for (int k = 1; k < nt && c->ncols < 8; k++)
			vfs_strlcpy(c->cols[c->ncols++], tok[k], sizeof(c->cols[0]));
		c->want = rx ? W_VF_RX : W_VF_TX;
	} else {
		c->want = W_NUMBERS;
	}
}

static void parse_vf_numbers(struct ctx *c, char **tok, int nt)
{
	if (c->vf_pf < 0 || c->ncols != nt)
		return;
	struct vf_stats *s = &c->m->pfs[c->vf_pf].vfs[c->vf_i].stats;
	uint64_t v[8];
	for (int k = 0; k < nt; k++) {
		bool ok;
		v[k] = (uint64_t)parse_num(tok[k], &ok);
		if (!ok)
			return; /* e.g. `ip -h`'s "1.2M": not a count */
	}
	for (int k = 0; k < nt; k++) {
		const char *col = c->cols[k];
		bool rx = c->want == W_VF_RX;
		if (!strcmp(col, "bytes"))
			*(rx ? &s->rx_bytes : &s->tx_bytes) = v[k];
		else if (!strcmp(col, "packets"))
			*(rx ? &s->rx_packets : &s->tx_packets) = v[k];
		else if (!strcmp(col, "mcast") && rx)
			s->multicast = v[k];
		else if (!strcmp(col, "bcast") && rx)
			s->broadcast = v[k];
		else if (!strcmp(col, "dropped"))
			*(rx ? &s->rx_dropped : &s->tx_dropped) = v[k];
	}
	s->src = (uint8_t)c->src;
}

/* "    bond mode active-backup active_slave eth2 miimon 100 ..." */
static void parse_bond(struct ctx *c, char **tok, int nt)
{
	struct netdev *n = &c->m->netdevs[c->cur];
	struct team *t = team_for(c, n->name.v, TEAM_BONDING);
	if (!t)
		return;
	int src = c->src;
	for (int k = 1; k + 1 < nt; k++) {
		const char *key = tok[k], *val = tok[k + 1];
		struct vs *s = !strcmp(key, "mode") ? &t->mode : !strcmp(key, "active_slave") ? &t->active :
			       !strcmp(key, "primary") ? &t->primary : !strcmp(key, "fail_over_mac") ? &t->fail_over_mac :
			       !strcmp(key, "xmit_hash_policy") ? &t->xmit_hash_policy :
			       !strcmp(key, "lacp_rate") ? &t->lacp_rate : !strcmp(key, "ad_select") ? &t->ad_select :
			       !strcmp(key, "arp_validate") ? &t->arp_validate :
			       !strcmp(key, "arp_ip_target") ? &t->arp_ip_target : NULL;
		struct vi *i = !strcmp(key, "miimon") ? &t->miimon : !strcmp(key, "updelay") ? &t->updelay :
			       !strcmp(key, "downdelay") ? &t->downdelay :
			       !strcmp(key, "arp_interval") ? &t->arp_interval : NULL;
		if (s) {
			set_vs(s, val, src);
			k++;
		} else if (i) {
			set_vi(i, val, src);
			k++;
		}
	}
	if (VS_KNOWN(n->mac))
		vs_set(&t->mac, n->mac.v, src);
}

/* "    bond_slave state ACTIVE mii_status UP link_failure_count 0 perm_hwaddr ..." */
static void parse_slave(struct ctx *c, char **tok, int nt, int driver)
{
	if (!c->master[0])
		return;
	struct team *t = team_for(c, c->master, driver);
	struct member *mb = t ? member_for(c, t, c->m->netdevs[c->cur].name.v) : NULL;
	if (!mb || driver != TEAM_BONDING)
		return;
	int src = c->src;
	for (int k = 1; k + 1 < nt; k++) {
		const char *key = tok[k], *val = tok[k + 1];
		if (!strcmp(key, "state"))
			set_lower(&mb->state, val, src, false);
		else if (!strcmp(key, "mii_status"))
			set_lower(&mb->mii_status, val, src, true);
		else if (!strcmp(key, "link_failure_count"))
			set_vi(&mb->link_failures, val, src);
		else if (!strcmp(key, "perm_hwaddr"))
			set_mac(&mb->perm_mac, val, src);
		else if (!strcmp(key, "queue_id"))
			set_vi(&mb->queue_id, val, src);
		else
			continue;
		k++;
	}
}

static bool is_kind_word(const char *s)
{
	size_t l = strlen(s);
	return l && l < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == l;
}

/* One indented line of the current block. */
static void parse_detail(struct ctx *c, char *line)
{
	char copy[LINE_MAX_LEN];
	vfs_strlcpy(copy, line, sizeof(copy));
	char *tok[MAX_TOK];
	int nt = tokenize(line, tok, MAX_TOK);
	if (!nt)
		return;
	enum want want = c->want;
	c->want = W_NONE;
	bool numbers = true;
	for (int k = 0; k < nt && numbers; k++)
		numbers = is_number(tok[k]);
	if (numbers) {
		if (want == W_VF_RX || want == W_VF_TX) {
			c->want = want;
			parse_vf_numbers(c, tok, nt);
			c->want = W_NONE;
		} else if (want != W_NUMBERS) {
			bad(c);
		}
		return;
	}
	if (!strcmp(tok[0], "RX:") || !strcmp(tok[0], "TX:") ||
	    ((!strcmp(tok[0], "RX") || !strcmp(tok[0], "TX")) && nt > 1 && !strcmp(tok[1], "errors:"))) {
		parse_stats_header(c, tok, nt);
		return;
	}
	if (!strncmp(tok[0], "link/", 5)) {
		parse_link_line(c, tok, nt);
		return;
	}
	if (!strcmp(tok[0], "vf")) {
		c->kind_ok = false;
		parse_vf_line(c, strstr(copy, "vf") + 2);
		return;
	}
	if (!strcmp(tok[0], "alias")) {
		c->kind_ok = false;
		char *a = trim(strstr(copy, "alias") + 5);
		if (*a)
			set_vs(&c->m->netdevs[c->cur].ifalias, a, c->src);
		return;
	}
	if (!strcmp(tok[0], "altname") || !strcmp(tok[0], "inet") || !strcmp(tok[0], "inet6") ||
	    !strcmp(tok[0], "valid_lft") || !strncmp(tok[0], "prog/", 5) || !strncmp(tok[0], "xdp", 3))
		return;
	if (!strcmp(tok[0], "bond_slave") || !strcmp(tok[0], "team_slave")) {
		parse_slave(c, tok, nt, tok[0][0] == 'b' ? TEAM_BONDING : TEAM_TEAMD);
		scan_dev_keys(c, tok, nt, 1);
		c->kind_ok = false;
		return;
	}
	size_t l = strlen(tok[0]);
	if (l > 6 && !strcmp(tok[0] + l - 6, "_slave")) { /* bridge_slave, ...: not a team */
		scan_dev_keys(c, tok, nt, 1);
		c->kind_ok = false;
		return;
	}
	if (c->kind_ok && is_kind_word(tok[0])) {
		struct netdev *n = &c->m->netdevs[c->cur];
		set_vs(&n->kind, tok[0], c->src);
		if (!strcmp(tok[0], "bond"))
			parse_bond(c, tok, nt);
		else if (!strcmp(tok[0], "team"))
			team_for(c, n->name.v, TEAM_TEAMD);
		scan_dev_keys(c, tok, nt, 1);
		c->kind_ok = false; /* a slave kind line may follow; no second kind */
		return;
	}
	bad(c);
}

static void parse_line(struct ctx *c, char *line)
{
	if (!*line)
		return;
	if (line[0] != ' ' && line[0] != '\t') {
		char copy[LINE_MAX_LEN];
		vfs_strlcpy(copy, line, sizeof(copy));
		if (parse_header(c, copy))
			return;
		end_block(c);
		if (!strncmp(line, "Truncated VF list:", 18))
			c->st->truncated_vfs = true;
		else
			bad(c);
		return;
	}
	if (c->cur < 0) {
		if (!c->skip)
			bad(c);
		return;
	}
	parse_detail(c, line);
}

int iplink_text_parse(struct machine *m, const char *text, size_t len, int src, struct iplink_text_stats *st)
{
	struct iplink_text_stats dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	struct ctx c = { .m = m, .src = src, .st = st, .cur = -1, .vf_pf = -1, .vf_i = -1 };
	char *line = vfs_xcalloc(1, LINE_MAX_LEN);
	bool any = false;
	size_t pos = 0;
	const char *l;
	size_t raw;
	while (vfs_next_line(text, len, &pos, &l, &raw)) {
		size_t ll = vfs_line_copy(line, LINE_MAX_LEN, l, raw);
		c.lineno++;
		if (ll && line[ll - 1] == '\r')
			line[--ll] = 0;
		for (size_t k = 0; k < ll; k++)
			if (line[k] != ' ' && line[k] != '\t')
				any = true;
		/* `ip -o`: "N: NAME: <...> ...\    link/ether ...\    vf 0 ..." */
		char *bs = isdigit((unsigned char)line[0]) ? strchr(line, '\\') : NULL;
		if (!bs) {
			parse_line(&c, line);
			continue;
		}
		char *seg = line;
		while (seg) {
			char *next = strchr(seg, '\\');
			if (next)
				*next++ = 0;
			parse_line(&c, seg);
			seg = next;
		}
	}
	end_block(&c);
	free(line);
	if (!st->links && any)
		return -EBADMSG;
	return st->links;
}
