package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.PciAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real eventfds and poll(2); only SET_IRQS goes to the kernel double. */
class VfioInterruptsTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:02.0");

    @TempDir
    Path tmp;
    FakeMachine m;
    FakeVfioKernel k;
    VfioPciDevice d;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        k = m.kernel;
        m.device(NIC.toString()).boundTo("vfio-pci").group(5);
        d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults());
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        d.close();
    }

    /** What the kernel does when vector {@code v} fires: add 1 to its eventfd. */
    static void fire(InterruptSet set, int v) {
        int fd = ((VfioInterrupts.VfioInterruptSet) set).eventfd(v);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            assertThat(LibC.write(LibC.newCallState(a), fd, one)).isEqualTo(8);
        }
    }

    @Test
    void theVectorCountsComeFromIrqInfo() {
        assertThat(d.interrupts().maxVectors(InterruptMode.MSIX)).isEqualTo(5);
        assertThat(d.interrupts().maxVectors(InterruptMode.MSI)).isEqualTo(1);
        assertThat(d.interrupts().maxVectors(InterruptMode.INTX)).isEqualTo(1);
    }

    @Test
    void enableHandsOneEventfdPerVectorToTheKernelWithDataEventfdActionTrigger() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 3);
        int[] rec = k.irqSets.get(k.irqSets.size() - 1);
        assertThat(rec[0]).isEqualTo(VfioAbi.PCI_MSIX_IRQ_INDEX);
        assertThat(rec[1]).isEqualTo(VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER);
        assertThat(rec[3]).isEqualTo(3);
        VfioInterrupts.VfioInterruptSet v = (VfioInterrupts.VfioInterruptSet) s;
        assertThat(new int[] {rec[4], rec[5], rec[6]}).containsExactly(v.eventfd(0), v.eventfd(1), v.eventfd(2));
        s.close();
    }

    @Test
    void awaitReturnsTheVectorsThatFiredAndCountsTheirEvents() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 3);
        fire(s, 1);
        fire(s, 1);
        fire(s, 2);

        assertThat(s.await(1_000_000_000L)).isEqualTo(0b110);
        assertThat(s.events(1)).isEqualTo(2);
        assertThat(s.events(2)).isEqualTo(1);
        assertThat(s.events(0)).isZero();
        assertThat(s.poll()).as("events were consumed").isZero();
        s.close();
    }

    @Test
    void awaitTimesOutWithZeroWhenNothingFires() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSI, 1);
        long t0 = System.nanoTime();
        assertThat(s.await(20_000_000L)).isZero();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(15_000_000L);
        s.close();
    }

    @Test
    void anEventFromAnotherThreadWakesAWaiter() throws Exception {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 1);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            }
            fire(s, 0);
        });
        t.start();
        assertThat(s.await(5_000_000_000L)).isEqualTo(1);
        t.join();
        s.close();
    }

    @Test
    void intxAcknowledgeUnmasksTheLine() {
        InterruptSet s = d.interrupts().enable(InterruptMode.INTX, 1);
        s.acknowledge(0);
        int[] rec = k.irqSets.get(k.irqSets.size() - 1);
        assertThat(rec[0]).isEqualTo(VfioAbi.PCI_INTX_IRQ_INDEX);
        assertThat(rec[1]).isEqualTo(VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_UNMASK);
        assertThat(rec[3]).isEqualTo(1);
        s.close();
    }

    @Test
    void msixAcknowledgeIsANoOp() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 2);
        int before = k.irqSets.size();
        s.acknowledge(1);
        assertThat(k.irqSets).hasSize(before);
        assertThatThrownBy(() -> s.acknowledge(2)).isInstanceOf(IllegalArgumentException.class);
        s.close();
    }

    @Test
    void closeDisablesTheIndexAndAllowsArmingAgain() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 2);
        s.close();
        int[] rec = k.irqSets.get(k.irqSets.size() - 1);
        assertThat(rec[1]).isEqualTo(VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_TRIGGER);
        assertThat(rec[3]).isZero();
        assertThatThrownBy(() -> s.await(0)).isInstanceOf(IllegalStateException.class);
        d.interrupts().enable(InterruptMode.MSI, 1).close();
    }

    @Test
    void armingTwiceOrTooManyVectorsIsAnInvalidArgument() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 1);
        assertThatThrownBy(() -> d.interrupts().enable(InterruptMode.MSI, 1)).isInstanceOfSatisfying(
                DeviceAccessException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        s.close();
        assertThatThrownBy(() -> d.interrupts().enable(InterruptMode.MSIX, 6)).isInstanceOfSatisfying(
                DeviceAccessException.class, e -> assertThat(e.getMessage()).contains("max=5"));
        assertThatThrownBy(() -> d.interrupts().enable(InterruptMode.MSIX, 0)).isInstanceOf(
                DeviceAccessException.class);
    }

    @Test
    void aKernelRefusalClosesTheEventfdsItCreated() {
        k.failOn("setIrqs", Errno.EINVAL);
        assertThatThrownBy(() -> d.interrupts().enable(InterruptMode.MSIX, 2)).isInstanceOf(NativeCallException.class);
        k.failures.clear();
        d.interrupts().enable(InterruptMode.MSIX, 2).close();
    }

    @Test
    void aModeTheDeviceLacksIsUnsupported() {
        k.irqs.put(1, new IrqInfo(1, VfioAbi.IRQ_INFO_EVENTFD, 0));
        d.close();
        d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults());
        assertThatThrownBy(() -> d.interrupts().enable(InterruptMode.MSI, 1)).isInstanceOfSatisfying(
                DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
                    assertThat(e.remedy()).contains("MSIX=5");
                });
    }

    @Test
    void closingTheDeviceDisarmsAnArmedSet() {
        InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, 2);
        d.close();
        assertThatThrownBy(() -> s.poll()).isInstanceOf(IllegalStateException.class);
        d = VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults());
    }
}
