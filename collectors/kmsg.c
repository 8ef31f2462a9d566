/* The kernel log reader: lines about SR-IOV, VFs, PF/VF drivers and
 * bonding, kept in m->kmsg; link and failover lines also become events.
 * Live it reads /dev/kmsg read-only and non-blocking from the oldest record
 * (never cleared); under a sysroot <root>/kmsg.txt (/dev/kmsg format) or
 * <root>/dmesg.txt ("[  12.345678] text"). kmsg_parse_dmesg() and
 * kmsg_parse_records() take a buffer (a sos report's dmesg, a fuzzer).
 * Every file read goes through collectors/root.h.
 *
 * /dev/kmsg gives one record a read() and the kernel formats each (~1.5 us
 * a record here; klogctl(SYSLOG_ACTION_READ_ALL) is no cheaper: it formats
 * every record twice, once to size the answer, and drops the escaping and
 * the structured header). So a live collection starts the read in a thread
 * (kmsg_prefetch, from collect_machine) while sysfs and netlink are read,
 * and kmsg_collect takes what it read and reads on, on the same descriptor,
 * to the end: the same records as reading it all there and then. */
#include "collectors/kmsg.h"
#include "collectors/kmsg_filter.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define KMSG_MAX_RECORDS 200000  /* bound on /dev/kmsg records walked */
#define KMSG_FILE_MAX (8u << 20)

/* Which kernel lines are link or failover events:
 *  - the PF/VF drivers' link reports, as the drivers print them:
 *    igb "igb: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX"
 *    / "igb: eth0 NIC Link is Down", ixgbe/e1000e/bnxt_en/i40e/iavf/ixgbevf
 *    "NIC Link is Up ..." / "NIC Link is Down", ice "NIC Link is up ...",
 *    igbvf "Link is Up 1000 Mbps Full Duplex" / "Link is Down", mlx5_core
 *    "Link up" / "Link down" -> EV_LINK;
 *  - bonding: "link status definitely up/down", "link status down for
 *    interface, disabling it in N ms", "link status up again ..." -> EV_LINK;
 *    "making interface the new active one", "now running without any active
 *    interface!" -> EV_FAILOVER.
 * *bonding says which: a bonding line names its bond first, a driver line
 * its driver. */
static int kmsg_kind(const char *text, bool *bonding)
{
	*bonding = false;
	if (strstr(text, "the new active one") || strstr(text, "without any active interface")) {
		*bonding = true;
		return EV_FAILOVER;
	}
	if (strstr(text, "link status definitely") || strstr(text, "link status down for interface") ||
	    strstr(text, "link status up for interface") || strstr(text, "link status up again") ||
	    strstr(text, "link status down again")) {
		*bonding = true;
		return EV_LINK;
	}
	/* a paravirtual failover pair's data path moving (issue 15,
	 * collectors/pair_kmsg.h): netvsc's switch, net_failover's primary
	 * coming or going; logged on the pair's device ("DRIVER BUS IFNAME:") */
	if (strstr(text, "Data path switched ") || strstr(text, "failover primary slave:"))
		return EV_FAILOVER;
	if (strstr(text, "(slave "))
		return EV_NONE; /* other bonding lines that happen to say "link is" */
	if (strcasestr(text, "Link is Up") || strcasestr(text, "Link is Down"))
		return EV_LINK;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\n'))
		n--;
	if ((n >= 9 && !strncmp(text + n - 9, ": Link up", 9)) || (n >= 11 && !strncmp(text + n - 11, ": Link down", 11)))
		return EV_LINK;
	return EV_NONE;
}

/* Copy the word w (up to len) into out if it looks like a netdev name. */
static void set_name(char *out, size_t size, const char *w, size_t len)
{
	if (!len || len >= size || len >= 16)
		return;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)w[i]) && !strchr("_-.@", w[i]))
			return;
	memcpy(out, w, len);
	out[len] = 0;
}

