/* Connection guard for the exporter's libmicrohttpd daemon: a bounded
 * table of open connections in which the slow and the idle lose first.
 *
 * libmicrohttpd's own timeout is an inactivity timeout (a client that
 * trickles one byte a second never hits it) and its per-IP limit cannot
 * tell a scraper from an attacker on the same address. So each connection
 * gets a deadline from its accept (or from the end of its last request on
 * a keep-alive connection) to a complete request (header_ms; idle_ms for
 * a kept-alive connection between its requests: a scraper's, idle from one
 * scrape to the next), and one for the whole request (total_ms); a reaper
 * thread shuts down what is late.
 * When the table is full (max_conns) or one address holds per_ip of them,
 * the oldest connection still waiting for its first request is shut down
 * to make room, else the oldest kept-alive one idle between requests,
 * else the oldest of all: a new connection,
 * which is what a scraper opens, is always accepted; none younger than
 * 200 ms is dropped (the table may exceed max_conns that long). shutdown(2) only:
 * libmicrohttpd sees the end of the stream and closes the socket itself.
 * See docs/reliability.md for the measurements behind the defaults. */
#ifndef VFS_HTTP_GUARD_H
#define VFS_HTTP_GUARD_H
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <microhttpd.h>

struct http_guard_opts {
	unsigned max_conns; /* connections kept open at once */
	unsigned per_ip;    /* of them from one client address */
	unsigned header_ms; /* accept -> complete first request */
	unsigned idle_ms;   /* end of a request -> the next complete one (keep-alive; a 1 min scrape interval fits) */
	unsigned total_ms;  /* accept (or end of the last request) -> response sent */
};
#define HTTP_GUARD_DEFAULTS { .max_conns = 1024, .per_ip = 512, .header_ms = 3000, .idle_ms = 75000, .total_ms = 30000 }

struct http_guard_stats {
	uint64_t accepted, evicted, header_timeouts, total_timeouts;
	unsigned open, peak;
};

struct http_guard;
struct http_guard *http_guard_new(const struct http_guard_opts *o); /* starts the reaper; NULL on error */
void http_guard_free(struct http_guard *g);                         /* after MHD_stop_daemon */
void http_guard_stats(struct http_guard *g, struct http_guard_stats *s);
/* Write the stats as Prometheus families (vfscope_http_*). */
void http_guard_render(struct http_guard *g, FILE *out);

/* Hooks: pass g as the cls of each. */
enum MHD_Result http_guard_accept(void *g, const struct sockaddr *addr, socklen_t len); /* MHD_AcceptPolicyCallback */
void http_guard_notify(void *g, struct MHD_Connection *c, void **socket_context,
		       enum MHD_ConnectionNotificationCode code);              /* MHD_OPTION_NOTIFY_CONNECTION */
void http_guard_completed(void *g, struct MHD_Connection *c, void **con_cls,
			  enum MHD_RequestTerminationCode toe);                /* MHD_OPTION_NOTIFY_COMPLETED */
/* Call from the access handler once the request's headers are in. */
void http_guard_request(struct http_guard *g, struct MHD_Connection *c);
#endif
