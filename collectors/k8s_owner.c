#include "collectors/k8s_owner.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K8S_MAX_FILE (4u << 20)  /* a checkpoint of a large node is well below */
#define K8S_MAX_DIR 4096         /* entries looked at per directory */

/* 8-4-4-4-12 hex digits, separated by '-' or '_' (systemd's cgroup driver
 * writes the UID's dashes as underscores). */
static bool uid_at(const char *p, size_t left, char out[K8S_UID_LEN + 1])
{
	if (left < K8S_UID_LEN)
		return false;
	for (int i = 0; i < K8S_UID_LEN; i++) {
		bool sep = i == 8 || i == 13 || i == 18 || i == 23;
		if (sep ? (p[i] != '-' && p[i] != '_') : !isxdigit((unsigned char)p[i]))
			return false;
		out[i] = sep ? '-' : (char)tolower((unsigned char)p[i]);
	}
	out[K8S_UID_LEN] = 0;
	/* the UID ends there: no further hex digit glued to it */
	return left == K8S_UID_LEN || !isxdigit((unsigned char)p[K8S_UID_LEN]);
}

int k8s_cgroup_parse(const char *text, size_t len, char uid[K8S_UID_LEN + 1], char cid[K8S_CID_LEN + 1])
{
	size_t pos = 0, ll;
	const char *l;
	if (cid)
		cid[0] = 0;
	while (vfs_next_line(text, len, &pos, &l, &ll)) {
		const char *kp = memmem(l, ll, "kubepods", 8);
		if (!kp)
			continue;
		bool found = false;
		for (const char *p = kp; p + 3 < l + ll; p++)
			if (!memcmp(p, "pod", 3) && uid_at(p + 3, (size_t)(l + ll - p - 3), uid)) {
				found = true;
				break;
			}
		if (!found)
			continue;
		if (cid) { /* the last run of exactly 64 hex digits on the line */
			size_t run = 0;
			for (size_t i = 0; i <= ll; i++) {
				if (i < ll && isxdigit((unsigned char)l[i])) {
					run++;
					continue;
				}
				if (run == K8S_CID_LEN) {
					for (size_t k = 0; k < K8S_CID_LEN; k++)
						cid[k] = (char)tolower((unsigned char)l[i - K8S_CID_LEN + k]);
					cid[K8S_CID_LEN] = 0;
				}
				run = 0;
			}
		}
		return 0;
	}
	return -ENOENT;
}

