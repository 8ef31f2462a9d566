#include "collectors/netns.h"
#include "collectors/bond_proc.h"
#include "collectors/iplink_json.h"
#include "collectors/k8s_owner.h"
#include "collectors/netlink.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void netns_label(struct machine *ns, const char *fallback)
{
	char b[600], c[600];
	if (VS_KNOWN(ns->pod_namespace) && VS_KNOWN(ns->pod_name))
		snprintf(b, sizeof(b), "pod %s/%s", ns->pod_namespace.v, ns->pod_name.v);
	else if (VS_KNOWN(ns->netns_name))
		snprintf(b, sizeof(b), "netns %s", ns->netns_name.v);
	else if (VI_KNOWN(ns->netns_inode))
		snprintf(b, sizeof(b), "netns ino:%lld", (long long)ns->netns_inode.v);
	else
		snprintf(b, sizeof(b), "netns %s", fallback && *fallback ? fallback : "?");
	free(ns->label);
	ns->label = vfs_xstrdup(vfs_sanitize(c, sizeof(c), b));
}

/* ---- reading one namespace: a thread that enters it ---- */

static void read_bonding(struct machine *m, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	int n = 0;
	char path[512], buf[16384];
	while ((e = readdir(d)) && n < 1024) {
		if (e->d_name[0] == '.' || !vfs_is_sane(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len < 0)
			continue;
		buf[len] = 0;
		bond_proc_add(m, e->d_name, buf, (size_t)len);
		n++;
	}
	closedir(d);
	machine_add_source(m, "procfs", SOURCE_OK, "%d bonds", n);
}

struct job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int fd;               /* the namespace, held open: it cannot go away under the read */
	struct machine *m;
	int done, refs;
};

static void job_put(struct job *j) /* with j->mu held; unlocks */
{
	int left = --j->refs;
	pthread_mutex_unlock(&j->mu);
	if (left)
		return;
	if (j->fd >= 0)
		close(j->fd);
	machine_free(j->m);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
}

static void *job_run(void *arg)
{
	struct job *j = arg;
	/* setns() moves only this thread; it ends with the read. */
	if (setns(j->fd, CLONE_NEWNET))
		machine_add_source(j->m, "netlink", SOURCE_FAILED, "setns: %s", strerror(errno));
	else {
		netlink_collect(j->m);
		/* thread-self: this thread's namespace, whatever process holds it */
		read_bonding(j->m, "/proc/thread-self/net/bonding");
	}
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	pthread_cond_signal(&j->cv);
	job_put(j);
	return NULL;
}

/* 0 and the links read into m; -ETIMEDOUT (the thread is left to finish on
 * its own and frees what it has); -errno when no thread could start. */
static int read_ns(struct machine *m, int fd, int timeout_ms)
{
	struct job *j = vfs_xcalloc(1, sizeof(*j));
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->fd = fd;
	j->m = machine_new("netns");
	j->refs = 2;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_t t;
	int r = pthread_create(&t, &at, job_run, j);
	pthread_attr_destroy(&at);
	if (r) {
		j->fd = -1; /* the caller still owns fd */
		pthread_mutex_lock(&j->mu);
		j->refs = 1;
		job_put(j);
		return -r;
	}
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&j->mu);
	while (!j->done && pthread_cond_timedwait(&j->cv, &j->mu, &dl) != ETIMEDOUT)
		;
	int ret = -ETIMEDOUT;
	if (j->done) {
		/* move what the thread read into m */
		struct machine *got = j->m;
		j->m = NULL;
		m->netdevs = got->netdevs, m->nnetdevs = got->nnetdevs, m->cap_netdevs = got->cap_netdevs;
		m->teams = got->teams, m->nteams = got->nteams, m->cap_teams = got->cap_teams;
		m->pfs = got->pfs, m->npfs = got->npfs, m->cap_pfs = got->cap_pfs;
		for (size_t i = 0; i < got->nsources; i++)
			machine_add_source(m, got->sources[i].name, got->sources[i].status, "%s", got->sources[i].detail);
		for (size_t i = 0; i < got->nwarnings; i++)
			machine_warn(m, "%s", got->warnings[i]);
		got->netdevs = NULL, got->nnetdevs = 0;
		got->teams = NULL, got->nteams = 0;
		got->pfs = NULL, got->npfs = 0;
		machine_free(got);
		ret = 0;
	}
	job_put(j); /* fd closed when the thread is done too */
	return ret;
}

