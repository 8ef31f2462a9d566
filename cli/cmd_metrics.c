/* vfscope metrics: Prometheus exposition over HTTP (libmicrohttpd), as a
 * node_exporter textfile, or once on stdout. See docs/metrics.md.
 *
 * A scrape never waits for a collection: one thread collects every
 * --interval (host, guests with their own deadline, rules) and swaps the
 * rendered text in under a mutex; the HTTP thread copies the cached text
 * and appends its age. The textfile is written to a temporary file in the
 * same directory and renamed over the old one (readers see old or new,
 * never half). */
#include "cli/cli.h"
#include "bpf/probes.h"
#include "cli/common.h"
#include "collectors/collect.h"
#include "collectors/guest.h"
#include "collectors/hyperv.h"
#include "export/bundle.h"
#include "export/gzip_body.h"
#include "export/http_auth.h"
#include "export/http_auth_worker.h"
#include "export/http_guard.h"
#include "export/webconfig.h"
#include "export/metrics.h"
#include "lib/util.h"
#include "lib/outfile.h"
#include "rules/rules.h"
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdatomic.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#define MAX_STEPS (MAX_GUEST_SPECS * 2 + 8)

/* One rendered exposition, shared by every response that sends it
 * (MHD_create_response_from_iovec): a scrape copies nothing and holds the
 * lock only to take a reference. */
struct blob {
	atomic_uint refs;
	size_t len;
	char *text;
	struct gzip_body gz; /* the same text gzipped once, for clients that accept it; empty if that failed */
};

static struct blob *blob_new(char *text, size_t len, bool gzip)
{
	struct blob *b = vfs_xcalloc(1, sizeof(*b));
	atomic_init(&b->refs, 1);
	b->text = text;
	b->len = len;
	/* once per collection, never per scrape (level 1: most of the size
	 * for a fraction of level 6's time); only when serving HTTP */
	if (gzip && gzip_body_make(&b->gz, text, len, 1))
		memset(&b->gz, 0, sizeof(b->gz));
	return b;
}

static void blob_put(struct blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		free(b->text);
		gzip_body_free(&b->gz);
		free(b);
	}
}

struct state {
	const struct common_opts *co;
	const char *textfile;
	unsigned interval_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	struct blob *blob;     /* cached exposition, NULL until the first collection */
	struct http_guard *guard;
	struct http_auth *auth;  /* --web.config.file basic_auth_users, or NULL */
	struct auth_worker *auth_worker; /* runs bcrypt while the connection is suspended */
	bool tls;
	enum webconfig_client_auth client_auth;
	uint64_t done_mono_ns; /* when it finished */
	uint64_t collections, errors;
	bool probes;           /* bpf/probes.h open (live host, serving) */
	struct metrics_mbx mbx[256]; /* cumulative, touched by the collector thread only */
	size_t nmbx;
};

/* probes_poll() callback (collector thread): count mailbox messages by
 * driver, message type (low 16 bits of the first word) and result. */
static void on_probe_event(const struct vfs_event *ev, void *ctx)
{
	struct state *st = ctx;
	if (ev->kind != EV_MBX)
		return;
	char type[16], drv[16];
	if (ev->nwords)
		snprintf(type, sizeof(type), "0x%04x", ev->words[0] & 0xffff);
	else
		snprintf(type, sizeof(type), "unknown");
	vfs_sanitize(drv, sizeof(drv), ev->driver);
	const char *res = ev->result == EV_RES_ACK ? "ack" : ev->result == EV_RES_NACK ? "nack" : "none";
	for (size_t i = 0; i < st->nmbx; i++)
		if (!strcmp(st->mbx[i].driver, drv) && !strcmp(st->mbx[i].type, type) && !strcmp(st->mbx[i].result, res)) {
			st->mbx[i].n++;
			return;
		}
	if (st->nmbx >= ARRAY_SIZE(st->mbx))
		return;
	struct metrics_mbx *x = &st->mbx[st->nmbx++];
	vfs_strlcpy(x->driver, drv, sizeof(x->driver));
	vfs_strlcpy(x->type, type, sizeof(x->type));
	vfs_strlcpy(x->result, res, sizeof(x->result));
	x->n = 1;
}

