/* Loading a guest's view. The guest is not trusted: it may send too much,
 * too slowly, nothing, garbage or lies. Every path here is bounded: one
 * deadline covers connect, request and reply (non-blocking socket + poll),
 * the reply is capped at VFS_JSON_MAX_BYTES, and machine_from_text checks
 * depth, counts and types. Indexes in the guest document are never used
 * (correlation recomputes them). */
#include "collectors/guest.h"
#include "model/json.h"
#include "lib/util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

static int parse_port(const char *s, unsigned max, unsigned *out)
{
	int64_t v;
	if (!s || vfs_parse_i64(s, 10, &v) || v < 0 || v > (int64_t)max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

int guest_parse_addr(const char *spec, bool listen_side, struct sockaddr_storage *ss, unsigned *sslen)
{
	char b[128];
	memset(ss, 0, sizeof(*ss));
	if (!spec || strlen(spec) >= sizeof(b))
		return -EINVAL;
	vfs_strlcpy(b, spec, sizeof(b));
	if (!strncmp(b, "vsock:", 6)) {
		struct sockaddr_vm *vm = (struct sockaddr_vm *)ss;
		char *a = b + 6, *c = strchr(a, ':');
		unsigned cid, port = VFS_AGENT_PORT;
		if (c)
			*c = 0;
		if (listen_side && !c) { /* vsock:PORT */
			cid = VMADDR_CID_ANY;
			if (parse_port(a, 0xffffffffu - 1, &port))
				return -EINVAL;
		} else {
			if (parse_port(a, 0xffffffffu - 1, &cid))
				return -EINVAL;
			if (c && parse_port(c + 1, 0xffffffffu - 1, &port))
				return -EINVAL;
		}
		vm->svm_family = AF_VSOCK;
		vm->svm_cid = cid;
		vm->svm_port = port;
		*sslen = sizeof(*vm);
		return 0;
	}
	if (strncmp(b, "tcp:", 4))
		return -EINVAL;
	char *host = b + 4, *pc;
	if (*host == '[') { /* [v6]:port */
		char *e = strchr(host, ']');
		if (!e || e[1] != ':')
			return -EINVAL;
		*e = 0;
		host++;
		pc = e + 2;
	} else {
		char *c = strrchr(host, ':');
		if (!c)
			return -EINVAL;
		*c = 0;
		pc = c + 1;
	}
	unsigned port;
	if (parse_port(pc, 65535, &port) || (!listen_side && port == 0))
		return -EINVAL;
	/* Numeric addresses only: a name lookup could block past any deadline. */
	if (!strcmp(host, "localhost"))
		host = "127.0.0.1";
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

static int remaining_ms(uint64_t deadline)
{
	uint64_t now = vfs_now_mono_ns();
	if (now >= deadline)
		return 0;
	return (int)MIN((deadline - now) / 1000000 + 1, (uint64_t)600000);
}

/* Wait for events on fd before the deadline: 1 ready, 0 timed out, -errno. */
static int wait_fd(int fd, short ev, uint64_t deadline)
{
	for (;;) {
		int ms = remaining_ms(deadline);
		if (!ms)
			return 0;
		struct pollfd p = { .fd = fd, .events = ev };
		int r = poll(&p, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			continue; /* re-check the deadline */
		return 1;
	}
}

/* Read fd to EOF into a NUL-terminated buffer of at most VFS_JSON_MAX_BYTES
 * (a guest decides how much it sends). A non-blocking socket waits for data
 * until deadline; deadline 0 = a blocking fd (a file). */
static char *read_all(int fd, uint64_t deadline, size_t *len, const char *what, char *err, size_t errlen,
		      bool *reset)
{
	size_t cap = 65536, off = 0;
	char *buf = vfs_xcalloc(1, cap + 1);
	for (;;) {
		if (off == cap) {
			if (cap > VFS_JSON_MAX_BYTES) {
				snprintf(err, errlen, "%s larger than %u bytes", what, VFS_JSON_MAX_BYTES);
				goto fail;
			}
			cap *= 2;
			buf = vfs_xrealloc(buf, cap + 1, 1);
		}
		ssize_t n = read(fd, buf + off, cap - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		int r = -errno;
		if (errno == EAGAIN && deadline && (r = wait_fd(fd, POLLIN, deadline)) > 0)
			continue;
		if (reset)
			*reset = r == -ECONNRESET && !off;
		snprintf(err, errlen, "%s: %s after %zu bytes", what, r ? strerror(-r) : "timed out", off);
		goto fail;
	}
	buf[off] = 0;
	*len = off;
	return buf;
fail:
	free(buf);
	return NULL;
}

/* One connection: connect, request, reply. *closed: the peer closed (or
 * reset) it before sending a byte (an agent making room for a newer
 * client: cli/agent_loop.h), worth another try. */
static char *fetch_once(const struct sockaddr_storage *ssp, unsigned sl, uint64_t deadline, size_t *len, char *err,
			size_t errlen, bool *closed)
{
	const struct sockaddr_storage ss = *ssp;
	*closed = false;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) && errno != EINPROGRESS) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		goto fail;
	}
	int r = wait_fd(fd, POLLOUT, deadline);
	if (r <= 0) {
		snprintf(err, errlen, "connect: %s", r ? strerror(-r) : "timed out");
		goto fail;
	}
	int soerr = 0;
	socklen_t el = sizeof(soerr);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el);
	if (soerr) {
		snprintf(err, errlen, "connect: %s", strerror(soerr));
		goto fail;
	}
	const char *req = VFS_AGENT_REQUEST;
	size_t off = 0, rl = strlen(req);
	while (off < rl) {
		ssize_t n = send(fd, req + off, rl - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(err, errlen, "send: %s", strerror(errno));
			goto fail;
		}
		if ((r = wait_fd(fd, POLLOUT, deadline)) <= 0) {
			snprintf(err, errlen, "send: %s", r ? strerror(-r) : "timed out");
			goto fail;
		}
	}
	char *buf = read_all(fd, deadline, len, "reply", err, errlen, closed);
	close(fd);
	if (buf && !*len)
		*closed = true;
	return buf;
fail:
	close(fd);
	return NULL;
}

/* Within the one deadline, a connection the agent closed before its first
 * byte is tried again (every 20 ms): under attack it may shut down
 * connections to make room, and the last try's answer is what counts. */
static char *fetch(const char *spec, int timeout_ms, size_t *len, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned sl;
	if (guest_parse_addr(spec, false, &ss, &sl)) {
		snprintf(err, errlen, "bad guest address (want vsock:CID[:PORT] or tcp:ADDR:PORT)");
		return NULL;
	}
	uint64_t deadline = vfs_now_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
	for (;;) {
		bool closed;
		char *buf = fetch_once(&ss, sl, deadline, len, err, errlen, &closed);
		if (!closed || remaining_ms(deadline) < 40)
			return buf;
		free(buf);
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	char *buf = read_all(fd, 0, len, "file", err, errlen, NULL);
	close(fd);
	return buf;
}

/* jansson spends about 2.5 us per object: a guest could make us parse
 * millions within the byte limit. A guest view (netdevs, a few PFs, teams,
 * kernel log lines) has a few thousand objects; refuse more than this
 * before parsing. Counted outside strings; a bound, not a validator. */
#define GUEST_MAX_OBJECTS 100000

static size_t count_objects(const char *t, size_t len)
{
	size_t n = 0;
	bool in_str = false;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			n++;
		}
	}
	return n;
}