/* ---- enumerating (live) ---- */

struct ent {
	uint64_t ino;
	char name[256];   /* /run/netns name, "" none (raw, sanitized when stored) */
	char path[300];   /* what to open */
	long pid;         /* a process in it, 0 none */
};
struct list { struct ent *v; size_t n, cap, dropped; };

static struct ent *find_ino(struct list *l, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ino == ino)
			return &l->v[i];
	return NULL;
}

static struct ent *add_ent(struct list *l, uint64_t ino)
{
	if (l->n >= NETNS_MAX) {
		l->dropped++;
		return NULL;
	}
	VFS_PUSH(l->v, l->n, l->cap);
	struct ent *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->ino = ino;
	return e;
}

static void scan_named(struct list *l, const char *dir, dev_t nsfs_dev, const uint64_t *skip, int *stale)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(d)) && seen++ < NETNS_PROC_MAX) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		char path[300];
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		struct stat st;
		if (stat(path, &st))
			continue;
		if (st.st_dev != nsfs_dev) { /* a file left behind, no namespace mounted on it */
			(*stale)++;
			continue;
		}
		if (st.st_ino == skip[0] || st.st_ino == skip[1])
			continue;
		struct ent *e = find_ino(l, st.st_ino);
		if (e && e->name[0])
			continue; /* two names for one namespace: the first (sorted later) stays */
		if (!e && !(e = add_ent(l, st.st_ino)))
			continue;
		vfs_strlcpy(e->name, de->d_name, sizeof(e->name));
		vfs_strlcpy(e->path, path, sizeof(e->path));
	}
	closedir(d);
}

