package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.intel.HostileDevice;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82576.Regs82576;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;

/**
 * The Intel miniport against a device whose write-backs and head registers say what the fuzzer says
 * (docs/ndis-contract.md §13). The input's first byte picks the family (82574L or 82576) and how many
 * frames go each way; then each descriptor write-back takes a control byte and, when its low bit is set,
 * 16 bytes that replace the descriptor; each TDH or RDH read takes a control byte and, when its low bit is
 * set, 4 bytes that replace the value. When the input runs out the device tells the truth again.
 *
 * <p>The oracle: nothing escapes but what the test itself asserts (no IndexOutOfBoundsException from a
 * read outside the driver's segments, no other exception), the run ends (virtual time, bounded loops),
 * every frame indicated has a length a frame can have, the driver takes at most one frame per write-back
 * (none twice), every send completes exactly once, and the halt releases everything.
 */
class HostileIntelDeviceFuzzTest {

    /** Reads the input front to back; zeros once it is used up. */
    private static final class Lies implements HostileDevice {
        private final byte[] input;
        private final int tdh;
        private final int rdh;
        private int at = 1;
        int rxWriteBacks;

        Lies(byte[] input, int tdh, int rdh) {
            this.input = input;
            this.tdh = tdh;
            this.rdh = rdh;
        }

        private boolean left(int n) {
            return at + n <= input.length;
        }

        private int next() {
            return left(1) ? input[at++] & 0xFF : 0;
        }

        @Override
        public void wroteBack(boolean receive, long descriptor, MockDmaAllocator dma) {
            if (receive) {
                rxWriteBacks++;
            }
            if ((next() & 1) != 0 && left(16)) {
                dma.write(descriptor, input, at, 16, "fuzz");
                at += 16;
            }
        }

        @Override
        public int registerRead(int offset, int value) {
            if ((offset != tdh && offset != rdh) || (next() & 1) == 0 || !left(4)) {
                return value;
            }
            int v = input[at] & 0xFF | (input[at + 1] & 0xFF) << 8 | (input[at + 2] & 0xFF) << 16 | input[at + 3] << 24;
            at += 4;
            return v;
        }
    }

    @FuzzTest
    void whatEverTheDeviceWritesBackTheDriverStaysInItsBuffersAndAccountsForEveryFrame(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean i82574 = (input[0] & 1) == 0;
        int sends = (input[0] >>> 1 & 7) * 4;
        int receives = (input[0] >>> 4 & 7) * 4;
        try (HostileIntelDeviceTest.Bench b = new HostileIntelDeviceTest.Bench(i82574 ? "82574L" : "82576", "")) {
            b.running();
            Lies lies = i82574 ? new Lies(input, Regs82574.TDH(0), Regs82574.RDH(0))
                    : new Lies(input, Regs82576.TDH(0), Regs82576.RDH(0));
            b.model().setHostile(lies);
            List<byte[]> out = MockMiniportBench.frames(MockMiniportBench.PEER, HostileIntelDeviceTest.MAC, sends, 64, 0);
            assertThat(FrameEdge.send(b.host, b.adapter, b.sendPool(), out)).isEqualTo(sends);
            for (byte[] f : MockMiniportBench.frames(HostileIntelDeviceTest.MAC, MockMiniportBench.PEER, receives, 100, 0)) {
                b.inject(f);
            }
            b.host.idle(Duration.ofSeconds(5));             // two CheckForHang runs: resets happen here
            IntelAdapter<?> nic = b.nic();
            boolean gaveUp = nic.surpriseRemoved();
            b.model().setHostile(null);
            if (b.adapter.state() == AdapterState.RUNNING) {
                b.host.pause(b.adapter);
            }
            b.host.halt(b.adapter, gaveUp ? HaltAction.NdisHaltDeviceSurpriseRemoved : HaltAction.NdisHaltDeviceDisabled);

            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.edge.received().stream().map(f -> f.length)).as("lengths indicated").allMatch(n -> n >= 14
                    && n <= 1518);
            assertThat(b.edge.received().size() + nic.dataPath().rxDropped()).as("at most one frame per write-back")
                    .isLessThanOrEqualTo(lies.rxWriteBacks + nic.rx().unsubmittedWriteBacks());
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send completed once").isEqualTo(sends);
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.adapter.heldResources()).isEmpty();
        }
    }
}
