package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import java.util.function.IntUnaryOperator;

/**
 * Receive-side scaling on an Intel chip as OID_GEN_RECEIVE_SCALE_PARAMETERS programs it: the secret key into
 * the ten RSSRK registers, the indirection table into RETA's 128 one-byte entries, MRQC from the hash types
 * with the chip's RSS enable, and RXCSUM.PCSD so that the write-back carries the hash. The chip says where its
 * registers are and how it encodes an MRQC field set and a RETA entry ({@link Layout}).
 *
 * <p>The configuration in force is kept and written again whenever the receive unit is programmed (after a
 * reset); a refused set never reaches this class, so the registers keep what they had.
 */
public final class IntelReceiveScale {

    /** RSSRK0-9: the 40-byte key, byte 0 in bits 7:0 of RSSRK0. */
    public static final int KEY_REGISTERS = 10;
    /** RETA0-31: 128 one-byte entries, four to a register, entry 0 in bits 7:0 of RETA0. */
    public static final int TABLE_REGISTERS = 32;

    /**
     * A chip's RSS registers and encodings.
     *
     * @param mrqc offset of MRQC
     * @param rssrk0 offset of RSSRK0
     * @param reta0 offset of RETA0
     * @param rxcsum offset of RXCSUM
     * @param pcsd RXCSUM.PCSD
     * @param rssEnable MRQC's enable bits for RSS
     * @param fieldEnables MRQC's field enables for an NDIS hashInformation
     * @param tableEntry a RETA entry (8 bits) for a receive queue the driver runs
     */
    public record Layout(int mrqc, int rssrk0, int reta0, int rxcsum, int pcsd, int rssEnable,
            IntUnaryOperator fieldEnables, IntUnaryOperator tableEntry) {
    }

    private final IntelHardware hw;
    private final Layout layout;
    /** Set on the OID path, read when the receive unit is programmed again. */
    private volatile NdisReceiveScaleParameters inForce = NdisReceiveScaleParameters.DISABLED;
    /** The receive queues RETA may name: an NDIS table entry q names queue q mod this. */
    private volatile int queues = 1;

    public IntelReceiveScale(IntelHardware hw, Layout layout) {
        this.hw = hw;
        this.layout = layout;
    }

    /**
     * The receive queues the table spreads over (docs/ndis-contract.md §21). Processor p is queue p, and an
     * entry is below the queues announced, so the modulo only guards.
     */
    public void useQueues(int queues) {
        this.queues = queues;
    }

    /** Keeps an accepted configuration and, when the device can be written, programs it at once. */
    public void accept(NdisReceiveScaleParameters rss, boolean writeNow) {
        inForce = rss;
        if (writeNow) {
            program();
            hw.write(layout.rxcsum(), hw.read(layout.rxcsum()) & ~layout.pcsd() | rxcsumBits());
        }
    }

    /**
     * The configuration in force into the device: without RSS MRQC = 0 (every frame on queue 0, no hash); with
     * it the key, the table and then MRQC, whose enable turns RSS on over what is already there.
     */
    public void program() {
        NdisReceiveScaleParameters rss = inForce;
        if (!rss.enabled()) {
            hw.write(layout.mrqc(), 0);
            return;
        }
        byte[] key = rss.hashSecretKey();
        for (int n = 0; n < KEY_REGISTERS; n++) {
            hw.write(layout.rssrk0() + 4 * n, littleEndian(key, 4 * n));
        }
        int[] table = rss.indirectionTable();
        for (int n = 0; n < TABLE_REGISTERS; n++) {
            int reta = 0;
            for (int k = 0; k < 4; k++) {
                // entry i repeats the NDIS table (a power of two up to 128 entries)
                int i = 4 * n + k;
                int queue = table.length == 0 ? 0 : table[i & table.length - 1] % queues;
                reta |= (layout.tableEntry().applyAsInt(queue) & 0xFF) << 8 * k;
            }
            hw.write(layout.reta0() + 4 * n, reta);
        }
        hw.write(layout.mrqc(), layout.rssEnable() | layout.fieldEnables().applyAsInt(rss.hashInformation()));
    }

    /** RXCSUM bits RSS adds to the checksum unit's: PCSD while RSS is on. */
    public int rxcsumBits() {
        return inForce.enabled() ? layout.pcsd() : 0;
    }

    /** Key bytes {@code at..at+3} as RSSRK holds them: the first in bits 7:0. */
    private static int littleEndian(byte[] key, int at) {
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            v = v << 8 | (at + k < key.length ? key[at + k] & 0xFF : 0);
        }
        return v;
    }
}