/* The netdev and driver a driver line is about: "DRIVER BUS IFNAME: msg"
 * (netdev_info), "DRIVER BUS: msg" (dev_info, no netdev), or "DRIVER: IFNAME
 * msg" (older pr_info). */
static void driver_line_names(const char *text, struct vfs_event *ev)
{
	const char *w1 = text, *e1 = w1 + strcspn(w1, " :");
	if (e1 == w1)
		return;
	size_t l1 = (size_t)(e1 - w1);
	if (l1 < sizeof(ev->driver))
		memcpy(ev->driver, w1, l1);
	if (*e1 == ':') { /* "e1000e: eth0 NIC Link is Up"; "eth0: NIC Link is Up" names no driver */
		const char *w = e1 + 1 + strspn(e1 + 1, " ");
		if (!strncmp(w, "NIC ", 4) || !strncasecmp(w, "Link ", 5)) {
			ev->driver[0] = 0;
			set_name(ev->ifname, sizeof(ev->ifname), w1, l1);
		} else {
			set_name(ev->ifname, sizeof(ev->ifname), w, strcspn(w, " :"));
		}
		return;
	}
	const char *w2 = e1 + 1, *e2 = w2 + strcspn(w2, " ");
	if (e2 == w2 || e2[-1] == ':' || !*e2)
		return; /* "igbvf 0000:01:10.0: Link is Up": no netdev named */
	const char *w3 = e2 + 1, *e3 = w3 + strcspn(w3, " ");
	if (e3 > w3 && e3[-1] == ':')
		set_name(ev->ifname, sizeof(ev->ifname), w3, (size_t)(e3 - w3 - 1));
}

/* Link and failover lines also become events (EV_LINK, EV_FAILOVER), so the
 * Events panel and a guest agent show the link/failover history. ts_us is
 * since boot; the wall clock is derived only for this machine's own live
 * log (a sos report's dmesg was another boot). machine_add_event keeps
 * the newest when the model's bound is reached. */
static void kmsg_event(struct machine *m, uint64_t ts_us, const char *text, bool live)
{
	bool bonding;
	int kind = kmsg_kind(text, &bonding);
	if (!kind)
		return;
	struct vfs_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.cpu = -1;
	ev.vf = -1;
	ev.ts_mono_ns = ts_us * 1000ull;
	if (live) {
		uint64_t boot = vfs_now_real_ns() - vfs_now_mono_ns();
		ev.ts_real_ns = boot + ev.ts_mono_ns;
	}
	if (bonding) {
		/* "bond0: (slave eth2): ..." or the older "bonding: bond0: ..." */
		const char *t = !strncmp(text, "bonding: ", 9) ? text + 9 : text;
		set_name(ev.ifname, sizeof(ev.ifname), t, strcspn(t, ":"));
		vfs_strlcpy(ev.driver, "bonding", sizeof(ev.driver));
	} else {
		driver_line_names(text, &ev);
	}
	vfs_strlcpy(ev.probe, "kmsg", sizeof(ev.probe));
	vfs_sanitize(ev.text, sizeof(ev.text), text);
	machine_add_event(m, &ev);
}

/* One /dev/kmsg record "prio,seq,ts_us,flags[,..];text" (continuation
 * lines " KEY=value" ignored), copied into line[KMSG_LINE]: 1 and *ts,
 * *prio, *text (in line) when it is kept, 0 when not, -EBADMSG when it is
 * not a record. The header is parsed only for a line that is kept (most are
 * not: sscanf was 3 % of a live snapshot), so a line that is not kept
 * returns 0 either way. */
#define KMSG_LINE 1024
static int record_parse(const char *rec, size_t len, char *line, uint64_t *ts, int *prio, char **text)
{
	size_t l = MIN(len, KMSG_LINE - 1);
	memcpy(line, rec, l);
	line[l] = 0;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	char *semi = strchr(line, ';');
	if (!semi)
		return -EBADMSG;
	*semi = 0;
	if (!kmsg_interesting(semi + 1))
		return 0;
	unsigned long long pf = 0, seq = 0, t = 0;
	if (sscanf(line, "%llu,%llu,%llu", &pf, &seq, &t) != 3)
		return -EBADMSG;
	*ts = t;
	*prio = (int)(pf & 7);
	*text = semi + 1;
	return 1;
}

