package io.nicup.benchmarks;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * The {@code sun.misc.Unsafe} instance of the rings of {@link UnsafePath}: {@link UnsafeTxRing} and
 * {@link UnsafeRxRing}, {@code TxDescriptorRing} and {@code RxDescriptorRing} with the 82574L hooks of
 * {@code TxRing} and {@code ExtRxRing} written in place, line for line, each {@code VarHandle} access on the ring
 * segment replaced by the Unsafe call at its base address plus the same offset.
 */
@SuppressWarnings("removal") // sun.misc.Unsafe memory access: this peer exists to measure it
final class UnsafeRings {

    static final Unsafe U;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private UnsafeRings() {
    }
}
