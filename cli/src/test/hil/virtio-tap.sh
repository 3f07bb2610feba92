#!/usr/bin/env bash
# Guest side of VirtioNetHilTest's offload checks, run by virtio-suite.sh (or alone, next to a host
# TapReflector on $NICUP_HIL_NIC1_REFLECT_TAP: scripts/hil/run-guest --nic virtio-net --nic virtio-net --tap 1
# -- bash cli/src/test/hil/virtio-tap.sh). NIC 1 has a tap backend with virtio-net headers
# (docs/hardware-reference.md D.7), so QEMU's device offers checksum offload, TSO and the hash report:
#   check-tap-bind, check-tap-unbind   NIC 1 onto vfio-pci and back
#   check-conformance-tap              checksum-offload, large-send and rss through the host's reflector
#   check-rss-tap                      nicup rss --peer reflect --flows 64 over the device's 4 queue pairs
#   check-send-csum-{tcp4,udp4,tcp6,udp6}  3 frames each (80, 200 and 1514 bytes) with the TCP/UDP checksum
#                                      left to the device, to 02:00:00:00:00:7{1,2,3,4}
#   check-send-lso                     one 65535-byte TCP/IPv4 frame as an LSOv2 large send, MSS 1460, to
#                                      02:00:00:00:00:75
# Each check-NAME.{out,rc} as in virtio-suite.sh. The host test reads what its reflector captured.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC1_BDF:?run-guest --nic virtio-net --nic virtio-net --tap 1}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check tap-bind "$N" bind "$NIC"
check conformance-tap "$N" conformance "$NIC" --only checksum-offload,large-send,rss --peer reflect --junit "$R/conformance-tap.xml"
check rss-tap "$N" rss "$NIC" --peer reflect --flows 64
i=1
for p in tcp4 udp4 tcp6 udp6; do
    check "send-csum-$p" "$N" send "$NIC" --count 3 --size 80,200,1514 --dst "02:00:00:00:00:7$i" --proto "$p" --csum-offload on
    i=$((i + 1))
done
check send-lso "$N" send "$NIC" --count 1 --size 65535 --dst 02:00:00:00:00:75 --proto tcp4 --lso 1460
check tap-unbind "$N" unbind --restore "$NIC"
exit 0