struct machine *guest_load(const char *spec, bool is_file, int timeout_ms, char *err, size_t errlen)
{
	size_t len = 0;
	char *text = is_file ? read_file(spec, &len, err, errlen) : fetch(spec, timeout_ms, &len, err, errlen);
	if (!text)
		return NULL;
	if (!is_file && !strncmp(text, "ERR", 3)) {
		char clean[200];
		text[strcspn(text, "\n")] = 0;
		snprintf(err, errlen, "agent refused: %s", vfs_sanitize(clean, sizeof(clean), text));
		free(text);
		return NULL;
	}
	size_t nobj = count_objects(text, len);
	if (nobj > GUEST_MAX_OBJECTS) {
		snprintf(err, errlen, "bad guest document: %zu objects/arrays (limit %d)", nobj, GUEST_MAX_OBJECTS);
		free(text);
		return NULL;
	}
	char perr[256];
	struct machine *g = machine_from_text(text, len, SRC_GUEST, perr, sizeof(perr));
	free(text);
	if (!g) {
		snprintf(err, errlen, "bad guest document: %s", perr);
		return NULL;
	}
	/* A guest speaks for itself only: drop anything it claims about others. */
	for (size_t i = 0; i < g->nguests; i++)
		machine_free(g->guests[i]);
	g->nguests = 0;
	free(g->role);
	g->role = vfs_xstrdup("guest");
	free(g->label);
	g->label = vfs_sanitize_dup(spec);
	machine_add_source(g, "guest", SOURCE_OK, "%s", is_file ? "file" : "agent");
	machine_link(g);
	return g;
}