static bool dns_label_chars(const char *s, size_t n)
{
	if (!n || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

int k8s_pod_log_dir_parse(const char *name, char *ns, size_t nssize, char *pod, size_t podsize,
			  char uid[K8S_UID_LEN + 1])
{
	const char *a = strchr(name, '_'), *b = strrchr(name, '_');
	if (!a || a == b || strlen(b + 1) != K8S_UID_LEN || !uid_at(b + 1, K8S_UID_LEN, uid))
		return -EINVAL;
	size_t nl = (size_t)(a - name), pl = (size_t)(b - a - 1);
	if (!dns_label_chars(name, nl) || !dns_label_chars(a + 1, pl) || nl >= nssize || pl >= podsize)
		return -EINVAL;
	memcpy(ns, name, nl);
	ns[nl] = 0;
	memcpy(pod, a + 1, pl);
	pod[pl] = 0;
	return 0;
}

static json_t *load_json(const char *text, size_t len)
{
	json_error_t e;
	if (len > K8S_MAX_FILE)
		return NULL;
	return json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
}

static const char *str_of(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s && *s && strlen(s) < 512 ? s : NULL;
}

int k8s_checkpoint_parse(const char *text, size_t len, k8s_alloc_fn fn, void *ctx)
{
	json_t *j = load_json(text, len);
	const json_t *ents = json_object_get(json_object_get(j, "Data"), "PodDeviceEntries");
	if (!json_is_array(ents)) {
		json_decref(j);
		return -EBADMSG;
	}
	int n = 0;
	size_t i;
	const json_t *e;
	json_array_foreach(ents, i, e) {
		if (i >= 65536)
			break;
		const char *uid = str_of(e, "PodUID"), *res = str_of(e, "ResourceName");
		const json_t *ids = json_object_get(e, "DeviceIDs");
		/* a list (kubelet before 1.20), or NUMA node -> list */
		const json_t *lists[64];
		size_t nl = 0;
		if (json_is_array(ids))
			lists[nl++] = ids;
		else if (json_is_object(ids)) {
			const char *k;
			json_t *v;
			json_object_foreach((json_t *)ids, k, v) if (nl < ARRAY_SIZE(lists) && json_is_array(v)) lists[nl++] = v;
		}
		for (size_t l = 0; l < nl; l++) {
			size_t k;
			const json_t *d;
			json_array_foreach(lists[l], k, d) {
				const char *id = json_string_value(d);
				if (id && *id && strlen(id) < 128) {
					fn(ctx, uid ? uid : "", res ? res : "", id);
					n++;
				}
			}
		}
	}
	json_decref(j);
	return n;
}

int k8s_devinfo_parse(const char *fname, const char *text, size_t len, char *resource, size_t rsize, char *pci,
		      size_t psize)
{
	static const char suffix[] = "-device.json";
	size_t fl = strlen(fname), sl = sizeof(suffix) - 1;
	if (fl <= sl || strcmp(fname + fl - sl, suffix))
		return -EBADMSG;
	json_t *j = load_json(text, len);
	const char *addr = str_of(json_object_get(j, "pci"), "pci-address");
	const char *type = str_of(j, "type");
	int r = -EBADMSG;
	/* "<resource>-<addr>-device.json": the address is the one inside */
	size_t al = addr ? strlen(addr) : 0;
	if (addr && (!type || !strcmp(type, "pci")) && fl > sl + al + 1 && al < psize &&
	    !memcmp(fname + fl - sl - al, addr, al) && fname[fl - sl - al - 1] == '-' && fl - sl - al - 1 < rsize) {
		memcpy(resource, fname, fl - sl - al - 1);
		resource[fl - sl - al - 1] = 0;
		memcpy(pci, addr, al + 1);
		r = 0;
	}
	json_decref(j);
	return r;
}

int k8s_sriov_cache_parse(const char *fname, const char *text, size_t len, char cid[K8S_CID_LEN + 1], char *ifname,
			  size_t ifsize, char *pci, size_t psize)
{
	size_t fl = strlen(fname);
	if (fl < K8S_CID_LEN + 2 || fname[K8S_CID_LEN] != '-' || fl - K8S_CID_LEN - 1 >= ifsize)
		return -EBADMSG;
	for (int i = 0; i < K8S_CID_LEN; i++) {
		if (!isxdigit((unsigned char)fname[i]))
			return -EBADMSG;
		cid[i] = (char)tolower((unsigned char)fname[i]);
	}
	cid[K8S_CID_LEN] = 0;
	json_t *j = load_json(text, len);
	const char *dev = str_of(j, "deviceID");
	int r = -EBADMSG;
	if (dev && strlen(dev) < psize) {
		vfs_strlcpy(pci, dev, psize);
		vfs_strlcpy(ifname, fname + K8S_CID_LEN + 1, ifsize);
		r = 0;
	}
	json_decref(j);
	return r;
}

/* ---- readers ---- */

static bool log_dir_of(const char *uid, char *ns, size_t nssize, char *pod, size_t podsize)
{
	size_t n = 0;
	bool trunc = false;
	char **v = root_list("var/log/pods", K8S_MAX_DIR, NULL, &n, &trunc);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++) {
		char u[K8S_UID_LEN + 1];
		if (!k8s_pod_log_dir_parse(v[i], ns, nssize, pod, podsize, u) && !strcmp(u, uid))
			found = true;
	}
	root_list_free(v, n);
	return found;
}

static bool read_cgroup(int64_t pid, char uid[K8S_UID_LEN + 1], char cid[K8S_CID_LEN + 1])
{
	char path[64], buf[8192];
	snprintf(path, sizeof(path), "proc/%lld/cgroup", (long long)pid);
	ssize_t l = root_read(path, buf, sizeof(buf));
	return l > 0 && !k8s_cgroup_parse(buf, (size_t)l, uid, cid);
}

void k8s_owner_netns(struct machine *ns)
{
	char uid[K8S_UID_LEN + 1], nsn[256], pod[256];
	if (!VI_KNOWN(ns->netns_pid) || !read_cgroup(ns->netns_pid.v, uid, NULL))
		return;
	vs_set(&ns->pod_uid, uid, SRC_PROCFS);
	if (log_dir_of(uid, nsn, sizeof(nsn), pod, sizeof(pod))) {
		vs_set(&ns->pod_namespace, nsn, SRC_KUBELET);
		vs_set(&ns->pod_name, pod, SRC_KUBELET);
	}
}

static struct vf *vf_by_pci(struct machine *host, const char *pci)
{
	int p, v;
	return machine_find_vf_pci(host, pci, &p, &v) ? NULL : &host->pfs[p].vfs[v];
}

struct alloc_ctx { struct machine *host; int n; };

static void set_pod(struct vf *v, const char *uid)
{
	char ns[256], pod[256], both[520];
	vs_set(&v->alloc_pod_uid, uid, SRC_KUBELET);
	if (log_dir_of(uid, ns, sizeof(ns), pod, sizeof(pod))) {
		snprintf(both, sizeof(both), "%s/%s", ns, pod);
		vs_set(&v->alloc_pod, both, SRC_KUBELET);
	}
}

static void on_checkpoint(void *ctx, const char *uid, const char *res, const char *pci)
{
	struct alloc_ctx *c = ctx;
	char clean[160];
	struct vf *v = vf_by_pci(c->host, vfs_sanitize(clean, sizeof(clean), pci));
	if (!v)
		return;
	c->n++;
	char u[K8S_UID_LEN + 1];
	if (*uid && uid_at(uid, strlen(uid), u))
		set_pod(v, u);
	if (*res)
		vs_set(&v->alloc_resource, vfs_sanitize(clean, sizeof(clean), res), SRC_KUBELET);
}

static ssize_t read_file(const char *rel, char **out)
{
	unsigned char *b = NULL;
	ssize_t l = root_read_bin(rel, &b, K8S_MAX_FILE);
	*out = (char *)b;
	return l;
}

void k8s_owner_vfs(struct machine *host)
{
	struct alloc_ctx c = { host, 0 };
	int files = 0, bad = 0;
	char *text = NULL;
	ssize_t l = read_file("var/lib/kubelet/device-plugins/kubelet_internal_checkpoint", &text);
	if (l >= 0) {
		files++;
		if (k8s_checkpoint_parse(text, (size_t)l, on_checkpoint, &c) < 0) {
			bad++;
			machine_warn(host, "kubelet_internal_checkpoint: not a device-manager checkpoint");
		}
	}
	free(text);

	size_t n = 0;
	char **v = root_list("var/run/k8s.cni.cncf.io/devinfo/dp", K8S_MAX_DIR, NULL, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		char path[600], res[256], pci[64], clean[256];
		snprintf(path, sizeof(path), "var/run/k8s.cni.cncf.io/devinfo/dp/%s", v[i]);
		if ((l = read_file(path, &text)) < 0)
			continue;
		files++;
		if (!k8s_devinfo_parse(v[i], text, (size_t)l, res, sizeof(res), pci, sizeof(pci))) {
			struct vf *vf = vf_by_pci(host, pci);
			if (vf && !VS_KNOWN(vf->alloc_resource))
				vs_set(&vf->alloc_resource, vfs_sanitize(clean, sizeof(clean), res), SRC_KUBELET);
		} else
			bad++;
		free(text);
	}
	root_list_free(v, n);

	/* sriov-cni's allocation records: pci/<VF address> holds the netns path
	 * it moved the VF into (removed again when it gives the VF back). */
	v = root_list("var/lib/cni/sriov/pci", K8S_MAX_DIR, NULL, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		char path[600], b[512], clean[300];
		struct vf *vf = vf_by_pci(host, v[i]);
		snprintf(path, sizeof(path), "var/lib/cni/sriov/pci/%s", v[i]);
		if (!vf || root_read_str(path, b, sizeof(b)) || b[0] != '/')
			continue; /* vf_lock/, another device, or not a path */
		files++;
		vs_set(&vf->alloc_netns, vfs_sanitize(clean, sizeof(clean), b), SRC_KUBELET);
	}
	root_list_free(v, n);

	/* sriov-cni's cache: CID is the pod sandbox's container id; the process
	 * holding a pod's namespace is that sandbox (its cgroup names the id). */
	v = root_list("var/lib/cni/sriov", K8S_MAX_DIR, NULL, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		char path[600], cid[K8S_CID_LEN + 1], ifn[256], pci[64];
		snprintf(path, sizeof(path), "var/lib/cni/sriov/%s", v[i]);
		if (!strcmp(v[i], "pci") || (l = read_file(path, &text)) < 0)
			continue; /* pci/: sriov-cni's allocation locks */
		files++;
		if (k8s_sriov_cache_parse(v[i], text, (size_t)l, cid, ifn, sizeof(ifn), pci, sizeof(pci))) {
			bad++;
			free(text);
			continue;
		}
		free(text);
		struct vf *vf = vf_by_pci(host, pci);
		if (!vf || VS_KNOWN(vf->alloc_pod_uid))
			continue;
		for (size_t g = 0; g < host->nguests; g++) {
			const struct machine *ns = host->guests[g];
			char uid[K8S_UID_LEN + 1], hc[K8S_CID_LEN + 1];
			if (!ns->role || strcmp(ns->role, "netns") || !VI_KNOWN(ns->netns_pid) ||
			    !read_cgroup(ns->netns_pid.v, uid, hc) || strcmp(hc, cid))
				continue;
			set_pod(vf, uid);
			break;
		}
	}
	root_list_free(v, n);
	if (bad)
		machine_add_source(host, "kubelet", SOURCE_PARTIAL, "%d of %d files not understood", bad, files);
	else if (files)
		machine_add_source(host, "kubelet", SOURCE_OK, "%d files, %d VF allocations", files, c.n);
}
