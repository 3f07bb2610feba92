package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.DeviceAccessException.Reason;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every (operation, errno) the reference (section A.6) explains, and the generic fallbacks. */
class VfioErrorsTest {

    static Stream<Arguments> documentedMeanings() {
        return Stream.of(
                Arguments.of(NativeOp.OPEN_CONTAINER, Errno.ENOENT, Reason.VFIO_SETUP, "load vfio-pci"),
                Arguments.of(NativeOp.OPEN_CONTAINER, Errno.EACCES, Reason.PERMISSION, "run as root"),
                Arguments.of(NativeOp.OPEN_GROUP, Errno.EBUSY, Reason.BUSY, "in use by another process"),
                Arguments.of(NativeOp.OPEN_GROUP, Errno.EACCES, Reason.PERMISSION, "run as root or chown /dev/vfio/7"),
                Arguments.of(NativeOp.OPEN_GROUP, Errno.ENOENT, Reason.VFIO_SETUP, "nicup bind"),
                Arguments.of(NativeOp.OPEN_GROUP, Errno.EPERM, Reason.PERMISSION, "CAP_SYS_RAWIO"),
                Arguments.of(NativeOp.OPEN_GROUP, Errno.ENODEV, Reason.VFIO_SETUP, "no device bound to vfio-pci"),
                Arguments.of(NativeOp.GROUP_SET_CONTAINER, Errno.EPERM, Reason.VFIO_SETUP, "not viable"),
                Arguments.of(NativeOp.GROUP_SET_CONTAINER, Errno.EBUSY, Reason.BUSY, "attached elsewhere"),
                Arguments.of(NativeOp.GROUP_SET_CONTAINER, Errno.EINVAL, Reason.VFIO_SETUP, "already has a container"),
                Arguments.of(NativeOp.SET_IOMMU, Errno.EPERM, Reason.VFIO_SETUP, "interrupt remapping"),
                Arguments.of(NativeOp.SET_IOMMU, Errno.EPERM, Reason.VFIO_SETUP, "allow_unsafe_interrupts=1"),
                Arguments.of(NativeOp.SET_IOMMU, Errno.EINVAL, Reason.VFIO_SETUP, "before a group was attached"),
                Arguments.of(NativeOp.GROUP_GET_DEVICE_FD, Errno.EINVAL, Reason.VFIO_SETUP, "no container"),
                Arguments.of(NativeOp.MAP_DMA, Errno.ENOMEM, Reason.RESOURCE_LIMIT, "locked-memory limit too low"),
                Arguments.of(NativeOp.MAP_DMA, Errno.ENOMEM, Reason.RESOURCE_LIMIT, "ulimit -l"),
                Arguments.of(NativeOp.MAP_DMA, Errno.ENOMEM, Reason.RESOURCE_LIMIT, "current="),
                Arguments.of(NativeOp.MAP_DMA, Errno.ENOSPC, Reason.RESOURCE_LIMIT, "dma_entry_limit"),
                Arguments.of(NativeOp.MAP_DMA, Errno.EEXIST, Reason.INVALID_ARGUMENT, "overlaps"),
                Arguments.of(NativeOp.MAP_DMA, Errno.EINVAL, Reason.INVALID_ARGUMENT, "IOMMU page size"),
                Arguments.of(NativeOp.UNMAP_DMA, Errno.EINVAL, Reason.INVALID_ARGUMENT, "does not match a mapping"),
                Arguments.of(NativeOp.DEVICE_RESET, Errno.ENOTTY, Reason.UNSUPPORTED, "CTRL.RST"),
                Arguments.of(NativeOp.MMAP_ANONYMOUS, Errno.ENOMEM, Reason.RESOURCE_LIMIT, "nr_hugepages"),
                Arguments.of(NativeOp.MAP_DMA, Errno.ENOTTY, Reason.UNSUPPORTED, "no-IOMMU container"),
                Arguments.of(NativeOp.OPEN, Errno.ENOENT, Reason.NOT_FOUND, "is not there"),
                Arguments.of(NativeOp.READ, Errno.EIO, Reason.HARDWARE, "did not respond"),
                Arguments.of(NativeOp.EVENTFD, Errno.EMFILE, Reason.RESOURCE_LIMIT, "ulimit -n"),
                Arguments.of(NativeOp.POLL, Errno.EFAULT, Reason.INVALID_ARGUMENT, "bug"),
                Arguments.of(NativeOp.MEMFD_CREATE, Errno.ENOSYS, Reason.UNSUPPORTED, "does not offer"),
                Arguments.of(NativeOp.PREAD, 200, Reason.SYSTEM, ""));
    }

    @ParameterizedTest(name = "{0} failing with errno {1} is {2}")
    @MethodSource("documentedMeanings")
    void eachDocumentedErrnoMapsToItsReasonAndRemedy(NativeOp op, int errno, Reason reason, String remedyPart) {
        NativeCallException e = VfioErrors.failure(op, errno, "/dev/vfio/7", "fd=5");

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.remedy()).contains(remedyPart);
        assertThat(e.errno()).isEqualTo(errno);
        assertThat(e.operation()).isEqualTo(op);
    }

    @ParameterizedTest
    @EnumSource(NativeOp.class)
    void everyOperationNamesItselfAndTheErrnoInOneKeyValueLine(NativeOp op) {
        NativeCallException e = VfioErrors.failure(op, Errno.EBUSY, "/dev/vfio/7", "fd=5");

        assertThat(e.getMessage()).doesNotContain("\n")
                .contains("op=" + op.cName()).contains("errno=16").contains("errno_name=EBUSY")
                .contains("target=/dev/vfio/7").contains("fd=5");
        assertThat(e.errnoName()).isEqualTo("EBUSY");
    }

    @Test
    void theMemlockRemedyQuotesThisProcessLimit() {
        String current = MemlockLimit.query().describe();
        assertThat(VfioErrors.failure(NativeOp.MAP_DMA, Errno.ENOMEM, null, null).remedy()).endsWith("current=" + current);
    }

    @Test
    void errnoNamesComeFromTheLinuxTable() {
        assertThat(Errno.name(1)).isEqualTo("EPERM");
        assertThat(Errno.name(2)).isEqualTo("ENOENT");
        assertThat(Errno.name(4)).isEqualTo("EINTR");
        assertThat(Errno.name(11)).isEqualTo("EAGAIN");
        assertThat(Errno.name(12)).isEqualTo("ENOMEM");
        assertThat(Errno.name(13)).isEqualTo("EACCES");
        assertThat(Errno.name(16)).isEqualTo("EBUSY");
        assertThat(Errno.name(17)).isEqualTo("EEXIST");
        assertThat(Errno.name(19)).isEqualTo("ENODEV");
        assertThat(Errno.name(22)).isEqualTo("EINVAL");
        assertThat(Errno.name(25)).isEqualTo("ENOTTY");
        assertThat(Errno.name(28)).isEqualTo("ENOSPC");
        assertThat(Errno.name(38)).isEqualTo("ENOSYS");
        assertThat(Errno.name(77)).isEqualTo("EBADFD");
        assertThat(Errno.name(95)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(999)).isEqualTo("errno999");
        assertThat(Errno.name(-1)).isEqualTo("errno-1");
    }
}