/* A kept line into the model: the line, and its event when it is one. */
static void kmsg_add(struct machine *m, uint64_t ts, int prio, const char *text, bool live)
{
	machine_add_kmsg(m, ts, prio, text);
	kmsg_event(m, ts, text, live);
}

/* A record from a buffer (kmsg.txt, a fuzzer) into the model. */
static int kmsg_record(struct machine *m, const char *rec, size_t len, bool live)
{
	char line[KMSG_LINE], *text;
	uint64_t ts;
	int prio, r = record_parse(rec, len, line, &ts, &prio, &text);
	if (r <= 0)
		return r;
	kmsg_add(m, ts, prio, text, live);
	return 0;
}

static size_t kmsg_text(struct machine *m, const char *buf, size_t len, bool dmesg, bool live)
{
	size_t pos = 0, before = m->nkmsg;
	const char *l;
	size_t ll;
	while (vfs_next_line(buf, len, &pos, &l, &ll)) {
		if (!ll || l[0] == ' ')
			continue;
		if (!dmesg) {
			kmsg_record(m, l, ll, live);
			continue;
		}
		/* "[   12.345678] text" or "<4>[ 12.3] text" */
		char line[1024];
		size_t n = MIN(ll, sizeof(line) - 1);
		memcpy(line, l, n);
		line[n] = 0;
		int prio = 6;
		char *p = line;
		if (p[0] == '<' && isdigit((unsigned char)p[1]) && p[2] == '>') {
			prio = p[1] - '0';
			p += 3;
		}
		unsigned long long sec = 0, usec = 0;
		char *text = p;
		if (*p == '[') {
			char *close = strchr(p, ']');
			if (close) {
				sscanf(p + 1, " %llu.%llu", &sec, &usec);
				text = close + 1;
				while (*text == ' ')
					text++;
			}
		}
		if (kmsg_interesting(text)) {
			machine_add_kmsg(m, sec * 1000000ull + usec, prio, text);
			kmsg_event(m, sec * 1000000ull + usec, text, live);
		}
	}
	return m->nkmsg - before;
}

size_t kmsg_parse_dmesg(struct machine *m, const char *buf, size_t len)
{
	return m && buf ? kmsg_text(m, buf, len, true, false) : 0;
}

size_t kmsg_parse_records(struct machine *m, const char *buf, size_t len)
{
	return m && buf ? kmsg_text(m, buf, len, false, false) : 0;
}

/* ---- live: /dev/kmsg ----------------------------------------------------- */

/* A record kept by the live reader, parsed apart from the model: the
 * prefetch thread may not touch the machine. */
struct kept {
	uint64_t ts;
	int prio;
	char *text;
};

struct kmsg_live {
	int fd;
	int records;    /* records read, bounded by KMSG_MAX_RECORDS */
	int err;        /* errno of a failed read (the source is then PARTIAL) */
	bool done;      /* an error or the bound: read no more */
	struct kept *v; /* the kept ones, oldest first */
	size_t n, cap;
	pthread_t th;
};

/* The reader started by kmsg_prefetch() and not yet taken by kmsg_collect().
 * Whichever collection takes it reads on to the end, so two at once (none
 * today) would each still see every record. */
static struct kmsg_live *pending;
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

/* O_NONBLOCK: read() says EAGAIN at the end instead of waiting for new
 * records. Opening /dev/kmsg starts at the oldest record; nothing is
 * cleared (that would take SYSLOG_ACTION_CLEAR, never done here). */
static int live_open(void)
{
	return root_open("dev/kmsg", O_RDONLY | O_NONBLOCK);
}

/* A record read live, kept in L when record_parse() keeps it. */
static void live_keep(struct kmsg_live *L, const char *rec, size_t len)
{
	char line[KMSG_LINE], *text;
	uint64_t ts;
	int prio;
	if (record_parse(rec, len, line, &ts, &prio, &text) <= 0)
		return;
	VFS_PUSH(L->v, L->n, L->cap);
	L->v[L->n++] = (struct kept){ ts, prio, vfs_xstrdup(text) };
}