static void step(struct metrics_step *s, size_t *n, const char *name, uint64_t t0, bool ok)
{
	if (*n >= MAX_STEPS)
		return;
	vfs_strlcpy(s[*n].source, name, sizeof(s[*n].source));
	s[*n].seconds = (double)(vfs_now_mono_ns() - t0) / 1e9;
	s[*n].ok = ok;
	(*n)++;
}

/* One collection, rendered. Mirrors common_collect() step by step so each
 * step is timed and its failure counted. */
static char *collect_render(struct state *st, size_t *len)
{
	const struct common_opts *co = st->co;
	struct metrics_step steps[MAX_STEPS];
	size_t ns = 0;
	char err[512] = "";
	uint64_t t_all = vfs_now_mono_ns(), t0 = t_all;
	struct machine *m = co->hyperv ? hyperv_load_all(co->hyperv, co->hyperv_guests, co->nhyperv_guests, err, sizeof(err))
			    : co->from ? bundle_load(co->from, err, sizeof(err)) : collect_machine(&co->c, err, sizeof(err));
	step(steps, &ns, co->hyperv ? "hyperv" : co->from ? "bundle" : "host", t0, m != NULL);
	if (m && !co->from && !co->hyperv) {
		t0 = vfs_now_mono_ns();
		host_extras(m, &co->c);
		step(steps, &ns, "extras", t0, true);
	}
	if (m && co->npcaps) {
		t0 = vfs_now_mono_ns();
		bool ok = common_frames(m, co, "vfscope metrics") == 0;
		step(steps, &ns, "pcap", t0, ok);
	}
	for (int i = 0; m && i < co->nguest_files + co->nguests; i++) {
		bool file = i < co->nguest_files;
		const char *spec = file ? co->guest_files[i] : co->guests[i - co->nguest_files];
		char name[64];
		snprintf(name, sizeof(name), "guest:%s", spec);
		t0 = vfs_now_mono_ns();
		struct machine *g = guest_load(spec, file, co->guest_timeout_ms, err, sizeof(err));
		step(steps, &ns, name, t0, g != NULL);
		if (g)
			machine_add_guest(m, g);
		else
			machine_add_source(m, file ? "guest-file" : "guest", SOURCE_FAILED, "%s: %s", spec, err);
	}
	struct findings fs = { 0 };
	bool rules_ok = false;
	if (m) {
		t0 = vfs_now_mono_ns();
		correlate(m);
		rules_ok = rules_run(m, &fs) == 0;
		step(steps, &ns, "rules", t0, rules_ok);
	}
	step(steps, &ns, "total", t_all, m != NULL);
	struct metrics_probe pr[64];
	struct metrics_if ifs[1024];
	size_t npr = 0, nifs = 0;
	if (st->probes) {
		probes_poll(0);
		struct probes_info pi[64];
		size_t n = probes_list(pi, ARRAY_SIZE(pi));
		for (size_t i = 0; i < n && npr < ARRAY_SIZE(pr); i++, npr++) {
			vfs_strlcpy(pr[npr].name, pi[i].name, sizeof(pr[npr].name));
			pr[npr].up = pi[i].state == PROBE_ATTACHED;
		}
		static struct probes_if_counters c[1024];
		int nc = probes_counters(c, ARRAY_SIZE(c));
		for (int i = 0; i < nc; i++)
			if (c[i].local && nifs < ARRAY_SIZE(ifs)) {
				vfs_strlcpy(ifs[nifs].ifname, c[i].ifname, sizeof(ifs[nifs].ifname));
				ifs[nifs].drops = c[i].drops;
				ifs[nifs].tx_timeouts = c[i].tx_timeouts;
				nifs++;
			}
	}
	pthread_mutex_lock(&st->lock);
	st->collections++;
	if (!m)
		st->errors++;
	struct metrics_meta meta = { .steps = steps, .nsteps = ns, .collections = st->collections,
				     .collection_errors = st->errors,
				     .last_collection_s = (double)vfs_now_real_ns() / 1e9,
				     .probes = pr, .nprobes = npr, .ifs = ifs, .nifs = nifs,
				     .mbx = st->mbx, .nmbx = st->nmbx };
	pthread_mutex_unlock(&st->lock);
	if (!m)
		fprintf(stderr, "vfscope metrics: collection failed: %s\n", err);
	char *text = metrics_render(m, rules_ok ? &fs : NULL, &meta, len);
	findings_free(&fs);
	machine_free(m);
	return text;
}

