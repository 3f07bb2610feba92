#!/bin/busybox sh
# shellcheck shell=sh
# nicup HIL guest /init (runs inside the QEMU guest, from the initramfs built by scripts/hil/setup).
#
# Not meant to be run on the host. scripts/hil/setup copies this file to /init of the initramfs
# together with a static busybox and the kernel modules listed in /modules/boot.list (load order)
# and /modules/deps.txt ("name: dep1 dep2 ..." in load order, for optional drivers).
#
# Sequence:
#   1. mount devtmpfs/proc/sysfs, insmod every module of /modules/boot.list in order
#      (virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache
#      9pnet 9pnet_virtio 9p irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci,
#      plus dependencies; modules that are built in or absent are skipped);
#   2. mount the 9p share "results" (writable) at /results and read /results/.hil/init.env
#      (written by scripts/hil/run-guest);
#   3. mount the 9p share "host" (the host's /, read-only) at /host, then proc, sysfs, devtmpfs,
#      devpts, tmpfs (/tmp, /run, /dev/shm) and hugetlbfs (/dev/hugepages) inside it, and bind
#      /results onto /host$RESULTS (same path as on the host);
#   4. load the optional modules requested by run-guest (--modules, --shared-group => e1000),
#      unbind NICs from virtio-pci (loaded for 9p; NICs start driverless), write RESULTS/nics.txt
#      and RESULTS/nics.env (warning on the console if a BDF differs from guest.env's
#      prediction), check the --shared-group IOMMU group, create RESULTS/guest-started;
#   5. chroot /host /bin/bash $RESULTS/.hil/job.sh > RESULTS/command.log 2>&1, write
#      RESULTS/dmesg.txt and RESULTS/command.exit (the exit code), then poweroff -f.
# Progress lines on the serial console start with "nicup-hil:".

/bin/busybox mkdir -p /dev /proc /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

say() { echo "nicup-hil: $*"; }
die() {
    say "FATAL: $*"
    if [ -d /results/.hil ]; then echo "$*" >/results/.hil/init-failed; fi
    sync
    poweroff -f
}

# load_module NAME: insmod /modules/NAME.ko unless it is already loaded; never fatal.
load_module() {
    m=$1
    [ -d "/sys/module/$m" ] && return 0
    if [ ! -f "/modules/$m.ko" ]; then
        say "module $m not in initramfs (built in or absent), skipped"
        return 0
    fi
    out=$(insmod "/modules/$m.ko" 2>&1) || {
        case $out in
        *exists*) return 0 ;;
        esac
        say "warning: insmod $m failed: $out"
        return 1
    }
}

# load_driver NAME: load NAME and its dependencies (from /modules/deps.txt).
load_driver() {
    d=$(echo "$1" | tr - _)
    deps=$(sed -n "s/^$d: *//p" /modules/deps.txt)
    for dep in $deps; do load_module "$dep"; done
    load_module "$d"
}

say "init started, kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime) s"
while read -r m; do load_module "$m"; done </modules/boot.list

mkdir -p /results /host
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results /results ||
    die "cannot mount the 9p results share"
[ -f /results/.hil/init.env ] || die "/results/.hil/init.env missing"
# shellcheck disable=SC1091
. /results/.hil/init.env
[ -n "${RESULTS:-}" ] || die "RESULTS not set in init.env"

# cache=loose: what the guest reads from the host's root stays in its page cache, so the JDK and the jar
# cross 9p once per boot instead of at every JVM start (a scripts/nicup command starts in about a third of
# the time). Nothing under it changes while a guest runs: what the host and the guest exchange lives in
# RESULTS, its own share, mounted above without caching.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose host /host ||
    die "cannot mount the host root over 9p"
mount -t proc proc /host/proc || die "mount /host/proc"
mount -t sysfs sysfs /host/sys || die "mount /host/sys"
mount -t devtmpfs devtmpfs /host/dev || die "mount /host/dev"
# The guest gets its own /tmp and /run. A checkout that lives there on the host (CI may clone into /tmp)
# is kept visible: hold it on a bind mount outside /host and put it back on top of the tmpfs.
case "${REPO:-}" in
    /tmp/* | /run/*)
        mkdir -p /repo
        mount -o bind "/host$REPO" /repo || die "cannot hold the checkout $REPO"
        ;;
esac
mount -t tmpfs -o mode=1777 tmpfs /host/tmp || die "mount /host/tmp"
mount -t tmpfs -o mode=755 tmpfs /host/run || die "mount /host/run"
if [ -d /repo ] && [ -n "${REPO:-}" ]; then
    mkdir -p "/host$REPO"
    mount -o bind /repo "/host$REPO" || die "cannot put the checkout back at $REPO"
fi
mkdir -p /host/dev/pts /host/dev/shm /host/dev/hugepages
mount -t devpts devpts /host/dev/pts || say "warning: devpts not mounted"
mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm || say "warning: /dev/shm not mounted"
mount -t hugetlbfs hugetlbfs /host/dev/hugepages || say "warning: hugetlbfs not mounted"
mkdir -p "/host$RESULTS" 2>/dev/null
mount -o bind /results "/host$RESULTS" || die "cannot bind the results share to $RESULTS"
ip link set lo up 2>/dev/null
hostname nicup-hil-guest

# Expose the modules and busybox inside the chroot: /run/nicup-hil/modprobe NAME loads a driver
# (e.g. e1000e) with its dependencies.
mkdir -p /host/run/nicup-hil
cp -a /modules /host/run/nicup-hil/modules
cp /bin/busybox /host/run/nicup-hil/busybox
cat >/host/run/nicup-hil/modprobe <<'EOF'
#!/run/nicup-hil/busybox sh
# usage: /run/nicup-hil/modprobe NAME...   (guest-kernel modules shipped in the initramfs)
bb=/run/nicup-hil/busybox; dir=/run/nicup-hil/modules; rc=0
for n in "$@"; do
  n=$(echo "$n" | $bb tr - _)
  for m in $($bb sed -n "s/^$n: *//p" $dir/deps.txt) "$n"; do
    [ -d /sys/module/$m ] && continue
    [ -f $dir/$m.ko ] || { echo "modprobe: $m not available" >&2; rc=1; continue; }
    $bb insmod $dir/$m.ko || rc=1
  done