static void scan_proc(struct list *l, const uint64_t *skip)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(d)) && seen < NETNS_PROC_MAX) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		seen++;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
		struct stat st;
		if (stat(path, &st) || st.st_ino == skip[0] || st.st_ino == skip[1])
			continue; /* gone, or not ours to see */
		struct ent *e = find_ino(l, st.st_ino);
		if (!e && !(e = add_ent(l, st.st_ino)))
			continue;
		if (!e->pid || pid < e->pid) {
			e->pid = pid;
			if (!e->name[0])
				vfs_strlcpy(e->path, path, sizeof(e->path));
		}
	}
	closedir(d);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	if (!!x->name[0] != !!y->name[0])
		return x->name[0] ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int collect_live(struct machine *host)
{
	struct stat self;
	if (stat("/proc/self/ns/net", &self)) {
		machine_add_source(host, "netns", SOURCE_FAILED, "/proc/self/ns/net: %s", strerror(errno));
		return 0;
	}
	/* Skipped: our own namespace (the host machine), and the initial one
	 * (pid 1's) when vfscope runs in another (ip netns exec): that is the
	 * node's, not a pod's. */
	struct stat init;
	uint64_t skip[2] = { self.st_ino, self.st_ino };
	if (!stat("/proc/1/ns/net", &init) || !stat("/proc/2/ns/net", &init)) /* kthreadd: always the initial one */
		skip[1] = init.st_ino;
	struct list l = { 0 };
	int stale = 0;
	struct stat a, b;
	scan_named(&l, "/run/netns", self.st_dev, skip, &stale);
	/* /var/run is /run on most systems: the same directory once */
	if (stat("/var/run/netns", &b) == 0 && (stat("/run/netns", &a) || a.st_dev != b.st_dev || a.st_ino != b.st_ino))
		scan_named(&l, "/var/run/netns", self.st_dev, skip, &stale);
	scan_proc(&l, skip);
	if (l.n) /* qsort(NULL, 0, ...) is undefined */
		qsort(l.v, l.n, sizeof(*l.v), ent_cmp);

	uint64_t t0 = vfs_now_mono_ns();
	int added = 0, vanished = 0, timeouts = 0, skipped = 0, failed = 0, denied = 0;
	char denied_why[96] = "";
	for (size_t i = 0; i < l.n; i++) {
		struct ent *e = &l.v[i];
		uint64_t spent_ms = (vfs_now_mono_ns() - t0) / 1000000u;
		if (spent_ms >= NETNS_TOTAL_MS) {
			skipped++;
			continue;
		}
		int fd = open(e->path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 && e->pid && e->name[0]) { /* the name went; its process may still be there */
			char p[64];
			snprintf(p, sizeof(p), "/proc/%ld/ns/net", e->pid);
			fd = open(p, O_RDONLY | O_CLOEXEC);
		}
		if (fd < 0 || fstat(fd, &st) || st.st_ino != e->ino) {
			/* gone between listing and opening, or the pid now names
			 * another namespace */
			if (fd >= 0)
				close(fd);
			vanished++;
			continue;
		}
		struct machine *ns = machine_new("netns");
		ns->root = vfs_xstrdup("/");
		ns->time_ns = vfs_now_real_ns();
		char c[300];
		if (e->name[0])
			vs_set(&ns->netns_name, vfs_sanitize(c, sizeof(c), e->name), SRC_PROCFS);
		vi_set(&ns->netns_inode, (int64_t)e->ino, SRC_PROCFS);
		if (e->pid)
			vi_set(&ns->netns_pid, e->pid, SRC_PROCFS);
		uint64_t n0 = vfs_now_mono_ns();
		int left = NETNS_TOTAL_MS - (int)spent_ms;
		int r = read_ns(ns, fd, left < NETNS_READ_MS ? left : NETNS_READ_MS);
		if (r == -ETIMEDOUT) {
			timeouts++;
			machine_add_source(ns, "netlink", SOURCE_FAILED, "no answer inside the namespace within %d ms",
					   NETNS_READ_MS);
		} else if (r) {
			failed++;
			close(fd);
			machine_add_source(ns, "netlink", SOURCE_FAILED, "no reader thread: %s", strerror(-r));
		}
		const struct source *nl = machine_source(ns, "netlink");
		if (!r && nl && nl->status == SOURCE_FAILED && !strncmp(nl->detail, "setns: ", 7)) {
			denied++; /* no CAP_SYS_ADMIN, or a seccomp filter (systemd's RestrictNamespaces=) */
			vfs_strlcpy(denied_why, nl->detail, sizeof(denied_why));
		}
		ns->collect_ns = vfs_now_mono_ns() - n0;
		k8s_owner_netns(ns);
		netns_label(ns, NULL);
		machine_link(ns);
		machine_add_guest(host, ns);
		added++;
	}
	free(l.v);
	char detail[256];
	int off = snprintf(detail, sizeof(detail), "%d namespaces", added);
	if (vanished)
		off += snprintf(detail + off, sizeof(detail) - (size_t)off, ", %d vanished during collection", vanished);
	if (timeouts)
		off += snprintf(detail + off, sizeof(detail) - (size_t)off, ", %d did not answer", timeouts);
	if (failed)
		off += snprintf(detail + off, sizeof(detail) - (size_t)off, ", %d could not be read", failed);
	if (denied)
		off += snprintf(detail + off, sizeof(detail) - (size_t)off, ", %d not entered (%s)", denied, denied_why);
	if (skipped || l.dropped)
		off += snprintf(detail + off, sizeof(detail) - (size_t)off, ", %zu more not read (limits: %d namespaces, %d ms)",
				(size_t)skipped + l.dropped, NETNS_MAX, NETNS_TOTAL_MS);
	if (stale)
		snprintf(detail + off, sizeof(detail) - (size_t)off, ", %d stale names in /run/netns", stale);
	machine_add_source(host, "netns", vanished || timeouts || failed || denied || skipped || l.dropped ? SOURCE_PARTIAL : SOURCE_OK,
			   "%s", detail);
	return added;
}