/* Complete or absent under its name (lib/outfile.h): PATH.PID.part beside
 * it (node_exporter reads only *.prom), fsync'ed and renamed; a kill leaves
 * only the .part, which the next write sweeps. -errno of the failing step. */
static int write_textfile(const char *path, const char *text, size_t len, double age)
{
	struct outfile of;
	char err[512];
	int r = outfile_open(&of, path, err, sizeof(err));
	if (r)
		return r;
	FILE *f = fdopen(of.fd, "w");
	if (!f) {
		outfile_abort(&of);
		return -ENOMEM;
	}
	errno = 0;
	fwrite(text, 1, len, f);
	metrics_render_age(f, age);
	r = fflush(f) || ferror(f) ? -(errno ? errno : EIO) : 0;
	int fd = dup(of.fd); /* fclose closes of.fd; outfile_commit fsyncs and closes its own */
	fclose(f);
	of.fd = fd;
	if (r || fd < 0) {
		outfile_abort(&of);
		return r ? r : -EMFILE;
	}
	return outfile_commit(&of, err, sizeof(err));
}

static void *collector(void *arg)
{
	struct state *st = arg;
	for (;;) {
		size_t len;
		char *text = collect_render(st, &len);
		if (st->textfile) {
			int r = write_textfile(st->textfile, text, len, 0);
			if (r)
				fprintf(stderr, "vfscope metrics: %s: %s\n", st->textfile, strerror(-r));
		}
		struct blob *b = blob_new(text, len, st->guard != NULL /* serving HTTP */), *old;
		pthread_mutex_lock(&st->lock);
		old = st->blob;
		st->blob = b;
		st->done_mono_ns = vfs_now_mono_ns();
		pthread_mutex_unlock(&st->lock);
		blob_put(old); /* responses still sending it keep their reference */
		pthread_mutex_lock(&st->lock);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t end = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec + st->interval_ms * 1000000ull;
		ts.tv_sec = (time_t)(end / 1000000000ull);
		ts.tv_nsec = (long)(end % 1000000000ull);
		while (!st->stop && pthread_cond_timedwait(&st->cond, &st->lock, &ts) != ETIMEDOUT)
			;
		bool stop = st->stop;
		pthread_mutex_unlock(&st->lock);
		if (stop)
			return NULL;
	}
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, char *body, size_t len, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* A /metrics response: the shared exposition, then this scrape's age and
 * the connection counters. Up to SMALL_BODY (the gzipped exposition at a
 * few hundred VFs) it is copied into one buffer, above it sent from the
 * shared copy. */
#define SMALL_BODY (64u << 10)
struct scrape {
	struct blob *blob;
	char *tail;
	unsigned char gzhdr[5], gztrl[8]; /* the tail's stored block and the gzip trailer */
};

static void scrape_free(void *cls)
{
	struct scrape *s = cls;
	blob_put(s->blob);
	free(s->tail);
	free(s);
}

/* One request (libmicrohttpd's con_cls), freed when it completes. */
struct req {
	struct MHD_Connection *c;
	int auth; /* 0 not checked, 1 accepted, -1 refused, 2 bcrypt running (suspended) */
};

/* On the auth worker's thread: the verdict, then the connection goes on. */
static void auth_done(void *cls, bool ok)
{
	struct req *q = cls;
	__atomic_store_n(&q->auth, ok ? 1 : -1, __ATOMIC_RELEASE);
	MHD_resume_connection(q->c);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct state *st = cls;
	if (st->guard)
		http_guard_completed(st->guard, c, con_cls, toe);
	free(*con_cls);
	*con_cls = NULL;
}

/* Basic auth: 1 accepted, -1 refused, 2 suspended until the worker has run bcrypt. */
static int check_auth(struct state *st, struct MHD_Connection *c, struct req *q)
{
	int v = __atomic_load_n(&q->auth, __ATOMIC_ACQUIRE);
	if (v)
		return v;
	char *pass = NULL, *user = MHD_basic_auth_get_username_password(c, &pass);
	enum http_auth_verdict r = http_auth_begin(st->auth, user, pass);
	v = r == HTTP_AUTH_OK ? 1 : -1;
	if (r == HTTP_AUTH_BCRYPT) {
		q->auth = 2;
		MHD_suspend_connection(c);
		if (auth_worker_submit(st->auth_worker, user, pass, auth_done, q)) {
			v = 2;
		} else { /* queue full (the rate makes that rare): refuse now */
			MHD_resume_connection(c);
			q->auth = 0;
			v = -1;
		}
	}
	if (v != 2)
		q->auth = v;
	if (pass)
		explicit_bzero(pass, strlen(pass));
	MHD_free(user);
	MHD_free(pass);
	return v;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct state *st = cls;
	(void)version; (void)upload;
	if (!*con_cls) { /* headers complete: the guard's request deadline from here */
		struct req *q = vfs_xcalloc(1, sizeof(*q));
		q->c = c;
		*con_cls = q;
		if (st->guard)
			http_guard_request(st->guard, c);
		/* A response queued in this first call makes libmicrohttpd
		 * close the connection after it ("Connection: close"): every
		 * scrape would then be a new connection, waiting in the listen
		 * queue behind whatever else connects. GET and HEAD are
		 * answered in the next call (the end of the request), so a
		 * scraper's connection is kept alive; the rest (405) closes. */
		if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
			return MHD_YES;
	}
	if (st->tls && st->client_auth != WC_NO_CLIENT_CERT) {
		const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		const char *why = http_auth_client_cert(st->client_auth, i ? i->tls_session : NULL);
		if (why) {
			char *b = NULL;
			if (asprintf(&b, "%s\n", why) < 0)
				return MHD_NO;
			return reply(c, MHD_HTTP_FORBIDDEN, b, strlen(b), "text/plain");
		}
	}
	if (http_auth_wanted(st->auth)) {
		int v = check_auth(st, c, *con_cls);
		if (v == 2)
			return MHD_YES; /* suspended: called again once bcrypt has answered */
		if (v < 0) {
			const char *m = "unauthorized\n";
			struct MHD_Response *r = MHD_create_response_from_buffer(strlen(m), (void *)m, MHD_RESPMEM_PERSISTENT);
			if (!r)
				return MHD_NO;
			enum MHD_Result ret = MHD_queue_basic_auth_fail_response(c, "vfscope", r);
			MHD_destroy_response(r);
			return ret;
		}
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, vfs_xstrdup("GET only\n"), 9, "text/plain");
	if (*upload_size)
		return MHD_NO;
	if (!strcmp(url, "/")) {
		const char *p = "<html><head><title>vfscope</title></head><body><h1>vfscope metrics</h1>"
				"<p><a href=\"/metrics\">/metrics</a></p></body></html>\n";
		return reply(c, MHD_HTTP_OK, vfs_xstrdup(p), strlen(p), "text/html");
	}
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, vfs_xstrdup("not found: try /metrics\n"), 24, "text/plain");
	pthread_mutex_lock(&st->lock);
	struct blob *b = st->blob;
	if (b)
		atomic_fetch_add(&b->refs, 1);
	double age = (double)(vfs_now_mono_ns() - st->done_mono_ns) / 1e9;
	pthread_mutex_unlock(&st->lock);
	if (!b) /* first collection still running: say so, don't wait */
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, vfs_xstrdup("first collection still running\n"), 31,
			     "text/plain");
	struct scrape *s = vfs_xcalloc(1, sizeof(*s));
	s->blob = b;
	size_t tl = 0;
	FILE *f = open_memstream(&s->tail, &tl);
	if (f) {
		metrics_render_age(f, age);
		if (st->guard)
			http_guard_render(st->guard, f);
		if (http_auth_wanted(st->auth))
			http_auth_render(st->auth, f);
		fclose(f);
	}
	if (!s->tail)
		tl = 0;
	/* Accept-Encoding: gzip (Prometheus always sends it): the body gzipped
	 * at collection, this scrape's tail appended as a stored block */
	bool gz = b->gz.data && gzip_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding")) &&
		  !gzip_tail_frame(&b->gz, s->tail, tl, s->gzhdr, s->gztrl);
	struct MHD_IoVec iov[4] = { { b->text, b->len }, { s->tail, tl } };
	if (gz) {
		iov[0] = (struct MHD_IoVec){ b->gz.data, b->gz.len };
		iov[1] = (struct MHD_IoVec){ s->gzhdr, sizeof(s->gzhdr) };
		iov[2] = (struct MHD_IoVec){ s->tail, tl };
		iov[3] = (struct MHD_IoVec){ s->gztrl, sizeof(s->gztrl) };
	}
	unsigned niov = gz ? 4 : 2;
	size_t total = 0;
	for (unsigned i = 0; i < niov; i++)
		total += iov[i].iov_len;
	struct MHD_Response *r;
	if (total <= SMALL_BODY) {
		/* one buffer: libmicrohttpd sends the headers and the body in one
		 * write (an iovec body goes in a write after the headers', a
		 * second packet and wakeup for the scraper) */
		char *one = malloc(total ? total : 1), *p = one;
		for (unsigned i = 0; one && i < niov; i++)
			p = mempcpy(p, iov[i].iov_base, iov[i].iov_len);
		scrape_free(s);
		if (!one)
			return MHD_NO;
		r = MHD_create_response_from_buffer(total, one, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(one);
	} else {
		r = MHD_create_response_from_iovec(iov, niov, scrape_free, s);
		if (!r)
			scrape_free(s);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", METRICS_CONTENT_TYPE);
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT" (127.0.0.1) or "PORT". */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	char host[256] = "127.0.0.1", port[16];
	const char *colon = strrchr(s, ':');
	if (!colon) {
		vfs_strlcpy(port, s, sizeof(port));
	} else {
		size_t hl = (size_t)(colon - s);
		if (hl) {
			if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
				s++;
				hl -= 2;
			}
			if (hl >= sizeof(host))
				return -EINVAL;
			memcpy(host, s, hl);
			host[hl] = 0;
		}
		vfs_strlcpy(port, colon + 1, sizeof(port));
	}
	int64_t p;
	if (vfs_parse_i64(port, 10, &p) || p < 1 || p > 65535)
		return -EINVAL;
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM }, *res;
	if (getaddrinfo(host, port, &hints, &res))
		return -EINVAL;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* Raise the soft open-file limit to want (within the hard one); how many
 * descriptors there are to spend. */
