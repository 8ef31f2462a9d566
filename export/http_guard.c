/* Connection guard for the exporter (export/http_guard.h). One mutex
 * covers the list; libmicrohttpd calls the hooks from its polling thread,
 * the reaper runs in its own. A socket is shut down only while its entry
 * is in the list, and libmicrohttpd reports a connection closed
 * (MHD_CONNECTION_NOTIFY_CLOSED, which removes the entry) before it
 * closes the socket: a descriptor is never shut down after reuse. */
#include "export/http_guard.h"
#include "lib/util.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>

enum conn_state { WAITING, ACTIVE, DROPPED };

struct conn {
	struct conn *prev, *next; /* oldest since_ns first */
	int fd;
	enum conn_state state;
	bool served;       /* a request of it was answered: kept alive, idle_ms between requests */
	uint64_t since_ns; /* accept, or the end of the last request */
	struct sockaddr_storage addr;
	struct addr_count *ac; /* its address's count while not DROPPED, else NULL */
};

/* Connections not DROPPED per client address, so that an accept does not
 * walk the whole table to count its address's share. */
struct addr_count {
	struct addr_count *next;
	struct sockaddr_storage addr;
	unsigned n;
};
#define ADDR_BUCKETS 1024

struct http_guard {
	struct http_guard_opts o;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t reaper;
	bool stop;
	struct conn *head, *tail;
	unsigned live; /* entries not DROPPED */
	struct http_guard_stats st;
	struct addr_count *byaddr[ADDR_BUCKETS];
};

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return false;
	if (b->sa_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr == ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (b->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr,
			       sizeof(struct in6_addr));
	return false;
}

static unsigned addr_hash(const struct sockaddr *a)
{
	const unsigned char *p = NULL;
	size_t n = 0;
	if (a->sa_family == AF_INET) {
		p = (const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr;
		n = 4;
	} else if (a->sa_family == AF_INET6) {
		p = (const unsigned char *)&((const struct sockaddr_in6 *)a)->sin6_addr;
		n = 16;
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % ADDR_BUCKETS;
}

/* The count of a's connections; with create, made when there is none.
 * NULL for an address of another family (never counted). Lock held. */
static struct addr_count *addr_count(struct http_guard *g, const struct sockaddr *a, bool create)
{
	if (a->sa_family != AF_INET && a->sa_family != AF_INET6)
		return NULL;
	unsigned h = addr_hash(a);
	for (struct addr_count *e = g->byaddr[h]; e; e = e->next)
		if (same_addr(&e->addr, a))
			return e;
	if (!create)
		return NULL;
	struct addr_count *e = vfs_xcalloc(1, sizeof(*e));
	memcpy(&e->addr, a, a->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	e->next = g->byaddr[h];
	g->byaddr[h] = e;
	return e;
}

/* c no longer counts for its address (dropped or closed). Lock held. */
static void addr_release(struct http_guard *g, struct conn *c)
{
	struct addr_count *e = c->ac;
	if (!e)
		return;
	c->ac = NULL;
	if (--e->n)
		return;
	for (struct addr_count **pp = &g->byaddr[addr_hash((const struct sockaddr *)&e->addr)]; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free(e);
}

/* The list of connections, oldest since_ns first. Lock held. */
static void list_append(struct http_guard *g, struct conn *c)
{
	c->prev = g->tail;
	c->next = NULL;
	if (g->tail)
		g->tail->next = c;
	else
		g->head = c;
	g->tail = c;
}

static void list_unlink(struct http_guard *g, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		g->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->tail = c->prev;
	c->prev = c->next = NULL;
}

static void drop(struct http_guard *g, struct conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	c->state = DROPPED;
	g->live--;
	addr_release(g, c);
}

/* A connection this young is not dropped to make room: libmicrohttpd may
 * accept a burst of connections before it reads the request of the first
 * (a scraper's); the table may exceed max_conns for that long, up to
 * libmicrohttpd's own limit, and the reaper trims it back. */
#define GRACE_NS (200 * 1000000ull)

/* Make room: shut down the oldest connection waiting for its first
 * request (of addr, when addr is given), else the oldest kept-alive one
 * idle between requests, else the oldest of all, of those past the grace.
 * The list is oldest since_ns first. Lock held. */
static void evict(struct http_guard *g, const struct sockaddr *addr)
{
	struct conn *fresh = NULL, *idle = NULL, *any = NULL;
	uint64_t now = vfs_now_mono_ns();
	for (struct conn *c = g->head; c && !fresh; c = c->next) {
		if (c->state == DROPPED || (addr && !same_addr(&c->addr, addr)))
			continue;
		if (now - c->since_ns < GRACE_NS)
			continue;
		if (c->state == WAITING && !c->served)
			fresh = c;
		else if (c->state == WAITING && !idle)
			idle = c;
		if (!any)
			any = c;
	}
	struct conn *c = fresh ? fresh : idle ? idle : any;
	if (c) {
		drop(g, c);
		g->st.evicted++;
	}
}

enum MHD_Result http_guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct http_guard *g = cls;
	(void)len;
	pthread_mutex_lock(&g->lock);
	const struct addr_count *e = addr_count(g, addr, false);
	unsigned mine = e ? e->n : 0;
	if (mine >= g->o.per_ip)
		evict(g, addr);
	else if (g->live >= g->o.max_conns)
		evict(g, NULL);
	pthread_mutex_unlock(&g->lock);
	return MHD_YES;
}

void http_guard_notify(void *cls, struct MHD_Connection *mc, void **socket_context,
		       enum MHD_ConnectionNotificationCode code)
{
	struct http_guard *g = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fi = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ai = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		struct conn *c = vfs_xcalloc(1, sizeof(*c));
		c->fd = fi ? fi->connect_fd : -1;
		c->state = c->fd >= 0 ? WAITING : DROPPED;
		c->since_ns = vfs_now_mono_ns();
		if (ai && ai->client_addr) {
			socklen_t l = ai->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
									      : sizeof(struct sockaddr_in);
			memcpy(&c->addr, ai->client_addr, l);
		}
		pthread_mutex_lock(&g->lock);
		list_append(g, c);
		if (c->state != DROPPED) {
			g->live++;
			if ((c->ac = addr_count(g, (const struct sockaddr *)&c->addr, true)))
				c->ac->n++;
		}
		g->st.accepted++;
		if (g->live > g->st.peak)
			g->st.peak = g->live;
		pthread_mutex_unlock(&g->lock);
		*socket_context = c;
		return;
	}
	struct conn *c = *socket_context;
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->state != DROPPED)
		g->live--;
	addr_release(g, c);
	list_unlink(g, c);
	pthread_mutex_unlock(&g->lock);
	free(c);
	*socket_context = NULL;
}

static struct conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

void http_guard_request(struct http_guard *g, struct MHD_Connection *mc)
{
	struct conn *c = conn_of(mc);
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->state == WAITING)
		c->state = ACTIVE;
	pthread_mutex_unlock(&g->lock);
}

