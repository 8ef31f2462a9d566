# Both VFs of the pod's bond from one PF (tests/lab/scenario_pod.sh, after
# scenarios/pod.sh in the same boot; alone it works too): pod lab/web-1
# gets PF0 VF0 and PF0 VF1 (one resource pooling them), bond0 over them.
# vfscope check must give VFS003 for the pod. Output in /out/pod-same-pf/.
log pod-same-pf
. /lab/scenarios/pod-lib.sh
D=/tmp/cap/pod-same-pf; rm -rf $D; mkdir -p $D
need_admin_macs on
pod_resource() { echo lab.io/sriov_pooled; }
pod_up lab web-1 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d cni-6e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c2b "$PF0VF0 $PF0VF1"
pod_bond
vfscope check --json > $D/check.json 2> $D/vfscope.err; echo $? > $D/check.rc
vfscope snapshot --json > $D/snapshot.json 2>> $D/vfscope.err
pod_capture $D
pod_down
tar -C /tmp/cap -cf /out/pod-same-pf.tar pod-same-pf
log "pod-same-pf done"
