package io.nicup.mock;

/**
 * One register access a device model noted for a test to inspect: an access to an offset the model
 * does not implement (reads 0, writes ignored, as QEMU's e1000e does), a write the device ignored
 * because it was in reset, a narrow (8/16-bit) access to 32-bit-only registers, and the like.
 *
 * @param bar the BAR index
 * @param offset byte offset in the BAR
 * @param width access width in bytes
 * @param write a write (true) or a read
 * @param value the value written (0 for reads)
 * @param kind why it was noted: {@code "unimplemented"}, {@code "during-reset"}, {@code "narrow"}, ...
 * @param timeNanos virtual time of the access
 */
public record RegisterAccess(int bar, long offset, int width, boolean write, long value, String kind,
        long timeNanos) {

    @Override
    public String toString() {
        return String.format("%s %s bar=%d offset=0x%05x width=%d value=0x%x t=%dns", kind, write ? "write" : "read",
                bar, offset, width, value, timeNanos);
    }
}
