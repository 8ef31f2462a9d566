#!/bin/bash
# Network namespaces in a sos report (issue 14, docs/sos.md): the sos 4.10
# fixture of this dev VM plus one more namespace "pod-x", as sos's
# networking plugin writes it (namespaces/NS/ip_netns_exec_NS_ip_-d_address_show
# and ..._ethtool_-i_DEV), holding a bond over two VF netdevs: net1 names
# its PCI function by iproute2's parentdev, net2 only by its ethtool -i
# bus-info. The report's namespaces become role "netns" documents with
# their netdevs, team and PCI addresses (source sos), without any owner.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/sos/dev-vm-sos410
[ -d "$F/sos_commands" ] || skip "no sos fixture"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp -a "$F" "$T/sos"
N=$T/sos/sos_commands/networking
echo pod-x >> "$N/ip_netns"
mkdir -p "$N/namespaces/pod-x"
cat > "$N/namespaces/pod-x/ip_netns_exec_pod-x_ip_-d_address_show" <<'E'
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535
5: net1: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 state UP group default qlen 1000
    link/ether 52:52:00:fc:9e:42 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 9710
    bond_slave state ACTIVE mii_status UP link_failure_count 0 perm_hwaddr 52:52:00:fc:9e:42 queue_id 0 addrgenmode eui64 numtxqueues 8 numrxqueues 8 gso_max_size 65536 gso_max_segs 65535 parentbus pci parentdev 0000:01:10.3
6: net2: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 state UP group default qlen 1000
    link/ether 52:52:00:fc:9e:42 brd ff:ff:ff:ff:ff:ff permaddr 52:52:00:4e:11:7a promiscuity 0  allmulti 0 minmtu 68 maxmtu 9710
    bond_slave state BACKUP mii_status UP link_failure_count 0 perm_hwaddr 52:52:00:4e:11:7a queue_id 0 addrgenmode eui64 numtxqueues 8 numrxqueues 8 gso_max_size 65536 gso_max_segs 65535
7: bond0: <BROADCAST,MULTICAST,MASTER,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether 52:52:00:fc:9e:42 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535
    bond mode active-backup active_slave net1 miimon 100 updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 arp_validate none arp_all_targets any primary_reselect always fail_over_mac none xmit_hash_policy layer2 resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links 0 lp_interval 1 packets_per_slave 1 lacp_active on lacp_rate slow ad_select stable tlb_dynamic_lb 1 addrgenmode eui64 numtxqueues 16 numrxqueues 16 gso_max_size 65536 gso_max_segs 65535
    inet 198.51.100.10/24 scope global bond0
       valid_lft forever preferred_lft forever
E
printf 'driver: ixgbevf\nversion: 6.1.0-27-amd64\nfirmware-version: \nexpansion-rom-version: \nbus-info: 0000:01:10.5\nsupports-statistics: yes\n' \
	> "$N/namespaces/pod-x/ip_netns_exec_pod-x_ethtool_-i_net2"

"$VFSCOPE" snapshot --json --from "$T/sos" > "$T/s.json" || fail "snapshot --from rc=$?"
"$VFSCOPE" snapshot --from "$T/sos" > "$T/s.txt" || fail "snapshot text rc=$?"
python3 - "$T/s.json" <<'P' || fail "model"
import json, sys
d = json.load(open(sys.argv[1]))
ns = {g["netns"]["name"]: g for g in d.get("guests", []) if g["role"] == "netns"}
assert set(ns) == {"vfst-sos410-ns", "pod-x"}, list(ns)
g = ns["pod-x"]
assert g["label"] == "netns pod-x" and g["netns"]["src"]["name"] == "sos", (g["label"], g["netns"])
assert g["netns"]["pod_uid"] is None and g["netns"]["inode"] is None, g["netns"]
dev = {n["name"]: n for n in g["netdevs"]}
assert dev["net1"]["pci"] == "0000:01:10.3", dev["net1"]
assert dev["net2"]["pci"] == "0000:01:10.5" and dev["net2"]["driver"] == "ixgbevf" and dev["net2"]["src"]["pci"] == "sos", dev["net2"]
assert dev["net2"]["perm_mac"] == "52:52:00:4e:11:7a", dev["net2"]
t = [t for t in g["teams"] if t["name"] == "bond0"]
assert t and t[0]["mode"] == "active-backup" and t[0]["fail_over_mac"] == "none", g["teams"]
assert [m["name"] for m in t[0]["members"]] == ["net1", "net2"], t[0]["members"]
assert [m["pci"] for m in t[0]["members"]] == ["0000:01:10.3", "0000:01:10.5"], t[0]["members"]
assert any("network namespace pod-x" in w for w in d["warnings"]), d["warnings"]
print("ok: sos namespaces")
P
grep -q -- "^netns pod-x at " "$T/s.txt" || fail "text header"
grep -q -- "^  netdev net2 .*pci 0000:01:10.5 master bond0" "$T/s.txt" || fail "text net2"
echo ok
