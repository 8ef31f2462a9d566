/* The agent's connection loop (cli/agent_loop.h). Sockets are
 * non-blocking; the only thing that blocks the loop is a collection, which
 * reads this guest's own state (no peer can stretch it). */
#include "cli/agent_loop.h"
#include "collectors/guest.h"
#include "lib/util.h"
#include "model/json.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#define MAX_LISTEN 4

int agent_allow_parse(const char *s, struct agent_allow *a)
{
	memset(a, 0, sizeof(*a));
	if (!strncmp(s, "cid:", 4)) {
		int64_t v;
		if (vfs_parse_i64(s + 4, 10, &v) || v < 0 || v > 0xfffffffe)
			return -EINVAL;
		a->family = AF_VSOCK;
		a->cid = (uint32_t)v;
		return 0;
	}
	char b[64];
	if (strlen(s) >= sizeof(b))
		return -EINVAL;
	vfs_strlcpy(b, s, sizeof(b));
	char *slash = strchr(b, '/');
	if (slash)
		*slash = 0;
	unsigned max;
	if (inet_pton(AF_INET, b, a->addr) == 1) {
		a->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, b, a->addr) == 1) {
		a->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	a->prefix = max;
	if (slash) {
		int64_t p;
		if (vfs_parse_i64(slash + 1, 10, &p) || p < 0 || p > max)
			return -EINVAL;
		a->prefix = (unsigned)p;
	}
	return 0;
}

/* The peer as an agent_allow with a full prefix (for comparing). */
static void peer_key(const struct sockaddr_storage *ss, struct agent_allow *k)
{
	memset(k, 0, sizeof(*k));
	k->family = ss->ss_family;
	if (ss->ss_family == AF_INET) {
		memcpy(k->addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		k->prefix = 32;
	} else if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a6)) { /* ::ffff:a.b.c.d is a.b.c.d */
			k->family = AF_INET;
			memcpy(k->addr, &a6->s6_addr[12], 4);
			k->prefix = 32;
		} else {
			memcpy(k->addr, a6, 16);
			k->prefix = 128;
		}
	} else if (ss->ss_family == AF_VSOCK) {
		k->cid = ((const struct sockaddr_vm *)ss)->svm_cid;
	}
}

static bool same_peer(const struct agent_allow *a, const struct agent_allow *b)
{
	if (a->family != b->family)
		return false;
	return a->family == AF_VSOCK ? a->cid == b->cid : !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static bool allowed(const struct agent_loop_opts *o, const struct agent_allow *p)
{
	if (!o->nallow)
		return true;
	for (size_t i = 0; i < o->nallow; i++) {
		const struct agent_allow *r = &o->allow[i];
		if (r->family != p->family)
			continue;
		if (r->family == AF_VSOCK) {
			if (r->cid == p->cid)
				return true;
			continue;
		}
		unsigned full = r->prefix / 8, rest = r->prefix % 8;
		if (memcmp(r->addr, p->addr, full))
			continue;
		if (rest && ((r->addr[full] ^ p->addr[full]) & (0xff00 >> rest) & 0xff))
			continue;
		return true;
	}
	return false;
}

/* One rendered snapshot, shared by the replies that send it. */
struct doc {
	unsigned refs;
	char *txt; /* the JSON and "\n" */
	size_t len;
	uint64_t made_ns;
};

static void doc_put(struct doc *d)
{
	if (d && !--d->refs) {
		free(d->txt);
		free(d);
	}
}

enum conn_state { READING, WRITING };

struct conn {
	int fd;
	enum conn_state state;
	uint64_t accepted_ns, deadline_ns;
	struct agent_allow peer;
	char req[VFS_AGENT_MAX_REQUEST + 1];
	size_t reqlen;
	const char *out; /* doc->txt or a constant error line */
	size_t outlen, outoff;
	struct doc *doc;
};

struct loop {
	const struct agent_loop_opts *o;
	struct conn *c; /* max_conns of them */
	int n;
	struct doc *cache;
	uint64_t served, dropped, refused;
};

static void conn_close(struct loop *l, int i)
{
	struct conn *c = &l->c[i];
	shutdown(c->fd, SHUT_RDWR);
	close(c->fd);
	doc_put(c->doc);
	l->c[i] = l->c[--l->n];
}

/* Oldest connection still reading (of peer p, when given), else the
 * oldest of them at all; -1 when there is none. */
static int victim(const struct loop *l, const struct agent_allow *p)
{
	int oldest = -1, reading = -1;
	for (int i = 0; i < l->n; i++) {
		if (p && !same_peer(&l->c[i].peer, p))
			continue;
		if (oldest < 0 || l->c[i].accepted_ns < l->c[oldest].accepted_ns)
			oldest = i;
		if (l->c[i].state == READING && (reading < 0 || l->c[i].accepted_ns < l->c[reading].accepted_ns))
			reading = i;
	}
	return reading >= 0 ? reading : oldest;
}

static struct doc *snapshot(struct loop *l)
{
	uint64_t now = vfs_now_mono_ns();
	if (l->cache && now - l->cache->made_ns < (uint64_t)l->o->cache_ms * 1000000ull) {
		l->cache->refs++;
		return l->cache;
	}
	struct machine *m = common_collect(l->o->co, "vfscope agent");
	if (!m)
		return NULL;
	json_t *j = machine_to_json(m);
	char *txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	machine_free(m);
	if (!txt)
		return NULL;
	struct doc *d = vfs_xcalloc(1, sizeof(*d));
	d->len = strlen(txt) + 1;
	d->txt = vfs_xrealloc(txt, d->len + 1, 1);
	d->txt[d->len - 1] = '\n';
	d->txt[d->len] = 0;
	d->made_ns = vfs_now_mono_ns();
	d->refs = 2; /* the cache and this reply */
	doc_put(l->cache);
	l->cache = d;
	return d;
}

static void reply(struct conn *c, const char *line)
{
	c->state = WRITING;
	c->out = line;
	c->outlen = strlen(line);
	c->outoff = 0;
}

/* Read what is there; on a complete line (or a full buffer, or EOF) decide
 * the reply. false: close now. */
static bool on_read(struct loop *l, struct conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->req + c->reqlen, VFS_AGENT_MAX_REQUEST - c->reqlen, 0);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (n == 0) {
			reply(c, "ERR incomplete request\n");
			return true;
		}
		bool line = memchr(c->req + c->reqlen, '\n', (size_t)n) != NULL;
		c->reqlen += (size_t)n;
		c->req[c->reqlen] = 0;
		if (line)
			break;
		if (c->reqlen >= VFS_AGENT_MAX_REQUEST) {
			reply(c, "ERR request too long\n");
			return true;
		}
	}
	if (strcmp(c->req, VFS_AGENT_REQUEST)) {
		reply(c, "ERR unknown request (want \"GET snapshot v1\")\n");
		return true;
	}
	struct doc *d = snapshot(l);
	if (!d) {
		reply(c, "ERR collection failed\n");
		return true;
	}
	c->doc = d;
	c->state = WRITING;
	c->out = d->txt;
	c->outlen = d->len;
	c->outoff = 0;
	return true;
}