/* ---- a --sysroot tree: netns/<id>/ (docs/netns.md) ---- */

static void read_line_file(const char *rel, char *buf, size_t size)
{
	buf[0] = 0;
	if (root_read_str(rel, buf, size))
		buf[0] = 0;
}

static int collect_tree(struct machine *host)
{
	size_t n = 0;
	bool trunc = false;
	char **ids = root_list("netns", NETNS_MAX, NULL, &n, &trunc);
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		char p[600], b[300], c[300];
		if (!vfs_is_sane(ids[i]))
			continue;
		snprintf(p, sizeof(p), "netns/%s", ids[i]);
		struct stat st;
		int fd = root_open(p, O_DIRECTORY);
		if (fd < 0)
			continue;
		int isdir = !fstat(fd, &st) && S_ISDIR(st.st_mode);
		close(fd);
		if (!isdir)
			continue;
		struct machine *ns = machine_new("netns");
		ns->root = vfs_xstrdup(root_dir());
		snprintf(p, sizeof(p), "netns/%s/name", ids[i]);
		read_line_file(p, b, sizeof(b));
		if (b[0])
			vs_set(&ns->netns_name, vfs_sanitize(c, sizeof(c), b), SRC_PROCFS);
		long long v;
		snprintf(p, sizeof(p), "netns/%s/inode", ids[i]);
		if (!root_read_i64(p, &v, 10) && v > 0)
			vi_set(&ns->netns_inode, v, SRC_PROCFS);
		snprintf(p, sizeof(p), "netns/%s/pid", ids[i]);
		if (!root_read_i64(p, &v, 10) && v > 0 && v < (1ll << 31))
			vi_set(&ns->netns_pid, v, SRC_PROCFS);
		snprintf(p, sizeof(p), "netns/%s/ip-link.json", ids[i]);
		if (root_exists(p))
			iplink_json_collect(ns, p, 1);
		else
			machine_add_source(ns, "netlink", SOURCE_SKIPPED, "no netns/%s/ip-link.json in the tree",
					   vfs_sanitize(c, sizeof(c), ids[i]));
		snprintf(p, sizeof(p), "netns/%s/proc/net/bonding", ids[i]);
		size_t nb = 0;
		char **bonds = root_list(p, 1024, NULL, &nb, NULL);
		for (size_t k = 0; k < nb; k++) {
			char bp[900], buf[16384];
			if (!vfs_is_sane(bonds[k]))
				continue;
			snprintf(bp, sizeof(bp), "%s/%s", p, bonds[k]);
			ssize_t len = root_read(bp, buf, sizeof(buf));
			if (len < 0)
				continue;
			struct team *t = NULL;
			for (size_t x = 0; x < ns->nteams; x++)
				if (ns->teams[x].name.v && !strcmp(ns->teams[x].name.v, bonds[k]))
					t = &ns->teams[x];
			if (!t) {
				t = machine_add_team(ns, bonds[k]);
				t->name.src = SRC_PROCFS;
				t->driver = TEAM_BONDING;
			}
			bond_proc_parse(buf, (size_t)len, t);
		}
		if (bonds)
			machine_add_source(ns, "procfs", SOURCE_OK, "%zu bonds", nb);
		root_list_free(bonds, nb);
		k8s_owner_netns(ns);
		netns_label(ns, ids[i]);
		machine_link(ns);
		machine_add_guest(host, ns);
		added++;
	}
	root_list_free(ids, n);
	if (n || trunc)
		machine_add_source(host, "netns", trunc ? SOURCE_PARTIAL : SOURCE_OK, "%d namespaces in the tree%s%d%s",
				   added, trunc ? " (more not read: limit " : "", trunc ? NETNS_MAX : 0, trunc ? ")" : "");
	return added;
}

int netns_collect(struct machine *host)
{
	if (!host)
		return 0;
	int n = root_is_live() ? collect_live(host) : collect_tree(host);
	k8s_owner_vfs(host);
	return n;
}
