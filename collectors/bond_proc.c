#include "collectors/bond_proc.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void set_if_unknown(struct vs *f, const char *v)
{
	if (!VS_KNOWN(*f) && v && *v)
		vs_set(f, v, SRC_PROCFS);
}

static void seti_if_unknown(struct vi *f, const char *v)
{
	int64_t x;
	if (!VI_KNOWN(*f) && !vfs_parse_i64(v, 10, &x))
		vi_set(f, x, SRC_PROCFS);
}

/* An unterminated last line is treated as cut off and ignored. */
int bond_proc_parse(const char *text, size_t len, struct team *t)
{
	char line[512];
	struct member *cur = NULL;
	int understood = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		if (e == len)
			break; /* procfs ends every line: an unterminated one was cut */
		size_t l = MIN(e - pos, sizeof(line) - 1);
		memcpy(line, text + pos, l);
		line[l] = 0;
		pos = e + 1;
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = 0;
		char *key = line, *val = colon + 1;
		while (*val == ' ')
			val++;
		vfs_chomp(val);
		char clean[512];
		vfs_sanitize(clean, sizeof(clean), val);
		if (!strcmp(key, "Slave Interface")) {
			cur = NULL;
			for (size_t i = 0; i < t->nmembers; i++)
				if (t->members[i].name.v && !strcmp(t->members[i].name.v, clean))
					cur = &t->members[i];
			if (!cur && t->nmembers < 64 && clean[0])
				cur = team_add_member(t, clean), cur->name.src = SRC_PROCFS;
			understood++;
			continue;
		}
		if (!cur) { /* bond-level section */
			if (!strcmp(key, "Bonding Mode")) {
				/* bonding's procfs names (bond_mode_name()) -> mode names */
				static const char *const names[][2] = {
					{ "load balancing (round-robin)", "balance-rr" },
					{ "fault-tolerance (active-backup)", "active-backup" },
					{ "load balancing (xor)", "balance-xor" },
					{ "fault-tolerance (broadcast)", "broadcast" },
					{ "IEEE 802.3ad Dynamic link aggregation", "802.3ad" },
					{ "transmit load balancing", "balance-tlb" },
					{ "adaptive load balancing", "balance-alb" },
				};
				const char *mode = NULL;
				for (size_t i = 0; i < ARRAY_SIZE(names); i++)
					if (!strcmp(clean, names[i][0]))
						mode = names[i][1];
				set_if_unknown(&t->mode, mode ? mode : clean);
			} else if (!strcmp(key, "Currently Active Slave")) {
				if (strcmp(clean, "None"))
					set_if_unknown(&t->active, clean);
			} else if (!strcmp(key, "Primary Slave")) {
				char *sp = strchr(clean, ' ');
				if (sp)
					*sp = 0;
				if (strcmp(clean, "None"))
					set_if_unknown(&t->primary, clean);
			} else if (!strcmp(key, "MII Polling Interval (ms)")) {
				seti_if_unknown(&t->miimon, clean);
			} else if (!strcmp(key, "ARP Polling Interval (ms)")) {
				seti_if_unknown(&t->arp_interval, clean);
			} else if (!strcmp(key, "Up Delay (ms)")) {
				seti_if_unknown(&t->updelay, clean);
			} else if (!strcmp(key, "Down Delay (ms)")) {
				seti_if_unknown(&t->downdelay, clean);
			} else if (!strcmp(key, "Transmit Hash Policy")) {
				char *sp = strchr(clean, ' ');
				if (sp)
					*sp = 0;
				set_if_unknown(&t->xmit_hash_policy, clean);
			} else {
				continue;
			}
			understood++;
			continue;
		}
		if (!strcmp(key, "MII Status"))
			set_if_unknown(&cur->mii_status, clean);
		else if (!strcmp(key, "Permanent HW addr"))
			set_if_unknown(&cur->perm_mac, clean);
		else if (!strcmp(key, "Link Failure Count"))
			seti_if_unknown(&cur->link_failures, clean);
		else if (!strcmp(key, "Speed")) {
			int64_t sp;
			char *u = strchr(clean, ' ');
			if (u)
				*u = 0;
			if (!vfs_parse_i64(clean, 10, &sp) && !VI_KNOWN(cur->speed))
				vi_set(&cur->speed, sp, SRC_PROCFS);
		} else if (!strcmp(key, "Duplex"))
			set_if_unknown(&cur->duplex, clean);
		else
			continue;
		understood++;
	}
	return understood;
}

void bond_proc_add(struct machine *m, const char *name, const char *text, size_t len)
{
	struct team *t = NULL;
	for (size_t i = 0; i < m->nteams && !t; i++)
		if (m->teams[i].name.v && !strcmp(m->teams[i].name.v, name))
			t = &m->teams[i];
	if (!t) {
		t = machine_add_team(m, name);
		t->name.src = SRC_PROCFS;
		t->driver = TEAM_BONDING;
	}
	bond_proc_parse(text, len, t);
}

int bond_proc_collect(struct machine *m)
{
	DIR *d = root_opendir("proc/net/bonding");
	if (!d) {
		if (m->nteams)
			machine_add_source(m, "procfs", SOURCE_PARTIAL, "proc/net/bonding: %s", strerror(errno));
		return 0;
	}
	struct dirent *e;
	int n = 0;
	char path[512], buf[16384];
	while ((e = readdir(d)) && n < 1024) {
		if (e->d_name[0] == '.' || !vfs_is_sane(e->d_name))
			continue;
		snprintf(path, sizeof(path), "proc/net/bonding/%s", e->d_name);
		ssize_t len = root_read(path, buf, sizeof(buf));
		if (len < 0)
			continue;
		bond_proc_add(m, e->d_name, buf, (size_t)len);
		n++;
	}
	closedir(d);
	machine_add_source(m, "procfs", SOURCE_OK, "%d bonds", n);
	return n;
}
