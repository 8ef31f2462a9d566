#include "decoders/lspci_text.h"
#include "decoders/pcicap.h"
#include "lib/util.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_SIZE 16384 /* > 2 * LSPCI_MAX_DEVS: open addressing never fills */

enum block { BLK_NONE, BLK_SRIOV, BLK_EXPRESS };

struct parser {
	struct lspci_file *f;
	struct lspci_dev *dev;  /* device the current line belongs to, NULL none */
	enum block blk;
	bool pages_seen, ari_seen; /* in the current device's SR-IOV block / text */
	bool sta_marked_speed, sta_marked_width;
	int32_t *hash;          /* device index + 1, 0 empty */
	size_t lineno;
};

static void warn(struct parser *p, const char *what, const char *line)
{
	if (!p->f->nwarn++) {
		char q[81];
		snprintf(q, sizeof(q), "%.80s", line);
		char clean[4 * sizeof(q)];
		vfs_sanitize(clean, sizeof(clean), q); /* the input may be anything: it ends up on a terminal */
		snprintf(p->f->warn, sizeof(p->f->warn), "line %zu: %s: %s", p->lineno, what, clean);
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* n hex digits exactly at s. */
static bool hexn(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return true;
}

/* [DDDD:|DDDDD:]BB:DD.F at the start of s, followed by a blank or the end
 * (libpci's dump reader takes the same three forms). Returns the length. */
static size_t parse_addr(const char *s, char out[16])
{
	unsigned dom = 0, bus, dev, fn;
	size_t o = 0;
	size_t nd = 0;
	while (nd < 6 && hexval((unsigned char)s[nd]) >= 0)
		nd++;
	if ((nd == 4 || nd == 5) && s[nd] == ':') {
		if (!hexn(s, (int)nd, &dom))
			return 0;
		o = nd + 1;
	} else if (nd != 2) {
		return 0;
	}
	if (!hexn(s + o, 2, &bus) || s[o + 2] != ':' || !hexn(s + o + 3, 2, &dev) || s[o + 5] != '.' ||
	    s[o + 6] < '0' || s[o + 6] > '7')
		return 0;
	fn = (unsigned)(s[o + 6] - '0');
	o += 7;
	if (s[o] && s[o] != ' ' && s[o] != '\t')
		return 0;
	if (dev > 0x1f)
		return 0;
	snprintf(out, 16, "%04x:%02x:%02x.%u", dom & 0xfffff, bus, dev, fn);
	return o;
}

static uint32_t addr_hash(const char *a)
{
	uint32_t h = 2166136261u;
	for (; *a; a++)
		h = (h ^ (uint8_t)*a) * 16777619u;
	return h;
}

static void sriov_text_init(struct sriov_cap *c)
{
	memset(c, 0, sizeof(*c));
	c->link_speed_gts10 = c->link_width = -1;
	c->link_cap_speed_gts10 = c->link_cap_width = -1;
	c->from_text = true;
	c->unknown = SRIOV_UNK_ARI;
}

static struct lspci_dev *get_dev(struct parser *p, const char *addr, bool *fresh)
{
	struct lspci_file *f = p->f;
	uint32_t h = addr_hash(addr) % HASH_SIZE;
	while (p->hash[h]) {
		struct lspci_dev *d = &f->devs[p->hash[h] - 1];
		if (!strcmp(d->addr, addr)) {
			*fresh = false;
			return d;
		}
		h = (h + 1) % HASH_SIZE;
	}
	if (f->ndevs >= LSPCI_MAX_DEVS)
		return NULL;
	VFS_PUSH(f->devs, f->ndevs, f->cap_devs);
	struct lspci_dev *d = &f->devs[f->ndevs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->line = p->lineno;
	sriov_text_init(&d->text);
	p->hash[h] = (int32_t)f->ndevs;
	*fresh = true;
	return d;
}

/* The header's vendor:device: "[8086:10c9]" (-nn, the last such bracket),
 * else a bare "8086:10c9" word (-n, or "Device 8086:10c9" without pci.ids). */
static void header_ids(struct lspci_dev *d, const char *rest)
{
	unsigned v, dv;
	const char *found = NULL;
	for (const char *s = strchr(rest, '['); s; s = strchr(s + 1, '['))
		if (hexn(s + 1, 4, &v) && s[5] == ':' && hexn(s + 6, 4, &dv) && s[10] == ']')
			found = s + 1;
	if (!found) {
		for (const char *s = rest; *s; s++) {
			if (s != rest && s[-1] != ' ')
				continue;
			if (hexn(s, 4, &v) && s[4] == ':' && hexn(s + 5, 4, &dv) &&
			    (!s[9] || s[9] == ' ' || s[9] == '(')) {
				found = s;
				break;
			}
		}
	}
	if (found && hexn(found, 4, &v) && hexn(found + 5, 4, &dv)) {
		d->ids_known = true;
		d->vendor = (uint16_t)v;
		d->device = (uint16_t)dv;
	}
}

static void finish_dev(struct parser *p)
{
	struct lspci_dev *d = p->dev;
	p->dev = NULL;
	p->blk = BLK_NONE;
	if (!d)
		return;
	struct sriov_cap *c = &d->text;
	/* ARI is known absent only when the text shows the extended
	 * capabilities in full (not cut, not denied). */
	if (p->ari_seen) {
		c->ari_present = true;
		c->unknown &= ~(uint32_t)SRIOV_UNK_ARI;
	} else if (d->ext_caps_seen && !d->elided && !d->access_denied) {
		c->unknown &= ~(uint32_t)SRIOV_UNK_ARI;
	}
	/* Unmarked LnkSta (lspci before 2018 marked nothing; since 2022 an
	 * equal value is unmarked): compare with LnkCap as lspci does. */
	bool cmp = c->link_cap_known && c->exp_type_known;
	if (!p->sta_marked_speed && cmp && c->link_speed_gts10 >= 0 && c->link_cap_speed_gts10 >= 0)
		c->link_speed_cmp = pcicap_link_cmp(c->exp_type, c->link_speed_gts10, c->link_cap_speed_gts10);
	if (!p->sta_marked_width && cmp && c->link_width >= 0)
		c->link_width_cmp = pcicap_link_cmp(c->exp_type, c->link_width, c->link_cap_width);
	p->ari_seen = p->pages_seen = p->sta_marked_speed = p->sta_marked_width = false;
}

/* ---- hex dump lines: "OFF: xx xx ..." ---------------------------------- */

static bool is_hex_line(const char *l)
{
	size_t n = 0;
	while (n < 9 && hexval((unsigned char)l[n]) >= 0)
		n++;
	return n >= 2 && n <= 8 && l[n] == ':' && (l[n + 1] == ' ' || !l[n + 1]);
}

static void hex_line(struct parser *p, const char *l)
{
	struct lspci_dev *d = p->dev;
	char *end;
	unsigned long off = strtoul(l, &end, 16);
	const char *s = end + 1;
	p->f->hex_lines++;
	while (*s == ' ') {
		unsigned b;
		if (!hexn(s + 1, 2, &b) || (s[3] && s[3] != ' '))
			break;
		if (off >= 4096) {
			warn(p, "hex dump beyond 4096 bytes of config space", l);
			return;
		}
		if (!d->cfg || off >= d->cfg_alloc) {
			size_t na = off < 256 ? 256 : 4096;
			uint8_t *n = vfs_xrealloc(d->cfg, na, 1);
			memset(n + d->cfg_alloc, 0xff, na - d->cfg_alloc);
			d->cfg = n;
			d->cfg_alloc = na;
		}
		d->cfg[off++] = (uint8_t)b;
		if (off > d->cfg_len)
			d->cfg_len = off;
		s += 3;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		warn(p, "malformed hex dump line", l);
}

/* ---- text lines ---------------------------------------------------------- */

static bool starts(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* lspci's FLAG(): "Name+" / "Name-" as a word of the line; -1 absent. */
static int flag(const char *l, const char *name)
{
	size_t n = strlen(name);
	for (const char *s = strstr(l, name); s; s = strstr(s + 1, name)) {
		if (s != l && s[-1] != ' ' && s[-1] != '\t' && s[-1] != ',')
			continue;
		if (s[n] == '+')
			return 1;
		if (s[n] == '-')
			return 0;
	}
	return -1;
}

/* The number after `key` ("Total VFs: 8"), base 10 or 16, at most max. */
static bool num_after(const char *l, const char *key, int base, unsigned long max, unsigned long *out)
{
	const char *s = strstr(l, key);
	if (!s)
		return false;
	s += strlen(key);
	while (*s == ' ' || *s == '\t')
		s++;
	if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return false;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, base);
	if (errno || v > max || end - s > 16)
		return false;
	*out = v;
	return true;
}

/* "2.5GT/s", "16GT/s", older "2.5Gb/s"; "unknown" is -1 (known to be unnamed). */
static bool parse_speed(const char *s, int *gts10, const char **end)
{
	if (starts(s, "unknown")) {
		*gts10 = -1;
		*end = s + 7;
		return true;
	}
	int whole = 0, frac = 0, nd = 0;
	while (isdigit((unsigned char)*s) && nd++ < 4)
		whole = whole * 10 + (*s++ - '0');
	if (!nd)
		return false;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		frac = *s++ - '0';
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (!starts(s, "GT/s") && !starts(s, "Gb/s"))
		return false;
	*gts10 = whole * 10 + frac;
	*end = s + 4;
	return true;
}

static uint8_t parse_mark(const char *s, bool *marked)
{
	*marked = true;
	if (starts(s, " (downgraded)"))
		return SRIOV_LINK_DOWNGRADED;
	if (starts(s, " (ok)"))
		return SRIOV_LINK_SAME;
	if (starts(s, " (overdriven)") || starts(s, " (strange)"))
		return SRIOV_LINK_OVERDRIVEN;
	*marked = false;
	return SRIOV_LINK_UNKNOWN;
}

/* "Speed 2.5GT/s (downgraded), Width x1 (ok)" (LnkSta) or the LnkCap form. */
static bool parse_link(struct parser *p, const char *l, bool sta)
{
	struct sriov_cap *c = &p->dev->text;
	const char *s = strstr(l, "Speed "), *e;
	int sp, w = -1;
	if (!s || !parse_speed(s + 6, &sp, &e))
		return false;
	bool ms = false, mw = false;
	uint8_t cs = sta ? parse_mark(e, &ms) : 0;
	const char *ws = strstr(e, "Width x");
	unsigned long wv;
	if (!ws || !num_after(ws, "Width x", 10, 63, &wv))
		return false;
	w = (int)wv;
	const char *we = ws + 7;
	while (isdigit((unsigned char)*we))
		we++;
	uint8_t cw = sta ? parse_mark(we, &mw) : 0;
	if (sta) {
		c->link_speed_gts10 = sp;
		c->link_width = w;
		if (ms) {
			c->link_speed_cmp = cs;
			p->sta_marked_speed = true;
		}
		if (mw) {
			c->link_width_cmp = cw;
			p->sta_marked_width = true;
		}
	} else {
		c->link_cap_known = true;
		c->link_cap_speed_gts10 = sp;
		c->link_cap_width = w;
	}
	return true;
}

static void express_header(struct lspci_dev *d, const char *name)
{
	static const struct { const char *name; uint8_t type; } types[] = {
		{ "Endpoint", PCI_EXP_ENDPOINT }, { "Legacy Endpoint", PCI_EXP_LEG_END },
		{ "Root Port", PCI_EXP_ROOT_PORT }, { "Upstream Port", PCI_EXP_UPSTREAM },
		{ "Downstream Port", PCI_EXP_DOWNSTREAM }, { "PCI-Express to PCI/PCI-X Bridge", PCI_EXP_PCI_BRIDGE },
		{ "PCI/PCI-X to PCI-Express Bridge", PCI_EXP_PCIE_BRIDGE },
		{ "Root Complex Integrated Endpoint", PCI_EXP_ROOT_INT_EP },
		{ "Root Complex Event Collector", PCI_EXP_ROOT_EC },
	};
	d->express_text = true;
	if (starts(name, "(v")) { /* -vv: "(v2) " */
		const char *e = strchr(name, ')');
		if (!e)
			return;
		name = e + 1;
		while (*name == ' ')
			name++;
	}
	unsigned long t;
	if (num_after(name, "Unknown type", 10, 15, &t)) {
		d->text.exp_type_known = true;
		d->text.exp_type = (uint8_t)t;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (starts(name, types[i].name)) {
			d->text.exp_type_known = true;
			d->text.exp_type = types[i].type;
			return;
		}
}

static void capability_header(struct parser *p, const char *l)
{
	struct lspci_dev *d = p->dev;
	p->blk = BLK_NONE;
	const char *s = l + strlen("Capabilities:");
	while (*s == ' ' || *s == '\t')
		s++;
	if (starts(s, "<access denied>")) {
		d->access_denied = true;
		return;
	}
	if (*s != '[')
		return;
	char *end;
	unsigned long off = strtoul(s + 1, &end, 16);
	if (end == s + 1 || (*end != ']' && *end != ' '))
		return;
	const char *name = strchr(end, ']');
	if (!name)
		return;
	name++;
	while (*name == ' ')
		name++;
	if (off >= 0x100)
		d->ext_caps_seen = true;
	if (starts(name, "Single Root I/O Virtualization (SR-IOV)")) {
		struct sriov_cap *c = &d->text;
		p->f->sriov_blocks++;
		d->sriov_text = true;
		c->present = true;
		c->offset = (uint16_t)(off & 0xfff);
		/* Everything is unknown until its line is read; the ARI
		 * Capable Hierarchy Preserved bit lspci never prints. */
		c->unknown |= SRIOV_UNK_CAPS | SRIOV_UNK_ARIP | SRIOV_UNK_10BIT | SRIOV_UNK_CTRL | SRIOV_UNK_STATUS |
			      SRIOV_UNK_COUNTS | SRIOV_UNK_ROUTING | SRIOV_UNK_PAGES | SRIOV_UNK_BARS | SRIOV_UNK_IMN;
		memset(c->vf_bar, 0, sizeof(c->vf_bar));
		p->blk = BLK_SRIOV;
		p->pages_seen = false;
	} else if (starts(name, "Alternative Routing-ID Interpretation (ARI)")) {
		p->ari_seen = true;
	} else if (starts(name, "Express ")) {
		express_header(d, name + 8);
		p->blk = BLK_EXPRESS;
	}
}

static void sriov_line(struct parser *p, const char *l)
{
	struct sriov_cap *c = &p->dev->text;
	unsigned long a, b, n, x;
	if (starts(l, "IOVCap:")) {
		int mig = flag(l, "Migration"), tag = flag(l, "10BitTagReq");
		if (mig < 0) {
			warn(p, "IOVCap without Migration+/-", l);
			return;
		}
		c->caps = (uint32_t)mig | (tag > 0 ? 4u : 0);
		c->unknown &= ~(uint32_t)SRIOV_UNK_CAPS;
		if (tag >= 0)
			c->unknown &= ~(uint32_t)SRIOV_UNK_10BIT;
		/* "Interrupt Message Number: 000" (hex, to 2023), "IntMsgNum 0". */
		if (num_after(l, "Interrupt Message Number:", 16, 0x7ff, &n) || num_after(l, "IntMsgNum", 10, 0x7ff, &n)) {
			c->caps |= (uint32_t)n << 21;
			c->unknown &= ~(uint32_t)SRIOV_UNK_IMN;
		}
	} else if (starts(l, "IOVCtl:")) {
		static const char *const names[] = { "Enable", "Migration", "Interrupt", "MSE", "ARIHierarchy" };
		uint16_t v = 0;
		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			int fl = flag(l, names[i]);
			if (fl < 0) {
				warn(p, "IOVCtl without one of its flags", l);
				return;
			}
			v |= (uint16_t)(fl << i);
		}
		int tag = flag(l, "10BitTagReq");
		if (tag > 0)
			v |= 32;
		/* 10BitTagReq came with lspci 3.8; IOVCap says whether it was read. */
		if (tag < 0)
			c->unknown |= SRIOV_UNK_10BIT;
		c->ctrl = v;
		c->unknown &= ~(uint32_t)SRIOV_UNK_CTRL;
	} else if (starts(l, "IOVSta:")) {
		int mig = flag(l, "Migration");
		if (mig < 0) {
			warn(p, "IOVSta without Migration+/-", l);
			return;
		}
		c->status = (uint16_t)mig;
		c->unknown &= ~(uint32_t)SRIOV_UNK_STATUS;
	} else if (starts(l, "Initial VFs:")) {
		if (num_after(l, "Initial VFs:", 10, 0xffff, &a) && num_after(l, "Total VFs:", 10, 0xffff, &b) &&
		    num_after(l, "Number of VFs:", 10, 0xffff, &n) &&
		    num_after(l, "Function Dependency Link:", 16, 0xff, &x)) {
			c->initial_vfs = (uint16_t)a;
			c->total_vfs = (uint16_t)b;
			c->num_vfs = (uint16_t)n;
			c->func_dep_link = (uint8_t)x;
			c->unknown &= ~(uint32_t)SRIOV_UNK_COUNTS;
		} else {
			warn(p, "VF counts line not as lspci prints it", l);
		}
	} else if (starts(l, "VF offset:")) {
		if (num_after(l, "VF offset:", 10, 0xffff, &a) && num_after(l, "stride:", 10, 0xffff, &b) &&
		    num_after(l, "Device ID:", 16, 0xffff, &n)) {
			c->first_vf_offset = (uint16_t)a;
			c->vf_stride = (uint16_t)b;
			c->vf_device = (uint16_t)n;
			c->unknown &= ~(uint32_t)SRIOV_UNK_ROUTING;
		} else {
			warn(p, "VF offset line not as lspci prints it", l);
		}
	} else if (starts(l, "Supported Page Size:")) {
		if (num_after(l, "Supported Page Size:", 16, 0xffffffffUL, &a) &&
		    num_after(l, "System Page Size:", 16, 0xffffffffUL, &b)) {
			c->supported_page_sizes = (uint32_t)a;
			c->system_page_size = (uint32_t)b;
			c->unknown &= ~(uint32_t)SRIOV_UNK_PAGES;
			p->pages_seen = true;
		} else {
			warn(p, "page size line not as lspci prints it", l);
		}
	} else if (starts(l, "Region ")) {
		/* "Region 0: Memory at 00000000fe200000 (64-bit, prefetchable)".
		 * lspci prints a 64-bit pair as 16 digits (upper register
		 * first); its BAR types "below 1M" and 64-bit both print as
		 * "64-bit", and a VF BAR below 1M does not occur, so 64-bit
		 * is read as a pair. */
		unsigned long i;
		const char *s = strstr(l, "Memory at ");
		if (!num_after(l, "Region", 10, 5, &i) || !s) {
			warn(p, "VF region line not as lspci prints it", l);
			return;
		}
		s += strlen("Memory at ");
		uint64_t addr = 0;
		int nd = 0;
		for (; hexval((unsigned char)*s) >= 0 && nd < 17; s++, nd++)
			addr = addr << 4 | (unsigned)hexval((unsigned char)*s);
		bool is64 = strstr(s, "(64-bit") != NULL, is32 = strstr(s, "(32-bit") != NULL;
		bool pf = strstr(s, ", prefetchable)") != NULL, npf = strstr(s, "non-prefetchable)") != NULL;
		if (!nd || nd > 16 || *s != ' ' || is64 == is32 || pf == npf || (is32 && addr > 0xffffffffu)) {
			warn(p, "VF region line not as lspci prints it", l);
			return;
		}
		c->vf_bar[i] = (uint32_t)(addr & ~0xfULL) | (is64 ? 4u : 0) | (pf ? 8u : 0);
		if (is64 && i + 1 < 6)
			c->vf_bar[i + 1] = (uint32_t)(addr >> 32);
	} else if (starts(l, "VF Migration:")) {
		if (num_after(l, "offset:", 16, 0xffffffffUL, &a) && num_after(l, "BIR:", 16, 7, &b)) {
			c->vf_migration_known = true;
			c->vf_migration = ((uint32_t)a & ~7u) | (uint32_t)b;
		}
		/* The BAR lines sit between the page sizes and this line:
		 * seeing both, the BARs not printed are zero. */
		if (p->pages_seen)
			c->unknown &= ~(uint32_t)SRIOV_UNK_BARS;
	}
}

static void text_line(struct parser *p, const char *l)
{
	struct lspci_dev *d = p->dev;
	p->f->text_lines++;
	if (starts(l, "...")) {
		d->elided = true;
		return;
	}
	if (starts(l, "Capabilities:")) {
		capability_header(p, l);
		return;
	}
	if (starts(l, "Kernel driver in use:")) {
		const char *s = l + strlen("Kernel driver in use:");
		while (*s == ' ' || *s == '\t')
			s++;
		size_t n = 0;
		while (n + 1 < sizeof(d->driver) && (isalnum((unsigned char)s[n]) || strchr("_-.", s[n])))
			n++;
		if (n) {
			memcpy(d->driver, s, n);
			d->driver[n] = 0;
		}
		p->blk = BLK_NONE;
		return;
	}
	if (p->blk == BLK_SRIOV)
		sriov_line(p, l);
	else if (p->blk == BLK_EXPRESS && (starts(l, "LnkCap:") || starts(l, "LnkSta:")))
		if (!parse_link(p, l, l[3] == 'S'))
			warn(p, "link line not as lspci prints it", l);
}

static void one_line(struct parser *p, char *l)
{
	if (!*l) { /* a blank line ends the device, in dumps and text alike */
		finish_dev(p);
		return;
	}
	char addr[16];
	size_t al;
	if (l[0] != ' ' && l[0] != '\t' && (al = parse_addr(l, addr)) != 0) {
		finish_dev(p);
		bool fresh;
		struct lspci_dev *d = get_dev(p, addr, &fresh);
		if (!d) {
			p->f->truncated = true;
			return;
		}
		(void)fresh; /* the same device again (a -vv listing and a -xxxx
			      * dump in one file) adds to what it had */
		if (!d->ids_known)
			header_ids(d, l + al);
		p->dev = d;
		return;
	}
	if (!p->dev)
		return; /* prompt lines, lspci -t trees, anything before a device */
	if (l[0] != ' ' && l[0] != '\t' && is_hex_line(l)) {
		hex_line(p, l);
		return;
	}
	/* Text: indented by tabs or spaces (or not at all, when a web page
	 * or mail ate the indentation). */
	while (*l == ' ' || *l == '\t')
		l++;
	/* A line of blanks is not lspci's separator (an empty line is);
	 * pasted text has them, and libpci's reader ignores them too. */
	if (*l)
		text_line(p, l);
}

int lspci_parse(const char *buf, size_t len, struct lspci_file *out)
{
	memset(out, 0, sizeof(*out));
	struct parser p = { .f = out };
	p.hash = vfs_xcalloc(HASH_SIZE, sizeof(*p.hash));
	char *line = vfs_xcalloc(1, LSPCI_MAX_LINE + 1);
	size_t pos = 0;
	while (pos < len) {
		if (out->lines >= LSPCI_MAX_LINES) {
			out->truncated = true;
			break;
		}
		const char *s = buf + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		p.lineno = ++out->lines;
		size_t c = n < LSPCI_MAX_LINE ? n : LSPCI_MAX_LINE;
		memcpy(line, s, c);
		line[c] = 0;
		if (c && line[c - 1] == '\r')
			line[--c] = 0;
		if (n > LSPCI_MAX_LINE)
			warn(&p, "line longer than 4096 bytes, read in part", line);
		if (strlen(line) != c) /* a NUL in the line: read up to it */
			warn(&p, "NUL byte in line", line);
		one_line(&p, line);
	}
	finish_dev(&p);
	free(p.hash);
	free(line);
	return out->truncated ? -E2BIG : 0;
}

void lspci_file_free(struct lspci_file *f)
{
	for (size_t i = 0; i < f->ndevs; i++)
		free(f->devs[i].cfg);
	free(f->devs);
	memset(f, 0, sizeof(*f));
}

int lspci_dev_cap(const struct lspci_dev *d, struct sriov_cap *out)
{
	bool have_hex = d->cfg && d->cfg_len;
	struct sriov_cap hex;
	int r = -ENOENT;
	if (have_hex) {
		r = sriov_cap_decode(d->cfg, d->cfg_len, &hex);
		/* Config bytes are the better witness when they hold the
		 * answer (found, or a full walk without it); a short or broken
		 * dump gives way to an SR-IOV block in the text. */
		if (r == 0 || r == -ENOENT || !d->sriov_text) {
			*out = hex;
			return r;
		}
	}
	*out = d->text;
	if (!d->sriov_text)
		return -ENOENT;
	/* A short dump (-xxx) still carries the PCIe link. */
	if (have_hex && out->link_width < 0 && hex.link_width >= 0) {
		out->exp_type_known = hex.exp_type_known;
		out->exp_type = hex.exp_type;
		out->link_cap_known = hex.link_cap_known;
		out->link_cap_speed_gts10 = hex.link_cap_speed_gts10;
		out->link_cap_width = hex.link_cap_width;
		out->link_speed_gts10 = hex.link_speed_gts10;
		out->link_width = hex.link_width;
		out->link_speed_cmp = hex.link_speed_cmp;
		out->link_width_cmp = hex.link_width_cmp;
	}
	return 0;
}
