#!/usr/bin/env bash
# Guest side of the Intel guests' tap checks (Igb82576HilTest, CliHilTest on the e1000e), run by igb-suite.sh and
# cli-suite.sh while NIC 1 has no driver (or alone, next to a host TapReflector on $NICUP_HIL_NIC1_REFLECT_TAP:
# scripts/hil/run-guest --nic igb --nic igb --tap 1 -- bash cli/src/test/hil/intel-tap.sh). NIC 1 has a tap
# backend with virtio-net headers (docs/hardware-reference.md D.7), so QEMU's igb and e1000e hand a TCP
# segmentation to the tap whole and the host kernel cuts it (docs/hardware-reference.md B.17):
#   check-tap-bind, check-tap-unbind   NIC 1 onto vfio-pci and back
#   check-conformance-tap              large-send and checksum-offload through the host's reflector
#   check-send-lso                     one 65535-byte TCP/IPv4 frame as an LSOv2 large send, MSS 1460, to
#                                      02:00:00:00:00:75
# Each check-NAME.{out,rc} as in the suites. The host test reads what its reflector captured (TapPartner).
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC1_BDF:?run-guest --nic igb --nic igb --tap 1, or --nic e1000e --nic e1000e --tap 1}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check tap-bind "$N" bind "$NIC"
check conformance-tap "$N" conformance "$NIC" --only large-send,checksum-offload --peer reflect --junit "$R/conformance-tap.xml"
check send-lso "$N" send "$NIC" --count 1 --size 65535 --dst 02:00:00:00:00:75 --proto tcp4 --lso 1460
check tap-unbind "$N" unbind --restore "$NIC"
exit 0
