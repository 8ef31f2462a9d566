/* Findings panel: rules' findings, highest severity first; Enter opens the
 * evidence (with each value's source), the supporting kernel log lines and
 * the fix. */
#include "tui/tui_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sev_color(int s)
{
	return s >= SEV_ERROR ? C_ERR : s == SEV_WARNING ? C_WARN : C_INFO;
}

static int cmp_sev(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a, *y = *(const struct finding *const *)b;
	if (x->severity != y->severity)
		return y->severity - x->severity;
	return x < y ? -1 : x > y; /* stable: rules' order within a severity */
}

/* One line per finding: severity, the rule ID in full (padded to the
 * longest on screen), the title, then [subject]. When the line is wider
 * than the panel, the title and then the subject are shortened (marked with
 * an ellipsis; a subject with less than 12 columns left is dropped, Enter
 * shows it); the ID is never cut while the panel has room for it. */
static void findings_build(struct panel *pn, struct tui *t)
{
	struct lbuf *b = &pn->lines;
	size_t n = t->f.n;
	/* rules_run sorts already; sort a view again so the panel never depends on it. */
	const struct finding **v = vfs_xcalloc(n ? n : 1, sizeof(*v));
	int idw = 0;
	for (size_t i = 0; i < n; i++) {
		v[i] = &t->f.v[i];
		idw = MAX(idw, tui_width(v[i]->id ? v[i]->id : "?"));
	}
	qsort(v, n, sizeof(*v), cmp_sev);
	int width = pn->w > 1 ? pn->w - 1 : 79; /* the first column is the selection mark */
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = v[i];
		b->item = (int)(f - t->f.v);
		lb_col(b, sev_color(f->severity));
		lb_fmt(b, "%-7s ", severity_name(f->severity));
		lb_col(b, C_DIM);
		lb_str(b, f->id ? f->id : "?");
		lb_col(b, C_NORMAL);
		lb_pad(b, 8 + idw + 2);
		int avail = width - (8 + idw + 2);
		const char *title = f->title ? f->title : "?";
		int tw = tui_width(title), sw = f->subject ? tui_width(f->subject) + 4 : 0; /* "  [" "]" */
		int tcols = tw;
		if (tw + sw > avail) { /* the title gives way first, down to 40 columns */
			tcols = MAX(MIN(tw, 40), avail - sw);
			if (avail - tcols < 12) /* no room for a useful subject: Enter shows it */
				tcols = avail;
		}
		lb_clip(b, title, MIN(tcols, MAX(avail, 0)));
		int left = avail - MIN(tcols, tw);
		if (f->subject && left > 4) {
			lb_col(b, C_DIM);
			lb_str(b, "  [");
			lb_clip(b, f->subject, left - 4);
			lb_str(b, "]");
		}
		lb_end(b);
	}
	free(v);
	if (!n) {
		b->item = -1;
		lb_line(b, C_OK, "no findings");
	}
}

static void findings_status(struct panel *p, struct tui *t, char *out, size_t size)
{
	size_t e = 0, w = 0, i = 0;
	for (size_t k = 0; k < t->f.n; k++) {
		int s = t->f.v[k].severity;
		s >= SEV_ERROR ? e++ : s == SEV_WARNING ? w++ : i++;
	}
	snprintf(out, size, "%zu error, %zu warning, %zu info", e, w, i);
}

/* Multi-line text (a fix may hold several commands) as lines. */
static void text_lines(struct lbuf *b, int color, const char *indent, const char *s)
{
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char ln[1024];
		snprintf(ln, sizeof(ln), "%s%.*s", indent, (int)MIN(n, sizeof(ln) - 8), s);
		lb_line(b, color, "%s", ln);
		s = nl ? nl + 1 : NULL;
	}
}

static void findings_detail(struct panel *pn, struct tui *t, int line, struct lbuf *b)
{
	int item = pn->lines.v[line].item;
	if (item < 0 || (size_t)item >= t->f.n)
		return;
	const struct finding *f = &t->f.v[item];
	b->item = -1;
	lb_col(b, sev_color(f->severity));
	lb_fmt(b, "%s", severity_name(f->severity));
	lb_col(b, C_NORMAL);
	lb_fmt(b, "  %s", f->id ? f->id : "");
	lb_end(b);
	text_lines(b, C_HEADER, "", f->title);
	if (f->subject)
		lb_line(b, 0, "subject: %s", f->subject);
	lb_end(b);
	lb_line(b, C_HEADER, "Evidence");
	for (size_t i = 0; i < f->nev; i++) {
		lb_fmt(b, "  %s = ", f->ev[i].what ? f->ev[i].what : "?");
		lb_col(b, C_WARN);
		lb_str(b, f->ev[i].value ? f->ev[i].value : "?");
		lb_col(b, C_DIM);
		lb_fmt(b, "  [%s]", vfs_src_name(f->ev[i].src));
		lb_end(b);
	}
	if (!f->nev)
		lb_line(b, C_DIM, "  (none recorded)");
	if (f->nkmsg) {
		lb_end(b);
		lb_line(b, C_HEADER, "Kernel log");
		for (size_t i = 0; i < f->nkmsg; i++)
			lb_line(b, C_DIM, "  %s", f->kmsg[i]);
	}
	lb_end(b);
	lb_line(b, C_HEADER, "Fix");
	text_lines(b, C_OK, "  ", f->fix ? f->fix : "(none)");
}

void panel_findings_init(struct panel *p)
{
	memset(p, 0, sizeof(*p));
	p->title = "Findings";
	p->build = findings_build;
	p->detail = findings_detail;
	p->status = findings_status;
	p->lines.item = -1;
}