void http_guard_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_guard *g = cls;
	(void)con_cls; (void)toe;
	struct conn *c = conn_of(mc);
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->state == ACTIVE) { /* keep-alive: idle_ms to the next complete request */
		c->state = WAITING;
		c->served = true;
		c->since_ns = vfs_now_mono_ns();
		/* to the tail: the list stays ordered by since_ns, so a scraper's
		 * kept-alive connection, idle since its last answer, is not the
		 * oldest waiting one (the first to make room) for being accepted
		 * long ago */
		list_unlink(g, c);
		list_append(g, c);
	}
	pthread_mutex_unlock(&g->lock);
}

static void *reaper(void *arg)
{
	struct http_guard *g = arg;
	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		uint64_t now = vfs_now_mono_ns();
		while (g->live > g->o.max_conns) { /* what the grace let in */
			unsigned before = g->live;
			evict(g, NULL);
			if (g->live == before)
				break;
		}
		for (struct conn *c = g->head; c; c = c->next) {
			uint64_t age_ms = (now - c->since_ns) / 1000000;
			if (c->state == WAITING && age_ms >= (c->served ? g->o.idle_ms : g->o.header_ms)) {
				drop(g, c);
				g->st.header_timeouts++;
			} else if (c->state == ACTIVE && age_ms >= g->o.total_ms) {
				drop(g, c);
				g->st.total_timeouts++;
			}
		}
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 100 * 1000000L; /* 0.1 s: the deadlines are seconds */
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!g->stop && pthread_cond_timedwait(&g->cond, &g->lock, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct http_guard *http_guard_new(const struct http_guard_opts *o)
{
	struct http_guard *g = vfs_xcalloc(1, sizeof(*g));
	g->o = *o;
	if (!g->o.max_conns)
		g->o.max_conns = 1;
	if (!g->o.per_ip)
		g->o.per_ip = g->o.max_conns;
	if (!g->o.idle_ms)
		g->o.idle_ms = g->o.header_ms;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->reaper, NULL, reaper, g)) {
		pthread_cond_destroy(&g->cond);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return NULL;
	}
	return g;
}

void http_guard_free(struct http_guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->reaper, NULL);
	while (g->head) { /* none left after MHD_stop_daemon; in case */
		struct conn *c = g->head;
		g->head = c->next;
		addr_release(g, c);
		free(c);
	}
	for (size_t i = 0; i < ADDR_BUCKETS; i++)
		while (g->byaddr[i]) {
			struct addr_count *e = g->byaddr[i];
			g->byaddr[i] = e->next;
			free(e);
		}
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void http_guard_stats(struct http_guard *g, struct http_guard_stats *s)
{
	pthread_mutex_lock(&g->lock);
	*s = g->st;
	s->open = g->live;
	pthread_mutex_unlock(&g->lock);
}

void http_guard_render(struct http_guard *g, FILE *out)
{
	struct http_guard_stats s;
	http_guard_stats(g, &s);
	fprintf(out,
		"# HELP vfscope_http_connections Open HTTP connections of the exporter.\n"
		"# TYPE vfscope_http_connections gauge\nvfscope_http_connections %u\n"
		"# HELP vfscope_http_connections_max Most HTTP connections kept open at once (older ones are shut down).\n"
		"# TYPE vfscope_http_connections_max gauge\nvfscope_http_connections_max %u\n"
		"# HELP vfscope_http_connections_accepted_total HTTP connections accepted.\n"
		"# TYPE vfscope_http_connections_accepted_total counter\nvfscope_http_connections_accepted_total %llu\n"
		"# HELP vfscope_http_connections_dropped_total HTTP connections shut down by the exporter, by reason.\n"
		"# TYPE vfscope_http_connections_dropped_total counter\n"
		"vfscope_http_connections_dropped_total{reason=\"full\"} %llu\n"
		"vfscope_http_connections_dropped_total{reason=\"header_timeout\"} %llu\n"
		"vfscope_http_connections_dropped_total{reason=\"request_timeout\"} %llu\n",
		s.open, g->o.max_conns, (unsigned long long)s.accepted, (unsigned long long)s.evicted,
		(unsigned long long)s.header_timeouts, (unsigned long long)s.total_timeouts);
}
