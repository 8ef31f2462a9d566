/* The agent's connection loop (vfscope agent): one poll() loop over the
 * listening sockets and at most max_conns clients, so a peer that holds a
 * connection, trickles bytes or sends garbage does not keep the host's own
 * query waiting. Per connection: a deadline from accept (timeout_ms) for
 * the request and the reply. Per peer (IP address, or vsock CID): at most
 * per_peer connections at once; past that, or when the table is full, the
 * oldest connection still reading its request is closed to make room (a
 * host query sends its request at once, so it is never the oldest
 * waiting). Peers not on the allow-list (when one is given) are closed at
 * accept. Replies within cache_ms of a collection share it: a peer asking
 * in a loop costs one collection per cache_ms, not one per request. */
#ifndef VFS_AGENT_LOOP_H
#define VFS_AGENT_LOOP_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli/common.h"

struct agent_allow {
	int family;        /* AF_INET, AF_INET6 or AF_VSOCK */
	uint8_t addr[16];  /* network byte order */
	unsigned prefix;   /* bits that must match (IP) */
	uint32_t cid;      /* AF_VSOCK */
};
#define AGENT_MAX_ALLOW 16
#define AGENT_MAX_CONNS 1024 /* most --max-connections */

/* "192.0.2.0/24", "2001:db8::1", "::1/128", "cid:3" (a vsock peer). 0 or -EINVAL. */
int agent_allow_parse(const char *s, struct agent_allow *a);

struct agent_loop_opts {
	const struct common_opts *co;
	int timeout_ms;
	int max_conns, per_peer, cache_ms;
	const struct agent_allow *allow;
	size_t nallow; /* 0: any peer */
	bool once;     /* return after the first connection is done */
};

/* Serve until *stop; 0, or 2 when poll fails. */
int agent_loop(const int *fds, int nfd, const struct agent_loop_opts *o, volatile sig_atomic_t *stop);
#endif