/* Reads records until the end (EAGAIN), an error or the bound. */
static void live_read(struct kmsg_live *L)
{
	char rec[8192];
	while (!L->done && L->records < KMSG_MAX_RECORDS) {
		ssize_t n = read(L->fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				continue; /* overwritten while reading: next read resyncs */
			if (errno != EAGAIN) {
				L->err = errno;
				L->done = true;
			}
			return;
		}
		if (n == 0)
			return;
		rec[n] = 0;
		live_keep(L, rec, (size_t)n);
		L->records++;
	}
	L->done = true;
}

static void *live_thread(void *arg)
{
	live_read(arg);
	return NULL;
}

void kmsg_prefetch(void)
{
	if (!root_is_live())
		return;
	pthread_mutex_lock(&pending_lock);
	int fd = pending ? -EBUSY : live_open(); /* failing, kmsg_collect opens it again and says why */
	struct kmsg_live *L = fd >= 0 ? vfs_xcalloc(1, sizeof(*L)) : NULL;
	if (L) {
		L->fd = fd;
		if (pthread_create(&L->th, NULL, live_thread, L)) {
			close(fd);
			free(L);
		} else {
			pending = L;
		}
	}
	pthread_mutex_unlock(&pending_lock);
}

void kmsg_collect(struct machine *m)
{
	if (!m)
		return;
	if (!root_is_live()) {
		static const char *const files[] = { "kmsg.txt", "dmesg.txt" };
		for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
			unsigned char *b = NULL;
			ssize_t n = root_read_bin(files[i], &b, KMSG_FILE_MAX);
			if (n < 0)
				continue;
			size_t kept = kmsg_text(m, (const char *)b, (size_t)n, i == 1, false);
			free(b);
			machine_add_source(m, "kmsg", SOURCE_OK, "%s: %zu lines kept%s", files[i], kept,
					   m->kmsg_dropped ? " (the oldest dropped: only the newest are held)" : "");
			return;
		}
		machine_add_source(m, "kmsg", SOURCE_SKIPPED, "no kmsg.txt or dmesg.txt in the sysroot");
		return;
	}
	/* Live: the prefetch's reader when there is one, else a new one. */
	pthread_mutex_lock(&pending_lock);
	struct kmsg_live *L = pending;
	pending = NULL;
	pthread_mutex_unlock(&pending_lock);
	if (L) {
		pthread_join(L->th, NULL);
	} else {
		int fd = live_open();
		if (fd < 0) {
			machine_add_source(m, "kmsg", fd == -EPERM || fd == -EACCES ? SOURCE_SKIPPED : SOURCE_FAILED,
					   "/dev/kmsg: %s%s", strerror(-fd),
					   fd == -EPERM || fd == -EACCES ? " (kernel.dmesg_restrict? run as root)" : "");
			return;
		}
		L = vfs_xcalloc(1, sizeof(*L));
		L->fd = fd;
	}
	live_read(L); /* on to the end: the records logged since the prefetch stopped */
	close(L->fd);
	size_t before = m->nkmsg;
	for (size_t i = 0; i < L->n; i++) {
		kmsg_add(m, L->v[i].ts, L->v[i].prio, L->v[i].text, true);
		free(L->v[i].text);
	}
	free(L->v);
	if (L->err)
		machine_add_source(m, "kmsg", SOURCE_PARTIAL, "/dev/kmsg: %s", strerror(L->err));
	if (m->kmsg_dropped)
		machine_add_source(m, "kmsg", SOURCE_OK, "%d records, %zu lines held, %zu older ones dropped", L->records,
				   m->nkmsg, m->kmsg_dropped);
	else
		machine_add_source(m, "kmsg", SOURCE_OK, "%d records, %zu lines kept", L->records, m->nkmsg - before);
	free(L);
}
