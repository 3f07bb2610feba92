package io.nicup.mock.intel;

import java.util.zip.CRC32;

/** Receive-ring arithmetic the e1000-family models share. */
public final class E1000xRx {

    /** RCTL.BSEX and RCTL.BSIZE, the same on the 82574L and the 82576. */
    private static final int BSEX = 0x02000000;
    private static final int BSIZE_MASK = 0x30000;

    private E1000xRx() {
    }

    /** Buffer size per descriptor from RCTL.BSIZE/BSEX (QEMU e1000x_rxbufsize). */
    public static int bufferSize(int rctl) {
        return switch (rctl & (BSEX | BSIZE_MASK)) {
            case BSEX | 0x10000 -> 16384;
            case BSEX | 0x20000 -> 8192;
            case BSEX | 0x30000 -> 4096;
            case 0x10000 -> 1024;
            case 0x20000 -> 512;
            case 0x30000 -> 256;
            default -> 2048;
        };
    }

    /** Descriptors the driver has handed over: from head up to tail; none when tail lies outside the ring. */
    public static int freeDescriptors(int head, int tail, int count) {
        if (tail >= count) {
            return 0;
        }
        return head <= tail ? tail - head : count + tail - head;
    }

    /** Writes the frame's real CRC-32 after its {@code size} bytes, low byte first (QEMU writes zeros). */
    public static void appendFcs(CRC32 crc, byte[] buf, int size) {
        crc.reset();
        crc.update(buf, 0, size);
        int c = (int) crc.getValue();
        buf[size] = (byte) c;
        buf[size + 1] = (byte) (c >>> 8);
        buf[size + 2] = (byte) (c >>> 16);
        buf[size + 3] = (byte) (c >>> 24);
    }
}
