package io.nicup.vfio;

import java.util.Arrays;

/**
 * A read-only copy of a function's config space, as read at one moment (from sysfs {@code config}, or
 * built by a test). Little-endian like the device. A read past the copied bytes is an error of the
 * caller, who checks {@link #size()} first (an unprivileged sysfs reader gets only the 64-byte header).
 */
public final class ConfigSpaceSnapshot implements ConfigSpace {

    private final byte[] bytes;

    public ConfigSpaceSnapshot(byte[] bytes) {
        this.bytes = Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public int size() {
        return bytes.length;
    }

    @Override
    public int read8(int offset) {
        check(offset, 1);
        return bytes[offset] & 0xFF;
    }

    @Override
    public int read16(int offset) {
        check(offset, 2);
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    @Override
    public int read32(int offset) {
        check(offset, 4);
        return read16(offset) | read16(offset + 2) << 16;
    }

    @Override
    public void write8(int offset, int value) {
        throw readOnly();
    }

    @Override
    public void write16(int offset, int value) {
        throw readOnly();
    }

    @Override
    public void write32(int offset, int value) {
        throw readOnly();
    }

    private void check(int offset, int width) {
        if (offset < 0 || offset + width > bytes.length) {
            throw new IndexOutOfBoundsException("config read outside the snapshot: offset=0x"
                    + Integer.toHexString(offset) + " width=" + width + " size=" + bytes.length);
        }
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("a config space snapshot is read-only");
    }
}
