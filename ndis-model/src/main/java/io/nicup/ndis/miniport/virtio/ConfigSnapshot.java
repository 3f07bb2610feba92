package io.nicup.ndis.miniport.virtio;

import io.nicup.vfio.ConfigSpace;

/**
 * A read-only copy of the first bytes of PCI configuration space, as NdisMGetBusData returns them, seen
 * as a {@link ConfigSpace} so that the capability walk reads it like the live space. Writes are refused.
 */
final class ConfigSnapshot implements ConfigSpace {

    private final byte[] bytes;

    ConfigSnapshot(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    @Override
    public int size() {
        return bytes.length;
    }

    @Override
    public int read8(int offset) {
        return offset >= 0 && offset < bytes.length ? bytes[offset] & 0xFF : 0xFF;
    }

    @Override
    public int read16(int offset) {
        return read8(offset) | read8(offset + 1) << 8;
    }

    @Override
    public int read32(int offset) {
        return read16(offset) | read16(offset + 2) << 16;
    }

    @Override
    public void write8(int offset, int value) {
        throw new UnsupportedOperationException("configuration snapshot is read-only: offset=" + offset);
    }

    @Override
    public void write16(int offset, int value) {
        write8(offset, value);
    }

    @Override
    public void write32(int offset, int value) {
        write8(offset, value);
    }
}
