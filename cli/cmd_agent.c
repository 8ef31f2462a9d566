/* vfscope agent: serve this guest's view (teams, members, netdevs, kernel
 * log lines) as one JSON document per request, over AF_VSOCK or TCP.
 * Read-only; binds only what --listen names; serves several clients at
 * once (cli/agent_loop.c: a deadline per connection, a bounded share per
 * peer, an optional allow-list); requests are one line of at most
 * VFS_AGENT_MAX_REQUEST bytes:
 *   "GET snapshot v1\n" -> the snapshot document (role "guest"), then close
 *   anything else       -> "ERR <reason>\n", then close
 * Each connection has a deadline (--timeout, default 5000 ms) for reading
 * the request and writing the reply. SIGTERM/SIGINT end it cleanly.
 * Socket activation (sd_listen_fds(3), without libsystemd): when
 * LISTEN_PID is this process, the LISTEN_FDS sockets from fd 3 on are used
 * instead of --listen (each checked: a listening stream socket of
 * AF_VSOCK, AF_INET or AF_INET6); contrib/systemd/vfscope-agent.socket. */
#include "cli/cli.h"
#include "cli/agent_loop.h"
#include "cli/common.h"
#include "collectors/guest.h"
#include "lib/util.h"
#include "model/json.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#define MAX_LISTEN 4
#define SD_LISTEN_FDS_START 3 /* sd_listen_fds(3) */

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope agent --listen tcp:ADDR:PORT|vsock:PORT [--listen ...] [options]\n\n"
		   "Serve this guest's view to 'vfscope ... --guest SPEC' on the host. Binds nothing\n"
		   "unless told; answers only \"" "GET snapshot v1" "\" with one JSON document.\n\n"
		   "  -l, --listen SPEC    tcp:127.0.0.1:7477, tcp:[::1]:7477 or vsock:7477 (any CID);\n"
		   "                       sockets handed by systemd (LISTEN_FDS) replace it\n"
		   "  --timeout MS         per-connection deadline from accept (default 5000)\n"
		   "  --allow PEER         serve only these peers: ADDR[/PREFIX] (TCP) or cid:N\n"
		   "                       (vsock; the host is cid:2); repeatable, default any\n"
		   "  --max-connections N  clients served at once (default 256, at most 1024)\n"
		   "  --per-peer N         of them from one address or CID (default 64); past\n"
		   "                       either, the oldest still sending its request is closed\n"
		   "  --once               serve one connection and exit\n"
		   "  --sysroot DIR        read DIR/sys and DIR/proc (tests)\n"
		   "  --no-netlink         skip rtnetlink\n"
		   "  --no-kmsg            do not read the kernel log\n");
}

/* Sockets passed the sd_listen_fds(3) way: LISTEN_PID names this process,
 * LISTEN_FDS counts them from fd 3. Returns how many were taken into fds
 * (0: none passed), or -1 with the reason on stderr when what was passed
 * is not a listening stream socket of a family the agent serves. The
 * variables are removed so that nothing this process starts sees them. */
static int listen_fds_from_systemd(int *fds, int max)
{
	const char *pid_s = getenv("LISTEN_PID"), *n_s = getenv("LISTEN_FDS");
	int64_t pid, n;
	if (!pid_s || !n_s)
		return 0;
	bool mine = !vfs_parse_i64(pid_s, 10, &pid) && pid == (int64_t)getpid();
	bool counted = !vfs_parse_i64(n_s, 10, &n);
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (!mine)
		return 0; /* meant for another process (our parent) */
	if (!counted || n < 0) {
		fprintf(stderr, "vfscope agent: bad LISTEN_FDS '%s'\n", n_s);
		return -1;
	}
	if (n > max) {
		fprintf(stderr, "vfscope agent: systemd passed %lld sockets, at most %d are served\n", (long long)n, max);
		return -1;
	}
	for (int i = 0; i < (int)n; i++) {
		int fd = SD_LISTEN_FDS_START + i, acc = 0, type = 0, dom = 0;
		socklen_t l1 = sizeof(acc), l2 = sizeof(type), l3 = sizeof(dom);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &l1) || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l2) ||
		    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l3)) {
			fprintf(stderr, "vfscope agent: LISTEN_FDS fd %d: not a socket (%s)\n", fd, strerror(errno));
			return -1;
		}
		if (!acc || type != SOCK_STREAM || (dom != AF_VSOCK && dom != AF_INET && dom != AF_INET6)) {
			fprintf(stderr, "vfscope agent: LISTEN_FDS fd %d: not a listening stream socket of AF_VSOCK, AF_INET "
					"or AF_INET6 (family %d, type %d, listening %d)\n", fd, dom, type, acc);
			return -1;
		}
		int fl = fcntl(fd, F_GETFL);
		/* poll() then accept4(): a listener that blocks could hang on a
		 * connection that went away in between */
		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) || fcntl(fd, F_SETFD, FD_CLOEXEC)) {
			fprintf(stderr, "vfscope agent: LISTEN_FDS fd %d: %s\n", fd, strerror(errno));
			return -1;
		}
		fds[i] = fd;
	}
	return (int)n;
}

