#!/usr/bin/env bash
# Guest side of E82574HilTest: runs inside the QEMU guest (scripts/hil/run-guest --nic e1000e).
# Binds NIC 0 to vfio-pci, then ONE JVM (E82574HilMain) runs the whole NDIS lifecycle of the 82574L
# miniport on it and writes $NICUP_RESULTS/check-NAME.{out,rc}; the host-side test asserts on them.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
CP="$REPO/ndis-model/target/classes:$REPO/ndis-model/target/test-classes:$REPO/vfio/target/classes:$REPO/vfio/target/test-classes"

"$REPO/scripts/nicup" bind "$NIC" >"$R/check-bind.out" 2>&1
echo $? >"$R/check-bind.rc"
echo "check bind rc=$(cat "$R/check-bind.rc")"

java --enable-native-access=ALL-UNNAMED ${NICUP_JAVA_OPTS:-} -cp "$CP" io.nicup.ndis.miniport.i82574.hil.E82574HilMain "$NIC" "$R" \
    >"$R/main.log" 2>&1
echo $? >"$R/main.rc"
cat "$R/main.log"
exit 0
