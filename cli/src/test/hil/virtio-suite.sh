#!/usr/bin/env bash
# Guest side of VirtioNetHilTest: the whole virtio-net suite in ONE guest (scripts/hil/run-guest
# --nic virtio-net: virtio-net-pci,disable-legacy=on,iommu_platform=on behind the guest's intel-iommu).
# First the miniport's NDIS lifecycle in one JVM (VirtioNetHilMain, checks check-main-NAME.{out,rc}),
# then scripts/nicup as a user types it, one command per check (check-NAME.{out,rc}), then
# virtio-in-use.sh (the NIC on virtio_net with an address: bind refuses it). The host test
# injects frames over UDP after ready-main-rx and ready-recv, and reads QEMU's filter-dump pcap.
# NIC 1 (run-guest --tap 1) sits on a tap with virtio-net headers, so QEMU offers it CSUM, GUEST_CSUM,
# HOST_TSO4/6 and HASH_REPORT: the offload checks and two sends run there (virtio-tap.sh) while the host test's
# TapReflector reflects every frame from the other port of the run's bridge and captures it. Last,
# surprise-removal.sh hot-unplugs NIC 1 (run-guest --root-port 1) with sends in flight.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"
CP="$REPO/ndis-model/target/classes:$REPO/ndis-model/target/test-classes:$REPO/vfio/target/classes"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check list "$N" list
check bind "$N" bind "$NIC"
java --enable-native-access=ALL-UNNAMED ${NICUP_JAVA_OPTS:-} -cp "$CP" \
    io.nicup.ndis.miniport.virtio.hil.VirtioNetHilMain "$NIC" "$R" >"$R/main.log" 2>&1
echo $? >"$R/main.rc"
echo "main rc=$(cat "$R/main.rc")"
check info "$N" info "$NIC"
check bringup "$N" bringup "$NIC" --trace "$R/trace.jsonl"
check selftest "$N" selftest "$NIC"
check regs "$N" regs "$NIC"
check stats "$N" stats "$NIC"
check loopback "$N" loopback "$NIC" --count 8
check conformance "$N" conformance "$NIC" --only timed-rules,oid-buffers,oid-robustness,send-shapes,pause-restart,reset --junit "$R/conformance.xml"
# The checks that need a link partner: the host test reflects every frame between ready-peer and
# check-conformance-peer.rc and answers set-link.sh's requests with QEMU's set_link (run-guest --qmp).
touch "$R/ready-peer"
check conformance-peer "$N" conformance "$NIC" --only packet-filters,priority,link --peer reflect --link-command "$REPO/cli/src/test/hil/set-link.sh" --junit "$R/conformance-peer.xml"
check send-gen "$N" send "$NIC" --count 10 --size 128 --dst 02:00:00:00:00:01
check send-pcap "$N" send "$NIC" --pcap "$REPO/cli/target/hil-virtio-tx.pcap"
touch "$R/ready-recv"
check recv "$N" recv "$NIC" --pcap "$R/recv.pcap" --count 8 --timeout 240
check unbind "$N" unbind --restore "$NIC"
check list-after "$N" --json list
bash "$REPO/cli/src/test/hil/virtio-tap.sh"
# Last, the safety check: the NIC on the kernel's virtio_net, up with an address, is refused (check-in-use-*).
bash "$REPO/cli/src/test/hil/virtio-in-use.sh"
# The very last step, as the NIC is gone afterwards: NIC 1 (the tap NIC, done with virtio-tap.sh; run-guest
# --root-port 1 gives it a hotplug slot) bound again, sends in flight, hot-unplugged.
bash "$REPO/cli/src/test/hil/surprise-removal.sh" "$NICUP_HIL_NIC1_BDF" nic1
exit 0
