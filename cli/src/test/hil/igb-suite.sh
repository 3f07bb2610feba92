#!/usr/bin/env bash
# Guest side of Igb82576HilTest: the whole 82576 suite in ONE guest (scripts/hil/run-guest --nic igb --nic igb
# --tap 1). QEMU's igb sits behind its own pcie-root-port, so NIC 0 is 0000:01:00.0 and NIC 1 0000:02:00.0
# (run-guest's header; the scripts take them from nics.env).
#   1. bind NIC 0 to vfio-pci;
#   2. one JVM (E82576HilMain) runs the NDIS lifecycle of the 82576 miniport and writes
#      check-NAME.{out,rc}; it signals ready-rx and waits for the host's "injected";
#   3. scripts/nicup as a user types it: list, info, bringup, selftest, regs, stats, loopback, conformance and
#      rss (through the host's reflector), send (generated
#      and from a pcap), recv (signals ready-recv; the host injects over UDP), --json bringup,
#      unbind --restore, list; then NIC 1, on a tap with virtio-net headers, runs intel-tap.sh (large-send,
#      checksum-offload and one 64 KB send through the host's reflector); last, NIC 0 bound again,
#      conformance surprise-removal with the host hot-unplugging
#      the NIC (QMP device_del) while sends are in flight, and the NIC gone from sysfs.
# Every check writes $NICUP_RESULTS/check-NAME.out (stdout and stderr) and check-NAME.rc.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"
CP="$REPO/ndis-model/target/classes:$REPO/ndis-model/target/test-classes:$REPO/vfio/target/classes:$REPO/vfio/target/test-classes"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check list "$N" list
check bind "$N" bind "$NIC"

java --enable-native-access=ALL-UNNAMED ${NICUP_JAVA_OPTS:-} -cp "$CP" \
    io.nicup.ndis.miniport.i82576.hil.E82576HilMain "$NIC" "$R" >"$R/main.log" 2>&1
echo $? >"$R/main.rc"
echo "miniport main rc=$(cat "$R/main.rc")"

check info "$N" info "$NIC"
check bringup "$N" bringup "$NIC" --trace "$R/trace.jsonl"
check selftest "$N" selftest "$NIC"
check regs "$N" regs "$NIC"
check stats "$N" stats "$NIC"
check loopback "$N" loopback "$NIC" --count 32
check nvm "$N" nvm "$NIC"
check identify "$N" identify "$NIC" --seconds 1
check conformance "$N" conformance "$NIC" --only timed-rules,oid-buffers,oid-robustness,send-shapes,pause-restart,reset --junit "$R/conformance.xml"
# The checks that need a link partner: the host test reflects every frame between ready-peer and
# check-conformance-peer.rc and answers set-link.sh's requests with QEMU's set_link (run-guest --qmp).
touch "$R/ready-peer"
# nicup rss through the same reflector: QEMU's igb spreads the flows over the queues RETA names
check rss "$N" rss "$NIC" --peer reflect --flows 64
check conformance-peer "$N" conformance "$NIC" --only packet-filters,priority,link,checksum-offload,rss --peer reflect --link-command "$REPO/cli/src/test/hil/set-link.sh" --junit "$R/conformance-peer.xml"
check send-gen "$N" send "$NIC" --count 10 --size 128 --dst 02:00:00:00:00:01
check send-pcap "$N" send "$NIC" --pcap "$REPO/cli/target/hil-igb-tx.pcap"
touch "$R/ready-recv"
check recv "$N" recv "$NIC" --pcap "$R/recv.pcap" --count 8 --timeout 240
check json-bringup "$N" --json bringup "$NIC"
check unbind "$N" unbind --restore "$NIC"
check list-after "$N" --json list
# NIC 1 on the tap with virtio-net headers: large-send and checksum-offload through the host's TapReflector.
bash "$REPO/cli/src/test/hil/intel-tap.sh"
# The very last step, as the NIC is gone afterwards: bound again, sends in flight, hot-unplugged.
bash "$REPO/cli/src/test/hil/surprise-removal.sh" "$NIC" nic0
exit 0
