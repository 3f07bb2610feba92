#!/usr/bin/env bash
# Guest side of VfioHilTest: runs inside the QEMU guest (scripts/hil/run-guest) with
#   --shared-group --nic e1000e --nic e1000e --modules e1000e
# NIC 1 sits in its own IOMMU group (the device under test); NIC 0 shares a group with an e1000 on its
# kernel driver (the non-viable group). Every check writes $NICUP_RESULTS/check-NAME.out (stdout and
# stderr) and check-NAME.rc; the host-side test asserts on them. Checks never stop the suite.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC1_BDF:?}
SHARED=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
PROBE=(java --enable-native-access=ALL-UNNAMED ${NICUP_JAVA_OPTS:-} -cp "$REPO/vfio/target/classes:$REPO/vfio/target/test-classes"
    io.nicup.vfio.linux.VfioProbe)
NICUP=("$REPO/scripts/nicup")

check() {
    local name=$1
    shift
    "$@" >"$R/check-$name.out" 2>&1
    echo $? >"$R/check-$name.rc"
    echo "check $name rc=$(cat "$R/check-$name.rc")"
}

check list-before "${NICUP[@]}" --json list
check open-unbound "${PROBE[@]}" info "$NIC"
check bind "${NICUP[@]}" bind "$NIC"
check list-bound "${NICUP[@]}" --json list
check selftest "${PROBE[@]}" selftest "$NIC"
check regs "${PROBE[@]}" regs "$NIC"
check dma "${PROBE[@]}" dma "$NIC"
check msix "${PROBE[@]}" msix "$NIC"

# A second process on the same device: first the per-device lock answers, then (with a different state
# directory, so no lock file is shared) the VFIO group's own EBUSY.
rm -f /run/hold-ready /run/hold-release
"${PROBE[@]}" hold "$NIC" --ready /run/hold-ready --until /run/hold-release >"$R/check-hold.out" 2>&1 &
holder=$!
for _ in $(seq 1 1200); do [ -s /run/hold-ready ] && break; sleep 0.1; done
echo "$(cat /run/hold-ready 2>/dev/null)" >"$R/holder.pid"
check busy-lock "${PROBE[@]}" info "$NIC"
check busy-group env NICUP_STATE_DIR=/run/nicup-other "${PROBE[@]}" info "$NIC"
check busy-cli "${NICUP[@]}" unbind "$NIC"
touch /run/hold-release
wait "$holder"
echo $? >"$R/check-hold.rc"

# Not root: no access to /dev/vfio/N.
mkdir -p /run/nicup-nobody && chmod 777 /run/nicup-nobody
check not-root setpriv --reuid=65534 --regid=65534 --clear-groups \
    env NICUP_STATE_DIR=/run/nicup-nobody HOME=/run/nicup-nobody "${PROBE[@]}" info "$NIC"

check not-viable "${NICUP[@]}" bind "$SHARED"
check list-after-refused "${NICUP[@]}" --json list
# nicup refuses that bind, so put the device on vfio-pci behind its back (as another tool might) to see
# VFIO's own verdict on the group, then give it back to e1000e.
echo vfio-pci >"/sys/bus/pci/devices/$SHARED/driver_override"
echo "$SHARED" >"/sys/bus/pci/devices/$SHARED/driver/unbind"
echo "$SHARED" >/sys/bus/pci/drivers_probe
check not-viable-open "${PROBE[@]}" info "$SHARED"
echo "$SHARED" >/sys/bus/pci/drivers/vfio-pci/unbind
echo >"/sys/bus/pci/devices/$SHARED/driver_override"
echo "$SHARED" >/sys/bus/pci/drivers_probe
check not-a-nic "${NICUP[@]}" bind 0000:00:00.0
check malformed "${NICUP[@]}" bind 0000:00:1f
check unknown "${NICUP[@]}" bind 0000:3f:1f.7
check unbind-restore "${NICUP[@]}" unbind --restore "$NIC"
check list-after "${NICUP[@]}" --json list
check reopen-after-restore "${PROBE[@]}" info "$NIC"
exit 0
