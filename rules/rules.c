/* Findings: building them, JSON output, VFSCOPE_DISABLE_RULES, and
 * rules_run (every registered rule, rules/registry.c; sorted by severity). */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *severity_name(int sev)
{
	switch (sev) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	case SEV_INFO: return "info";
	}
	return "unknown";
}

int severity_parse(const char *s)
{
	if (!s)
		return 0;
	if (!strcmp(s, "error"))
		return SEV_ERROR;
	if (!strcmp(s, "warning") || !strcmp(s, "warn"))
		return SEV_WARNING;
	if (!strcmp(s, "info"))
		return SEV_INFO;
	return 0;
}

static char *vfmt(const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	return vfs_sanitize_dup(buf);
}

struct finding *finding_add(struct findings *out, const char *id, int sev, const char *title)
{
	VFS_PUSH(out->v, out->n, out->cap);
	struct finding *f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->severity = sev;
	f->title = vfs_sanitize_dup(title);
	return f;
}

struct finding *rule_add(struct findings *out, const struct rule *r, int sev)
{
	return finding_add(out, r->info.id, sev, r->info.title);
}

void finding_title(struct finding *f, const char *title)
{
	free(f->title);
	f->title = vfs_sanitize_dup(title);
}

void finding_subject(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(f->subject);
	f->subject = vfmt(fmt, ap);
	va_end(ap);
}

void finding_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(f->fix);
	f->fix = vfmt(fmt, ap);
	va_end(ap);
}

void finding_ev(struct finding *f, int src, const char *what, const char *fmt, ...)
{
	if (f->nev >= 64)
		return;
	va_list ap;
	va_start(ap, fmt);
	VFS_PUSH(f->ev, f->nev, f->cap_ev);
	struct evidence *e = &f->ev[f->nev++];
	e->what = vfs_sanitize_dup(what);
	e->value = vfmt(fmt, ap);
	e->src = src;
	va_end(ap);
}

void finding_ev_vi(struct finding *f, const char *what, const struct vi *v)
{
	if (VI_KNOWN(*v))
		finding_ev(f, v->src, what, "%lld", (long long)v->v);
	else
		finding_ev(f, SRC_NONE, what, "unknown");
}

void finding_ev_vs(struct finding *f, const char *what, const struct vs *v)
{
	if (VS_KNOWN(*v))
		finding_ev(f, v->src, what, "%s", v->v);
	else
		finding_ev(f, SRC_NONE, what, "unknown");
}

void finding_kmsg_line(struct finding *f, const struct kmsg_line *k)
{
	if (f->nkmsg >= 32 || !k->text)
		return;
	for (size_t i = 0; i < f->nkmsg; i++) /* same line via two routes */
		if (strstr(f->kmsg[i], k->text))
			return;
	char buf[600];
	snprintf(buf, sizeof(buf), "[%5llu.%06llu] %s", (unsigned long long)(k->ts_us / 1000000),
		 (unsigned long long)(k->ts_us % 1000000), k->text);
	VFS_PUSH(f->kmsg, f->nkmsg, f->cap_kmsg);
	f->kmsg[f->nkmsg++] = vfs_sanitize_dup(buf);
}

int finding_kmsg(struct finding *f, const struct machine *m, unsigned cls, const char *pf_pci, int vf,
		 const char *ifname)
{
	int n = 0;
	for (size_t i = 0; m && i < m->nkmsg; i++) {
		struct kmsg_info ki;
		if (!(kmsg_classify(m->kmsg[i].text, &ki) & cls))
			continue;
		bool hit = ifname && kmsg_mentions(m->kmsg[i].text, ifname);
		if (!hit && pf_pci && ki.pci[0] && !strcmp(ki.pci, pf_pci) && (vf < 0 || ki.vf < 0 || ki.vf == vf))
			hit = true;
		if (!hit && !ifname && !pf_pci)
			hit = true;
		if (hit) {
			finding_kmsg_line(f, &m->kmsg[i]);
			n++;
		}
	}
	return n;
}

void finding_free(struct finding *f)
{
	free(f->title);
	free(f->subject);
	free(f->fix);
	for (size_t i = 0; i < f->nev; i++) {
		free(f->ev[i].what);
		free(f->ev[i].value);
	}
	free(f->ev);
	for (size_t i = 0; i < f->nkmsg; i++)
		free(f->kmsg[i]);
	free(f->kmsg);
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

size_t findings_count(const struct findings *f, int min_sev)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].severity >= min_sev)
			n++;
	return n;
}

json_t *findings_to_json(const struct findings *f)
{
	json_t *a = json_array();
	int cnt[4] = { 0 };
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		if (x->severity >= 1 && x->severity <= 3)
			cnt[x->severity]++;
		json_t *ev = json_array();
		for (size_t k = 0; k < x->nev; k++)
			json_array_append_new(ev, json_pack("{s:s, s:s, s:s}", "what", x->ev[k].what, "value",
							    x->ev[k].value, "source", vfs_src_name(x->ev[k].src)));
		json_t *km = json_array();
		for (size_t k = 0; k < x->nkmsg; k++)
			json_array_append_new(km, json_string(x->kmsg[k]));
		json_t *o = json_pack("{s:s, s:s, s:s}", "id", x->id, "severity", severity_name(x->severity), "title",
				      x->title ? x->title : "");
		json_object_set_new(o, "subject", x->subject ? json_string(x->subject) : json_null());
		json_object_set_new(o, "evidence", ev);
		json_object_set_new(o, "fix", x->fix ? json_string(x->fix) : json_null());
		json_object_set_new(o, "kmsg", km);
		json_array_append_new(a, o);
	}
	return json_pack("{s:i, s:o, s:{s:i, s:i, s:i, s:i}}", "schema", 1, "findings", a, "summary", "error",
			 cnt[SEV_ERROR], "warning", cnt[SEV_WARNING], "info", cnt[SEV_INFO], "total", (int)f->n);
}

bool rule_disabled(const char *id)
{
	const char *env = getenv("VFSCOPE_DISABLE_RULES");
	if (!env || !*env || !id)
		return false;
	const char *dash = strchr(id, '-');
	size_t plen = dash ? (size_t)(dash - id) : strlen(id);
	const char *p = env;
	while (*p) {
		size_t l = strcspn(p, ", ");
		if (l && ((l == strlen(id) && !strncmp(p, id, l)) || (l == plen && !strncmp(p, id, l))))
			return true;
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return false;
}

/* --- running ----------------------------------------------------------- */

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return strcmp(x->subject ? x->subject : "", y->subject ? y->subject : "");
}

int rules_run(struct machine *host, struct findings *out)
{
	if (!host)
		return -1;
	struct findings all = { 0 };
	rules_registry_run(host, &all);
	for (size_t i = 0; i < all.n; i++) {
		if (rule_disabled(all.v[i].id)) {
			finding_free(&all.v[i]);
			continue;
		}
		VFS_PUSH(out->v, out->n, out->cap);
		out->v[out->n++] = all.v[i];
	}
	free(all.v);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_finding);
	return 0;
}