done
exit $rc
EOF
chmod 755 /host/run/nicup-hil/modprobe

for m in $(echo "${LOAD_MODULES:-}" | tr , ' '); do
    say "loading driver $m"
    load_driver "$m" || say "warning: could not load $m"
done

# chain_of BDF_SYSFS_DIR: device/function chain from the root bus, bus numbers removed
# (e.g. 1c.0/00.0/01.0), which is how run-guest describes where it plugged each device.
chain_of() {
    readlink -f "$1" | sed -e 's,^/sys/devices/pci[0-9a-f:]*/,,' -e 's,[0-9a-f]\{4\}:[0-9a-f]\{2\}:,,g'
}

# nics.txt / nics.env: one line per device run-guest plugged (nicN, extraN).
{
    echo "# name bdf vendor:device iommu_group model mac driver"
} >/results/nics.txt
: >/results/nics.env
i=0
for spec in ${DEVICES:-}; do
    # spec = name|chain|model|mac
    name=${spec%%|*}; rest=${spec#*|}
    chain=${rest%%|*}; rest=${rest#*|}
    model=${rest%%|*}; mac=${rest#*|}
    bdf=-; vd=-; grp=-; drv=-
    for d in /sys/bus/pci/devices/*; do
        if [ "$(chain_of "$d")" = "$chain" ]; then
            bdf=${d##*/}
            # virtio_pci is loaded for 9p, so it also grabs virtio-net NICs; start every NIC
            # unbound (tests can rebind: echo BDF > /sys/bus/pci/drivers/virtio-pci/bind).
            if [ -e "$d/driver" ] && [ "$(readlink "$d/driver" | sed 's,.*/,,')" = virtio-pci ]; then
                echo "$bdf" >"$d/driver/unbind" || say "warning: could not unbind $bdf from virtio-pci"
            fi
            vd="$(sed 's/^0x//' "$d/vendor"):$(sed 's/^0x//' "$d/device")"
            [ -e "$d/iommu_group" ] && grp=$(readlink "$d/iommu_group" | sed 's,.*/,,')
            [ -e "$d/driver" ] && drv=$(readlink "$d/driver" | sed 's,.*/,,')
        fi
    done
    echo "$name $bdf $vd $grp $model $mac $drv" >>/results/nics.txt
    up=$(echo "$name" | tr "[:lower:]" "[:upper:]")
    {
        echo "NICUP_HIL_${up}_BDF=$bdf"
        echo "NICUP_HIL_${up}_VENDOR_DEVICE=$vd"
        echo "NICUP_HIL_${up}_IOMMU_GROUP=$grp"
        echo "NICUP_HIL_${up}_DRIVER=$drv"
    } >>/results/nics.env
    [ "$bdf" = - ] && say "warning: $name ($model at $chain) not found on the guest PCI bus"
    expected=$(sed -n "s/^NICUP_HIL_${up}_BDF=//p" /results/guest.env)
    [ "$expected" = "$bdf" ] || say "warning: $name is at $bdf, guest.env predicted $expected (nics.txt is right)"
    i=$((i + 1))
done
if [ "${SHARED_GROUP:-0}" = 1 ]; then
    g0=$(sed -n 's/^NICUP_HIL_NIC0_IOMMU_GROUP=//p' /results/nics.env)
    g1=$(sed -n 's/^NICUP_HIL_EXTRA0_IOMMU_GROUP=//p' /results/nics.env)
    if [ -n "$g0" ] && [ "$g0" != - ] && [ "$g0" = "$g1" ]; then
        say "shared group ok: nic0 and extra0 are both in IOMMU group $g0"
        echo "NICUP_HIL_SHARED_GROUP=$g0" >>/results/nics.env
    else
        say "warning: shared group NOT shared: nic0 group $g0, extra0 group $g1"
        echo "NICUP_HIL_SHARED_GROUP=-" >>/results/nics.env
    fi
fi
cat /results/nics.txt

echo "uptime=$(cut -d' ' -f1 /proc/uptime)" >/results/guest-started
say "running the command (uptime $(cut -d' ' -f1 /proc/uptime) s)"
chroot /host /bin/bash "$RESULTS/.hil/job.sh" >/results/command.log 2>&1 </dev/null
rc=$?
say "command exited with $rc (uptime $(cut -d' ' -f1 /proc/uptime) s)"
dmesg >/results/dmesg.txt 2>&1
echo "$rc" >/results/.hil/command.exit.tmp && mv /results/.hil/command.exit.tmp /results/command.exit
sync
poweroff -f
