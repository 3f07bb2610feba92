package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Real downcalls on this machine: no device, no root needed. */
class LibCSmokeTest {

    @Test
    void openAndCloseOfDevNullSucceed() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = LibC.newCallState(a);
            int fd = LibC.open(st, a.allocateFrom("/dev/null"), LibC.O_RDWR | LibC.O_CLOEXEC, 0);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            assertThat(LibC.close(st, fd)).isZero();
            assertThat(LibC.close(st, fd)).isEqualTo(-1);
            assertThat(LibC.errno(st)).isEqualTo(Errno.EBADF);
        }
    }

    @Test
    void openOfAMissingFileCapturesEnoentAndMapsToNotFound() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = LibC.newCallState(a);
            int fd = LibC.open(st, a.allocateFrom("/nonexistent/nicup-test"), LibC.O_RDONLY, 0);
            assertThat(fd).isEqualTo(-1);
            assertThat(LibC.errno(st)).isEqualTo(Errno.ENOENT);
        }
        assertThatThrownBy(() -> new FfmVfioKernel().open(Path.of("/nonexistent/nicup-test"), NativeOp.OPEN))
                .isInstanceOfSatisfying(NativeCallException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
                    assertThat(e.getMessage()).contains("errno_name=ENOENT").contains("/nonexistent/nicup-test");
                });
    }

    @Test
    void aMissingVfioContainerIsReportedAsVfioSetupWithTheModprobeRemedy() {
        assertThatThrownBy(() -> new FfmVfioKernel().open(Path.of("/nonexistent/vfio/vfio"), NativeOp.OPEN_CONTAINER))
                .isInstanceOfSatisfying(NativeCallException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
                    assertThat(e.remedy()).contains("modprobe vfio-pci");
                });
    }

    @Test
    void eventfdWriteThenPollThenReadGivesTheCountBack() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = LibC.newCallState(a);
            int fd = LibC.eventfd(st, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            assertThat(fd).isGreaterThanOrEqualTo(0);
            MemorySegment pfd = a.allocate(LibC.POLLFD);
            LibC.POLLFD_FD.set(pfd, 0L, fd);
            LibC.POLLFD_EVENTS.set(pfd, 0L, LibC.POLLIN);
            assertThat(LibC.poll(st, pfd, 1, 0)).as("nothing written yet").isZero();

            MemorySegment v = a.allocate(JAVA_LONG);
            v.set(JAVA_LONG, 0, 3);
            assertThat(LibC.write(st, fd, v)).isEqualTo(8);
            assertThat(LibC.poll(st, pfd, 1, 1000)).isEqualTo(1);
            assertThat((short) LibC.POLLFD_REVENTS.get(pfd, 0L) & LibC.POLLIN).isNotZero();

            MemorySegment r = a.allocate(JAVA_LONG);
            assertThat(LibC.read(st, fd, r)).isEqualTo(8);
            assertThat(r.get(JAVA_LONG, 0)).isEqualTo(3);
            assertThat(LibC.read(st, fd, r)).as("counter consumed").isEqualTo(-1);
            assertThat(LibC.errno(st)).isEqualTo(Errno.EAGAIN);
            LibC.close(st, fd);
        }
    }

    @SuppressWarnings("restricted") // FFM by design: this module talks to the kernel
    @Test
    void anonymousMemoryIsMappedZeroedWritableAndUnmapped() {
        FfmVfioKernel k = new FfmVfioKernel();
        long addr = k.mmapAnonymous(64 << 10, false);
        assertThat(addr % 4096).isZero();
        MemorySegment s = MemorySegment.ofAddress(addr).reinterpret(64 << 10);
        assertThat(s.get(ValueLayout.JAVA_LONG, 8)).isZero();
        s.set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
        assertThat(s.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(0x1122334455667788L);
        k.munmap(addr, 64 << 10);
    }

    @Test
    void munmapOfAMisalignedAddressFailsWithEinval() {
        assertThatThrownBy(() -> new FfmVfioKernel().munmap(4097, 4096))
                .isInstanceOfSatisfying(NativeCallException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void getrlimitReadsTheLockedMemoryLimitOfThisProcess() {
        MemlockLimit m = MemlockLimit.query();
        assertThat(m.unlimited() || m.current() >= 0).isTrue();
        assertThat(Long.compareUnsigned(m.current(), m.max())).isLessThanOrEqualTo(0);
        assertThat(m.describe()).matches("unlimited|\\d+ bytes \\(\\d+ KiB\\)");
    }

    @Test
    void memfdCreateGivesAFileThatCanBeWrittenAndReadBack() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = LibC.newCallState(a);
            int fd = LibC.memfdCreate(st, a.allocateFrom("nicup-test"), LibC.MFD_CLOEXEC);
            assertThat(fd).as("errno " + LibC.errno(st)).isGreaterThanOrEqualTo(0);
            MemorySegment data = a.allocateFrom("hello");
            assertThat(LibC.pwrite(st, fd, data, 0)).isEqualTo(data.byteSize());
            MemorySegment back = a.allocate(data.byteSize());
            assertThat(LibC.pread(st, fd, back, 0)).isEqualTo(data.byteSize());
            assertThat(back.getString(0)).isEqualTo("hello");
            LibC.close(st, fd);
        }
    }

    @Test
    void getpidMatchesTheJvmPid() {
        try (Arena a = Arena.ofConfined()) {
            assertThat((long) LibC.getpid(LibC.newCallState(a))).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void ioctlOnAFileThatIsNotVfioFailsWithEnottyAndMapsToUnsupported() {
        FfmVfioKernel k = new FfmVfioKernel();
        int fd = k.open(Path.of("/dev/null"), NativeOp.OPEN);
        try {
            assertThatThrownBy(() -> k.apiVersion(fd)).isInstanceOfSatisfying(NativeCallException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.ENOTTY);
                assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
                assertThat(e.getMessage()).contains("op=VFIO_GET_API_VERSION");
            });
            assertThatThrownBy(() -> k.groupStatus(fd)).isInstanceOfSatisfying(NativeCallException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.ENOTTY));
        } finally {
            k.close(fd);
        }
    }

    @Test
    void hugepageMappingEitherWorksOrFailsWithATypedError() {
        FfmVfioKernel k = new FfmVfioKernel();
        try {
            long addr = k.mmapAnonymous(2 << 20, true);
            assertThat(addr % (2 << 20)).isZero();
            k.munmap(addr, 2 << 20);
        } catch (NativeCallException e) {
            assertThat(e.operation()).isEqualTo(NativeOp.MMAP_ANONYMOUS);
            assertThat(e.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
        }
    }
}
