/* The kernel log reader: lines about SR-IOV, VFs, PF/VF drivers and
 * bonding, kept in m->kmsg; link and failover lines also become events.
 * Live it reads /dev/kmsg read-only and non-blocking from the oldest record
 * (never cleared); under a sysroot <root>/kmsg.txt (/dev/kmsg format) or
 * <root>/dmesg.txt ("[  12.345678] text"). kmsg_parse_dmesg() and
 * kmsg_parse_records() take a buffer (a sos report's dmesg, a fuzzer).
 * Every file read goes through collectors/root.h. */
#include "collectors/kmsg.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMSG_MAX_RECORDS 200000  /* bound on /dev/kmsg records walked */
#define KMSG_FILE_MAX (8u << 20)

/* Lines worth keeping: SR-IOV PF/VF drivers, bonding/team, vfio. */
static bool kmsg_interesting(const char *t)
{
	static const char *const words[] = {
		"VF", "vf ", "SR-IOV", "sriov", "bond", "team", "igb", "ixgbe", "i40e", "ice ", "iavf", "mlx5",
		"bnxt", "Spoofed", "spoof", "not trusted", "untrusted", "mailbox", "set_mac_address", "still in reset",
		"Reset indication", "PF returned", "failed opcode", "NIC Link", "Link is", "vfio",
		"transmit queue", "NETDEV WATCHDOG", "promiscuous", "link status definitely",
	};
	/* A word must start at a word boundary ("PVF_..." and "device " are not
	 * "VF" and "ice "); "VF" must also end at one ("VFs" allowed). */
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t wl = strlen(words[i]);
		for (const char *p = t; (p = strstr(p, words[i])); p++) {
			if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			if (!strcmp(words[i], "VF") && (isalpha((unsigned char)p[wl]) || p[wl] == '_') && p[wl] != 's')
				continue;
			return true;
		}
	}
	return false;
}

/* Bonding's link and failover lines also become events (EV_LINK,
 * EV_FAILOVER), so a guest agent serves its recent link/failover history.
 * ts_us is since boot; the wall clock is derived when live. */
static void kmsg_event(struct machine *m, uint64_t ts_us, const char *text)
{
	int kind = strstr(text, "link status definitely") ? EV_LINK :
		   strstr(text, "the new active one") ? EV_FAILOVER : EV_NONE;
	if (!kind || m->nevents >= 4096)
		return;
	struct vfs_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.cpu = -1;
	ev.vf = -1;
	ev.ts_mono_ns = ts_us * 1000ull;
	if (root_is_live()) {
		uint64_t boot = vfs_now_real_ns() - vfs_now_mono_ns();
		ev.ts_real_ns = boot + ev.ts_mono_ns;
	}
	size_t l = strcspn(text, ":");
	if (l && l < sizeof(ev.ifname))
		memcpy(ev.ifname, text, l);
	vfs_strlcpy(ev.driver, "bonding", sizeof(ev.driver));
	vfs_strlcpy(ev.probe, "kmsg", sizeof(ev.probe));
	vfs_sanitize(ev.text, sizeof(ev.text), text);
	machine_add_event(m, &ev);
}

/* One /dev/kmsg record "prio,seq,ts_us,flags[,..];text" (continuation
 * lines " KEY=value" ignored). Returns 0 if it was a record. */
static int kmsg_record(struct machine *m, const char *rec, size_t len)
{
	char line[1024];
	size_t l = MIN(len, sizeof(line) - 1);
	memcpy(line, rec, l);
	line[l] = 0;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	char *semi = strchr(line, ';');
	if (!semi)
		return -EBADMSG;
	*semi = 0;
	unsigned long long pf = 0, seq = 0, ts = 0;
	if (sscanf(line, "%llu,%llu,%llu", &pf, &seq, &ts) != 3)
		return -EBADMSG;
	if (kmsg_interesting(semi + 1)) {
		machine_add_kmsg(m, ts, (int)(pf & 7), semi + 1);
		kmsg_event(m, ts, semi + 1);
	}
	return 0;
}

static size_t kmsg_text(struct machine *m, const char *buf, size_t len, bool dmesg)
{
	size_t pos = 0, before = m->nkmsg;
	while (pos < len) {
		size_t e = pos;
		while (e < len && buf[e] != '\n')
			e++;
		const char *l = buf + pos;
		size_t ll = e - pos;
		pos = e + 1;
		if (!ll || l[0] == ' ')
			continue;
		if (!dmesg) {
			kmsg_record(m, l, ll);
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
			kmsg_event(m, sec * 1000000ull + usec, text);
		}
	}
	return m->nkmsg - before;
}

size_t kmsg_parse_dmesg(struct machine *m, const char *buf, size_t len)
{
	return m && buf ? kmsg_text(m, buf, len, true) : 0;
}

size_t kmsg_parse_records(struct machine *m, const char *buf, size_t len)
{
	return m && buf ? kmsg_text(m, buf, len, false) : 0;
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
			size_t kept = kmsg_text(m, (const char *)b, (size_t)n, i == 1);
			free(b);
			machine_add_source(m, "kmsg", SOURCE_OK, "%s: %zu lines kept", files[i], kept);
			return;
		}
		machine_add_source(m, "kmsg", SOURCE_SKIPPED, "no kmsg.txt or dmesg.txt in the sysroot");
		return;
	}
	/* O_NONBLOCK: read() says EAGAIN at the end instead of waiting for new
	 * records. Opening /dev/kmsg starts at the oldest record; nothing is
	 * cleared (that would take SYSLOG_ACTION_CLEAR, never done here). */
	int fd = root_open("dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		machine_add_source(m, "kmsg", fd == -EPERM || fd == -EACCES ? SOURCE_SKIPPED : SOURCE_FAILED,
				   "/dev/kmsg: %s%s", strerror(-fd),
				   fd == -EPERM || fd == -EACCES ? " (kernel.dmesg_restrict? run as root)" : "");
		return;
	}
	char rec[8192];
	size_t before = m->nkmsg;
	int records = 0;
	while (records < KMSG_MAX_RECORDS) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				continue; /* overwritten while reading: next read resyncs */
			if (errno != EAGAIN)
				machine_add_source(m, "kmsg", SOURCE_PARTIAL, "/dev/kmsg: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		rec[n] = 0;
		kmsg_record(m, rec, (size_t)n);
		records++;
	}
	close(fd);
	machine_add_source(m, "kmsg", SOURCE_OK, "%d records, %zu lines kept", records, m->nkmsg - before);
}

