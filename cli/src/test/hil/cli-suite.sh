#!/usr/bin/env bash
# Guest side of CliHilTest: drives scripts/nicup inside the QEMU guest (run-guest --nic e1000e) as a user
# would, one command per check. Each check writes $NICUP_RESULTS/check-NAME.out (stdout and stderr) and
# check-NAME.rc. The host test injects frames while `recv` runs and reads the filter-dump pcap.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"

check() {
    local name=$1
    shift
    "$@" >"$R/check-$name.out" 2>&1
    echo $? >"$R/check-$name.rc"
    echo "check $name rc=$(cat "$R/check-$name.rc")"
}

check list "$N" list
check bind "$N" bind "$NIC"
check info "$N" info "$NIC"
check bringup "$N" bringup "$NIC" --trace "$R/trace.jsonl"
check selftest "$N" selftest "$NIC"
check regs "$N" regs "$NIC"
check stats "$N" stats "$NIC"
check loopback "$N" loopback "$NIC" --count 32
check send-gen "$N" send "$NIC" --count 10 --size 128 --dst 02:00:00:00:00:01
check send-pcap "$N" send "$NIC" --pcap "$REPO/cli/target/hil-tx.pcap"
touch "$R/ready-recv"
check recv "$N" recv "$NIC" --pcap "$R/recv.pcap" --count 8 --timeout 240
check json-bringup "$N" --json bringup "$NIC"
check unbind "$N" unbind --restore "$NIC"
check list-after "$N" --json list
exit 0