static const char *family_name(int fd)
{
	int dom = 0;
	socklen_t l = sizeof(dom);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l);
	return dom == AF_VSOCK ? "vsock" : dom == AF_INET ? "tcp" : dom == AF_INET6 ? "tcp6" : "?";
}

int cmd_agent(int argc, char **argv)
{
	enum { OPT_TIMEOUT = OPT_COMMON_END + 1, OPT_ONCE, OPT_ALLOW, OPT_MAXCONN, OPT_PERPEER };
	static const struct option lo[] = {
		{ "listen", required_argument, NULL, 'l' }, { "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "once", no_argument, NULL, OPT_ONCE }, { "help", no_argument, NULL, 'h' },
		{ "allow", required_argument, NULL, OPT_ALLOW }, { "max-connections", required_argument, NULL, OPT_MAXCONN },
		{ "per-peer", required_argument, NULL, OPT_PERPEER },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT }, { "no-netlink", no_argument, NULL, OPT_NO_NETLINK },
		{ "no-kmsg", no_argument, NULL, OPT_NO_KMSG }, { 0 } };
	struct common_opts co;
	common_init(&co);
	co.c.role = "guest";
	const char *specs[MAX_LISTEN];
	int nspecs = 0, c, timeout_ms = 5000, once = 0, max_conns = 256, per_peer = 64;
	struct agent_allow allow[AGENT_MAX_ALLOW];
	size_t nallow = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:h", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (nspecs == MAX_LISTEN) {
				fprintf(stderr, "vfscope agent: at most %d --listen\n", MAX_LISTEN);
				return 2;
			}
			specs[nspecs++] = optarg;
			break;
		case OPT_TIMEOUT: {
			int64_t v;
			if (vfs_parse_i64(optarg, 10, &v) || v < 1 || v > 600000) {
				fprintf(stderr, "vfscope agent: bad --timeout\n");
				return 2;
			}
			timeout_ms = (int)v;
			break;
		}
		case OPT_ONCE: once = 1; break;
		case OPT_ALLOW:
			if (nallow == AGENT_MAX_ALLOW || agent_allow_parse(optarg, &allow[nallow])) {
				fprintf(stderr, "vfscope agent: bad --allow %s (want ADDR[/PREFIX] or cid:N, at most %d)\n",
					optarg, AGENT_MAX_ALLOW);
				return 2;
			}
			nallow++;
			break;
		case OPT_MAXCONN:
		case OPT_PERPEER: {
			int64_t v;
			if (vfs_parse_i64(optarg, 10, &v) || v < 1 || v > AGENT_MAX_CONNS) {
				fprintf(stderr, "vfscope agent: --%s wants 1 to %d\n",
					c == OPT_MAXCONN ? "max-connections" : "per-peer", AGENT_MAX_CONNS);
				return 2;
			}
			*(c == OPT_MAXCONN ? &max_conns : &per_peer) = (int)v;
			break;
		}
		case 'h': usage(stdout); return 0;
		default:
			if (common_getopt(&co, c, optarg, "vfscope agent") == 0)
				break;
			usage(stderr);
			return 2;
		}
	}
	int fds[MAX_LISTEN], nfd = 0, rc = 0;
	if (optind < argc) {
		fprintf(stderr, "vfscope agent: unexpected argument\n");
		usage(stderr);
		return 2;
	}
	int handed = listen_fds_from_systemd(fds, MAX_LISTEN);
	if (handed < 0)
		return 2;
	if (!handed && !nspecs) {
		fprintf(stderr, "vfscope agent: nothing to listen on (--listen SPEC)\n");
		usage(stderr);
		return 2;
	}
	nfd = handed;
	bool ignored = handed && nspecs;
	if (handed)
		nspecs = 0; /* systemd's sockets replace --listen (said below) */
	for (int i = 0; i < nspecs; i++) {
		struct sockaddr_storage ss;
		unsigned sl;
		if (guest_parse_addr(specs[i], true, &ss, &sl)) {
			fprintf(stderr, "vfscope agent: bad --listen %s (want tcp:ADDR:PORT or vsock:PORT)\n", specs[i]);
			rc = 2;
			goto out;
		}
		int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		int one = 1;
		if (fd >= 0)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 64)) {
			fprintf(stderr, "vfscope agent: %s: %s\n", specs[i], strerror(errno));
			if (fd >= 0)
				close(fd);
			rc = 2;
			goto out;
		}
		fds[nfd++] = fd;
	}
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: poll returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "vfscope agent: listening on");
	for (int i = 0; i < nspecs; i++)
		fprintf(stderr, " %s", specs[i]);
	for (int i = 0; i < handed; i++)
		fprintf(stderr, " fd %d (%s, from systemd)", fds[i], family_name(fds[i]));
	fprintf(stderr, "%s\n", ignored ? " (--listen ignored: socket activation)" : "");
	struct agent_loop_opts lo_ = { .co = &co, .timeout_ms = timeout_ms, .max_conns = max_conns,
				       .per_peer = MIN(per_peer, max_conns), .cache_ms = 250, .allow = allow,
				       .nallow = nallow, .once = once };
	rc = agent_loop(fds, nfd, &lo_, &stop);
out:
	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	return rc;
}
