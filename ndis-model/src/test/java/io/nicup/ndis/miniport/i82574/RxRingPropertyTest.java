package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random arrivals, poll sizes and returns (in any order) over many thousands of frames: frames come out
 * in order and intact, each buffer is in exactly one place (ring, caller, pool) and RDT follows the rules.
 */
class RxRingPropertyTest {

    private static final long RDT = Regs82574.RDT(0);

    @SeededTest(cases = 60)
    void framesArriveInOrderAndEveryBufferIsAccountedFor(Gen gen) {
        int count = gen.oneOf(64, 128, 256, 512, 1024, 2048, 4096);
        int maxBatch = gen.between(1, 300);
        Random random = gen.random();
        int poolSize = count + 64;
        try (Rig rig = new Rig(64, count, 256, poolSize)) {
            assertThat(rig.rx.refillFromPool(count)).isEqualTo(count - 1);
            int frames = 5_000 + 2 * count;
            int sent = 0;
            int received = 0;
            List<Integer> held = new ArrayList<>();
            int[] buffers = new int[count];
            int[] lengths = new int[count];
            int[] flags = new int[count];
            int[] giveBack = new int[poolSize];
            while (received < frames) {
                // Device: a burst of frames, as long as it has buffers.
                int burst = random.nextInt(2 * maxBatch + 1);
                for (int i = 0; i < burst && sent < frames; i++) {
                    if (!rig.device.receive(sent, length(sent))) {
                        break;
                    }
                    sent++;
                }

                // Driver: poll some.
                int n = rig.rx.poll(buffers, lengths, flags, 0, 1 + random.nextInt(maxBatch));
                for (int i = 0; i < n; i++) {
                    assertThat(RxRing.isGood(flags[i])).isTrue();
                    assertThat(lengths[i]).isEqualTo(length(received));
                    assertThat(rig.pool.segment(buffers[i]).get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(received);
                    assertThat(held).doesNotContain(buffers[i]);
                    held.add(buffers[i]);
                    received++;
                }
                assertThat(received).isLessThanOrEqualTo(sent);

                // Driver: give back a random subset in random order, partly fresh from the pool.
                Collections.shuffle(held, random);
                int back = random.nextInt(held.size() + 1);
                for (int i = 0; i < back; i++) {
                    giveBack[i] = held.get(i);
                }
                long doorbells = rig.regs.writeCount(RDT);
                int emptyBefore = rig.rx.emptySlots();
                int accepted = rig.rx.refill(giveBack, 0, back);
                assertThat(accepted).isEqualTo(Math.min(back, emptyBefore));
                assertThat(rig.regs.writeCount(RDT)).isEqualTo(doorbells + (accepted > 0 ? 1 : 0));
                held.subList(0, accepted).clear();
                if (random.nextInt(8) == 0) {
                    // Keep a few, refill from the pool instead.
                    rig.rx.refillFromPool(random.nextInt(8));
                }
                if (held.size() > count / 2 && random.nextBoolean()) {
                    for (int b : held) {
                        rig.pool.free(b);
                    }
                    held.clear();
                }

                assertThat(rig.rx.hardwareOwned()).isLessThanOrEqualTo(count - 1);
                assertThat(rig.regs.value(RDT)).isEqualTo(rig.rx.tail()).isLessThan(count);
                assertThat(rig.rx.hardwareOwned() + held.size() + rig.pool.available()).isEqualTo(poolSize);
                if (rig.rx.hardwareOwned() == 0 && held.isEmpty()) {
                    rig.rx.refillFromPool(count);
                }
            }
            assertThat(rig.device.badTails()).isZero();
        }
    }

    private static int length(int sequence) {
        return 60 + sequence % 197;
    }
}