/* false: done (or failed), close. */
static bool on_write(struct loop *l, struct conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->outoff += (size_t)n;
	}
	if (c->doc)
		l->served++;
	return false;
}

static void on_accept(struct loop *l, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct agent_allow p;
	peer_key(&ss, &p);
	if (!allowed(l->o, &p)) {
		l->refused++;
		close(fd);
		return;
	}
	int mine = 0;
	for (int i = 0; i < l->n; i++)
		mine += same_peer(&l->c[i].peer, &p);
	int v = mine >= l->o->per_peer ? victim(l, &p) : l->n >= l->o->max_conns ? victim(l, NULL) : -1;
	if (v >= 0) {
		l->dropped++;
		conn_close(l, v);
	}
	struct conn *c = &l->c[l->n++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->peer = p;
	c->state = READING;
	c->accepted_ns = vfs_now_mono_ns();
	c->deadline_ns = c->accepted_ns + (uint64_t)l->o->timeout_ms * 1000000ull;
}

int agent_loop(const int *fds, int nfd, const struct agent_loop_opts *o, volatile sig_atomic_t *stop)
{
	struct loop l = { .o = o };
	int rc = 0;
	l.c = vfs_xcalloc((size_t)o->max_conns, sizeof(*l.c));
	struct pollfd *p = vfs_xcalloc((size_t)o->max_conns + MAX_LISTEN, sizeof(*p));
	bool done_one = false;
	while (!*stop && !(o->once && done_one && !l.n)) {
		int np = 0;
		bool listening = !(o->once && (done_one || l.n));
		for (int i = 0; i < nfd && i < MAX_LISTEN; i++)
			p[np++] = (struct pollfd){ .fd = listening ? fds[i] : -1, .events = POLLIN };
		uint64_t now = vfs_now_mono_ns(), next = UINT64_MAX;
		for (int i = 0; i < l.n; i++) {
			p[np++] = (struct pollfd){ .fd = l.c[i].fd, .events = l.c[i].state == READING ? POLLIN : POLLOUT };
			if (l.c[i].deadline_ns < next)
				next = l.c[i].deadline_ns;
		}
		int ms = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)MIN((next - now) / 1000000 + 1, 60000);
		int r = poll(p, (nfds_t)np, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("vfscope agent: poll");
			rc = 2;
			break;
		}
		/* clients first (their slots are fixed in p[] until one closes) */
		now = vfs_now_mono_ns();
		for (int i = l.n - 1; i >= 0; i--) {
			struct conn *c = &l.c[i];
			short re = p[nfd + i].revents;
			bool keep = true;
			if (re & (POLLIN | POLLOUT | POLLERR | POLLHUP)) {
				if (c->state == READING)
					keep = on_read(&l, c);
				if (keep && c->state == WRITING)
					keep = on_write(&l, c);
			}
			if (keep && now >= c->deadline_ns)
				keep = false; /* stalled: drop it */
			if (!keep) {
				conn_close(&l, i);
				done_one = true;
			}
		}
		for (int i = 0; i < nfd && i < MAX_LISTEN; i++)
			if (listening && (p[i].revents & POLLIN))
				on_accept(&l, fds[i]);
	}
	while (l.n)
		conn_close(&l, l.n - 1);
	doc_put(l.cache);
	free(p);
	free(l.c);
	return rc;
}
