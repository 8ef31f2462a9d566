/* libFuzzer: the Kubernetes node-file parsers of collectors/k8s_owner.c.
 * The first byte picks the parser (cgroup, /var/log/pods name, checkpoint,
 * devinfo, sriov-cni cache); for the two that read a file name and its
 * content, the input up to the first NUL is the name, the rest the content. */
#include "collectors/k8s_owner.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void on_alloc(void *ctx, const char *uid, const char *res, const char *pci)
{
	size_t *n = ctx;
	*n += strlen(uid) + strlen(res) + strlen(pci);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int which = data[0] % 5;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char uid[K8S_UID_LEN + 1], cid[K8S_CID_LEN + 1], a[256], b[256];
	size_t n = 0;
	char *name = malloc(len + 1); /* NUL-terminated copy for the name parsers */
	memcpy(name, text, len);
	name[len] = 0;
	size_t nl = strlen(name);
	const char *rest = nl < len ? text + nl + 1 : text + len;
	size_t rl = nl < len ? len - nl - 1 : 0;
	switch (which) {
	case 0: k8s_cgroup_parse(text, len, uid, (data[0] / 5) & 1 ? NULL : cid); break;
	case 1: k8s_pod_log_dir_parse(name, a, sizeof(a), b, sizeof(b), uid); break;
	case 2: k8s_checkpoint_parse(text, len, on_alloc, &n); break;
	case 3: k8s_devinfo_parse(name, rest, rl, a, sizeof(a), b, sizeof(b)); break;
	case 4: k8s_sriov_cache_parse(name, rest, rl, cid, a, sizeof(a), b, sizeof(b)); break;
	}
	free(name);
	return 0;
}
