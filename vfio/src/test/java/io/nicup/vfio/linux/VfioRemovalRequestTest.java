package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.RemovalRequest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device-request interrupt over a real eventfd and poll(2); SET_IRQS goes to the kernel double. */
class VfioRemovalRequestTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:02.0");

    @TempDir
    Path tmp;
    FakeMachine m;
    FakeVfioKernel k;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        k = m.kernel;
        m.device(NIC.toString()).boundTo("vfio-pci").group(5);
    }

    /** What vfio-pci's request callback does: add 1 to the eventfd userspace registered. */
    static void kernelAsks(RemovalRequest r) {
        int fd = ((VfioRemovalRequest) r).eventfd();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            assertThat(LibC.write(LibC.newCallState(a), fd, one)).isEqualTo(8);
        }
    }

    static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    @Test
    void openHandsTheKernelOneEventfdOnTheRequestIndex() {
        try (VfioPciDevice d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults())) {
            RemovalRequest r = d.removalRequest();
            assertThat(r.offered()).isTrue();
            assertThat(r.requested()).isFalse();
            int[] rec = k.irqSets.stream().filter(s -> s[0] == VfioAbi.PCI_REQ_IRQ_INDEX).findFirst().orElseThrow();
            assertThat(rec).containsExactly(VfioAbi.PCI_REQ_IRQ_INDEX,
                    VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, 1, ((VfioRemovalRequest) r).eventfd());
        }
    }

    @Test
    void theKernelsRequestLatchesAndRunsEachListenerOnceThoughTheKernelRepeatsIt() throws InterruptedException {
        try (VfioPciDevice d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults())) {
            RemovalRequest r = d.removalRequest();
            AtomicInteger heard = new AtomicInteger();
            r.onRequest(heard::incrementAndGet);
            kernelAsks(r);
            assertThat(within(5_000, r::requested)).isTrue();
            kernelAsks(r);                                   // vfio_unregister_group_dev asks again every 10 s
            assertThat(within(5_000, () -> ((VfioRemovalRequest) r).signals() == 2)).isTrue();
            assertThat(heard).hasValue(1);
            AtomicInteger late = new AtomicInteger();
            r.onRequest(late::incrementAndGet);              // registered after the request: runs at once
            assertThat(late).hasValue(1);
        }
    }

    @Test
    void closeTakesTheEventfdBackFromTheKernelAfterTheInterrupts() {
        VfioPciDevice d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults());
        d.close();
        int[] last = k.irqSets.getLast();
        assertThat(last).containsExactly(VfioAbi.PCI_REQ_IRQ_INDEX, VfioAbi.IRQ_SET_DATA_NONE
                | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, 0);
        int disarmed = k.log.indexOf("setIrqs index=4 flags=0x21 count=0");
        int deviceClosed = k.log.indexOf(k.log.stream().filter(l -> l.startsWith("close ") && l.contains("(device "))
                .findFirst().orElseThrow());
        assertThat(k.log.indexOf("setIrqs index=4 flags=0x24 count=1")).isNotNegative().isLessThan(disarmed);
        assertThat(disarmed).isLessThan(deviceClosed);       // the kernel's remove waits for the device fd
    }

    @Test
    void onBusFollowsTheSysfsEntry() throws IOException {
        try (VfioPciDevice d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults())) {
            assertThat(d.removalRequest().onBus()).isTrue();
            Path dir = m.sys.resolve("bus/pci/devices").resolve(NIC.toString());
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertThat(d.removalRequest().onBus()).isFalse();
        }
    }

    @Test
    void aDeviceWithoutTheRequestIndexNeverAsksAndNothingIsArmed() {
        k.irqs.put(VfioAbi.PCI_REQ_IRQ_INDEX, new IrqInfo(VfioAbi.PCI_REQ_IRQ_INDEX, 0, 0));
        try (VfioPciDevice d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults())) {
            assertThat(d.removalRequest()).isSameAs(RemovalRequest.NONE);
            assertThat(k.irqSets).noneMatch(s -> s[0] == VfioAbi.PCI_REQ_IRQ_INDEX);
        }
    }
}