static unsigned fd_budget(unsigned want)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1024;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > 1u << 20 ? 1u << 20 : (unsigned)rl.rlim_cur;
}

/* libmicrohttpd's messages (a client that went away mid-request, a limit
 * reached): under attack they come by the thousand, so at most one line a
 * minute, with how many were left out. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
	static uint64_t last_ns, skipped;
	(void)cls;
	pthread_mutex_lock(&lk);
	uint64_t now = vfs_now_mono_ns();
	if (last_ns && now - last_ns < 60ull * 1000000000ull) {
		skipped++;
		pthread_mutex_unlock(&lk);
		return;
	}
	char msg[256];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	fprintf(stderr, "vfscope metrics: http: %s", msg);
	if (skipped)
		fprintf(stderr, " (and %llu more messages in the last minute)", (unsigned long long)skipped);
	fputc('\n', stderr);
	last_ns = now;
	skipped = 0;
	pthread_mutex_unlock(&lk);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope metrics [--listen ADDR:PORT] [--textfile PATH] [--interval S] [--once] [SOURCES]\n\n"
		   "Prometheus metrics of PFs, VFs, teams, findings and collection health\n"
		   "(docs/metrics.md). Without --textfile or --once it serves HTTP on %s:%d.\n\n"
		   "  -l, --listen ADDR:PORT  serve /metrics (default 127.0.0.1:%d)\n"
		   "  -t, --textfile PATH     write node_exporter textfile-collector format (atomic rename)\n"
		   "  -i, --interval S        seconds between collections (default 15)\n"
		   "  -1, --once              collect once, print to stdout (or --textfile) and exit\n"
		   "      --no-probes         serve the live host without attaching the eBPF probes\n"
		   "      --max-connections N HTTP connections kept open at once (default 1024; when\n"
		   "                          full, the oldest idle one is closed)\n"
		   "      --web.config.file FILE  TLS and basic auth, the exporter-toolkit web\n"
		   "                          configuration file (docs/metrics.md)\n" COMMON_HELP,
		"127.0.0.1", METRICS_DEFAULT_PORT, METRICS_DEFAULT_PORT);
}

int cmd_metrics(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, 'l' }, { "textfile", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' }, { "once", no_argument, NULL, '1' },
		{ "no-probes", no_argument, NULL, OPT_COMMON_END + 1 },
		{ "max-connections", required_argument, NULL, OPT_COMMON_END + 2 },
		{ "web.config.file", required_argument, NULL, OPT_COMMON_END + 3 },
		{ "help", no_argument, NULL, 'h' }, COMMON_LONGOPTS, { 0 } };
	struct common_opts co;
	common_init(&co);
	const char *listen = NULL, *textfile = NULL;
	bool once = false, no_probes = false;
	unsigned max_conns = 1024;
	const char *web_config = NULL;
	double interval = 15;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:t:i:1h", lo, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 't': textfile = optarg; break;
		case '1': once = true; break;
		case OPT_COMMON_END + 1: no_probes = true; break;
		case OPT_COMMON_END + 3: web_config = optarg; break;
		case OPT_COMMON_END + 2: {
			int64_t v;
			if (vfs_parse_i64(optarg, 10, &v) || v < 2 || v > 65536) {
				fprintf(stderr, "vfscope metrics: --max-connections wants 2 to 65536\n");
				return 2;
			}
			max_conns = (unsigned)v;
			break;
		}
		case 'h': usage(stdout); return 0;
		case 'i': {
			char *end;
			interval = strtod(optarg, &end);
			if (*end || end == optarg || interval < 0.01 || interval > 86400) {
				fprintf(stderr, "vfscope metrics: --interval wants seconds, 0.01 to 86400\n");
				return 2;
			}
			break;
		}
		default:
			if (common_getopt(&co, c, optarg, "vfscope metrics") == 0)
				break;
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfscope metrics: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (co.capture_s) { /* it would stall every collection for that long */
		fprintf(stderr, "vfscope metrics: --capture is not for an exporter (use --pcap FILE, "
				"or vfscope check --capture)\n");
		return 2;
	}
	struct state st = { .co = &co, .textfile = textfile, .interval_ms = (unsigned)(interval * 1000) };
	pthread_mutex_init(&st.lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st.cond, &ca);

	if (once) {
		size_t len;
		char *text = collect_render(&st, &len);
		int rc = 0;
		if (textfile) {
			int r = write_textfile(textfile, text, len, 0);
			if (r) {
				fprintf(stderr, "vfscope metrics: %s: %s\n", textfile, strerror(-r));
				rc = 2;
			}
		} else {
			fwrite(text, 1, len, stdout);
			metrics_render_age(stdout, 0);
			rc = ferror(stdout) ? 2 : 0;
		}
		free(text);
		return st.errors ? 2 : rc;
	}
	if (!listen && !textfile)
		listen = "127.0.0.1:9469";
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	if (listen && parse_listen(listen, &ss, &sl)) {
		fprintf(stderr, "vfscope metrics: --listen wants ADDR:PORT (e.g. 127.0.0.1:%d)\n", METRICS_DEFAULT_PORT);
		return 2;
	}
	/* Signals go to sigwait below, not to the worker threads. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct MHD_Daemon *d = NULL;
	struct webconfig wc = { 0 }; /* its PEM stays until the daemon stops */
	if (listen) {
		unsigned port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							       : ((struct sockaddr_in *)&ss)->sin_port);
		/* One epoll thread serves every connection (a response is a
		 * reference to the cached text, never a collection); the guard
		 * bounds how many are open and for how long; libmicrohttpd's own
		 * limits are the backstop: twice the guard's table (shut-down
		 * sockets linger until the next loop), its inactivity timeout,
		 * 8 KiB per connection for the request (a longer one gets 431
		 * or 414). docs/reliability.md has the measurements. */
		struct http_guard_opts go = HTTP_GUARD_DEFAULTS;
		go.max_conns = max_conns;
		go.per_ip = max_conns / 2 ? max_conns / 2 : 1;
		unsigned hard = fd_budget(2 * max_conns + 64);
		if (hard < 2 * max_conns + 64) {
			go.max_conns = hard > 128 ? (hard - 64) / 2 : 32;
			fprintf(stderr, "vfscope metrics: open-file limit allows %u connections\n", go.max_conns);
		}
		st.guard = http_guard_new(&go);
		if (!st.guard) {
			fprintf(stderr, "vfscope metrics: cannot start the connection guard\n");
			return 2;
		}
		/* --web.config.file: TLS (libmicrohttpd with GnuTLS) and basic
		 * auth; a file that does not parse, names missing files or a
		 * hash libcrypt cannot check stops the start */
		struct MHD_OptionItem tlsopt[8];
		size_t nt = 0;
		if (web_config) {
			char err[600];
			if (webconfig_load(web_config, &wc, err, sizeof(err))) {
				fprintf(stderr, "vfscope metrics: --web.config.file %s\n", err);
				return 2;
			}
			for (size_t i = 0; i < wc.nusers; i++)
				if (!http_auth_hash_usable(wc.users[i].hash)) {
					fprintf(stderr, "vfscope metrics: --web.config.file %s: user '%s': libcrypt cannot check "
							"this bcrypt hash\n", web_config, wc.users[i].name);
					webconfig_free(&wc);
					return 2;
				}
			if (wc.tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
				fprintf(stderr, "vfscope metrics: --web.config.file %s: this libmicrohttpd has no TLS\n",
					web_config);
				webconfig_free(&wc);
				return 2;
			}
			if (wc.nusers)
				st.auth = http_auth_new(&wc);
			if (wc.tls) {
				st.tls = true;
				st.client_auth = wc.client_auth;
				tlsopt[nt++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, wc.cert_pem };
				tlsopt[nt++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, wc.key_pem };
				if (wc.ca_pem) /* libmicrohttpd then asks the client for its certificate */
					tlsopt[nt++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0, wc.ca_pem };
				/* the toolkit's default minimum is TLS 1.2 */
				const char *prio = wc.min_version == 13   ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
						   : wc.min_version && wc.min_version < 12 ? "NORMAL"
											   : "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1";
				tlsopt[nt++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)prio };
			}
		}
		/* bcrypt runs on its own thread while the connection is suspended */
		if (st.auth && !(st.auth_worker = auth_worker_new(st.auth))) {
			fprintf(stderr, "vfscope metrics: cannot start the basic-auth thread\n");
			webconfig_free(&wc);
			return 2;
		}
		tlsopt[nt] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
		/* MHD_USE_TURBO (plain HTTP): a connection accepted is served in
		 * the same pass (its request is there: TCP_DEFER_ACCEPT) and
		 * enters the epoll set only if it must wait; no shutdown()
		 * before close. Not with TLS: it would skip the TLS close. */
		d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
				     (st.auth ? MHD_ALLOW_SUSPEND_RESUME : 0) |
				     (st.tls ? MHD_USE_TLS : MHD_USE_TURBO) | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				     (uint16_t)port, http_guard_accept, st.guard, handle, &st,
				     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first: it covers the other options */
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				     MHD_OPTION_CONNECTION_LIMIT, 2 * go.max_conns + 16,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(MAX(go.idle_ms, go.total_ms) / 1000),
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)8192,
				     MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				     MHD_OPTION_NOTIFY_CONNECTION, http_guard_notify, st.guard,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, &st,
				     MHD_OPTION_ARRAY, tlsopt,
				     MHD_OPTION_END);
		if (!d) {
			fprintf(stderr, "vfscope metrics: cannot listen on %s: %s%s\n", listen, strerror(errno),
				st.tls ? " (or the TLS certificate and key were refused)" : "");
			auth_worker_free(st.auth_worker);
			return 2;
		}
		/* The kernel hands over a connection only once it has sent
		 * something (TCP_DEFER_ACCEPT, up to the 3 s header deadline): a
		 * connection that never sends never takes a place in the table. */
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
		int defer = (int)(go.header_ms / 1000);
		if (di && di->listen_fd >= 0)
			setsockopt(di->listen_fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
		fprintf(stderr, "vfscope metrics: serving %s://%s/metrics every %.3g s%s\n", st.tls ? "https" : "http",
			listen, interval, st.auth ? " (basic auth)" : "");
	}
	if (!no_probes && !co.from && !co.c.sysroot && !co.hyperv) {
		/* counters for drops, TX timeouts and mailbox messages; every
		 * probe is optional and says why it is off (vfscope_probe_up) */
		struct probes_opts po = { .cb = on_probe_event, .cb_ctx = &st };
		int r = probes_open(&po);
		if (r == 0)
			st.probes = true;
		else
			fprintf(stderr, "vfscope metrics: probes: %s\n", strerror(-r));
	}
	pthread_t th;
	if (pthread_create(&th, NULL, collector, &st)) {
		fprintf(stderr, "vfscope metrics: cannot start the collector thread\n");
		auth_worker_free(st.auth_worker);
		if (d)
			MHD_stop_daemon(d);
		return 2;
	}
	int sig;
	sigwait(&set, &sig);
	pthread_mutex_lock(&st.lock);
	st.stop = true;
	pthread_cond_signal(&st.cond);
	pthread_mutex_unlock(&st.lock);
	auth_worker_free(st.auth_worker); /* resumes what it still held: none stays suspended */
	if (d)
		MHD_stop_daemon(d);
	pthread_join(th, NULL);
	if (st.probes)
		probes_close();
	http_guard_free(st.guard);
	http_auth_free(st.auth);
	webconfig_free(&wc);
	blob_put(st.blob);
	return 0;
}
