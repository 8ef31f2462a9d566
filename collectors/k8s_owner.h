/* Who owns a network namespace and a VF on a Kubernetes node, from files
 * kubelet, the SR-IOV device plugin and sriov-cni leave on the node (never
 * the API server; docs/netns.md):
 *   /proc/PID/cgroup          the pod UID (and the sandbox container id) of a
 *                             process inside the namespace (SRC_PROCFS)
 *   /var/log/pods/NS_POD_UID/ the pod's namespace and name (SRC_KUBELET)
 *   /var/lib/kubelet/device-plugins/kubelet_internal_checkpoint
 *                             which pod UID got which device of which resource
 *   /var/run/k8s.cni.cncf.io/devinfo/dp/RES-PCI-device.json
 *                             the device plugin's resource of a VF
 *   /var/lib/cni/sriov/CID-IFNAME
 *                             sriov-cni's cache: the VF (deviceID) it moved for
 *                             the sandbox container CID
 * Every value keeps its source; an absent file leaves its values unknown.
 * Parsers are pure over bytes (tests, fuzz/fuzz_k8s_owner.c); readers go
 * through collectors/root.h (live or --sysroot). */
#ifndef VFS_K8S_OWNER_H
#define VFS_K8S_OWNER_H
#include <stddef.h>
#include "model/model.h"

#define K8S_UID_LEN 36 /* 8-4-4-4-12 */
#define K8S_CID_LEN 64 /* container id: 64 hex digits */

/* The pod UID in a cgroup file ("kubepods...pod<uid>" with - or _ between
 * the groups, written back with -), and the last 64-hex-digit container id
 * on the same line (cri-containerd-<id>.scope, crio-<id>, docker-<id>, or a
 * cgroupfs path component); cid may be NULL. 0, or -ENOENT: not a pod's. */
int k8s_cgroup_parse(const char *text, size_t len, char uid[K8S_UID_LEN + 1], char cid[K8S_CID_LEN + 1]);
/* A /var/log/pods entry name "NAMESPACE_POD_UID" (neither namespace nor pod
 * names may hold '_'). 0 or -EINVAL. */
int k8s_pod_log_dir_parse(const char *name, char *ns, size_t nssize, char *pod, size_t podsize,
			  char uid[K8S_UID_LEN + 1]);

/* One allocation: pod_uid (may be "") got device pci of resource (may be ""). */
typedef void (*k8s_alloc_fn)(void *ctx, const char *pod_uid, const char *resource, const char *pci);
/* kubelet's device-manager checkpoint: Data.PodDeviceEntries[] with PodUID,
 * ResourceName and DeviceIDs (a list, or a map NUMA node -> list). Calls fn
 * once per device ID; returns how many or -EBADMSG. */
int k8s_checkpoint_parse(const char *text, size_t len, k8s_alloc_fn fn, void *ctx);
/* A device plugin devinfo file: its name "RESOURCE-PCI-device.json" gives
 * the resource (as written: '/' became '-'), the content's pci.pci-address
 * the device (must equal the name's). 0 or -EBADMSG; out strings filled. */
int k8s_devinfo_parse(const char *fname, const char *text, size_t len, char *resource, size_t rsize, char *pci,
		      size_t psize);
/* A sriov-cni cache file: name "CID-IFNAME", content's "deviceID". 0 or
 * -EBADMSG. */
int k8s_sriov_cache_parse(const char *fname, const char *text, size_t len, char cid[K8S_CID_LEN + 1], char *ifname,
			  size_t ifsize, char *pci, size_t psize);

/* Owner of one namespace machine: pod_uid from proc/<netns_pid>/cgroup,
 * pod_namespace/pod_name from var/log/pods. */
void k8s_owner_netns(struct machine *ns);
/* Allocations of the host's VFs (checkpoint, devinfo, sriov-cni cache, the
 * cache's container id matched to a namespace holder's sandbox), with the
 * pod's NAMESPACE/POD from var/log/pods. Adds source "kubelet" when any of
 * these files was there. */
void k8s_owner_vfs(struct machine *host);
#endif
