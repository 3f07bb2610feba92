package io.nicup.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A device's configuration space as the device chooses it: the header, the capability chain (loops,
 * pointers into the header or past the end) and the extended chain. {@code nicup info} decodes it, or
 * refuses a space that reads all-ones with HARDWARE and a message; it never reads outside the space,
 * never makes an access the kernel would refuse (unaligned), never loops and never throws anything
 * else. The first input byte picks the size (256 bytes, 4 KiB, or the 64-byte header an unprivileged
 * reader sees); the rest is the space, zero-filled.
 */
class PciConfigDecoderFuzzTest {

    @FuzzTest
    void anyConfigSpaceDecodesOrIsAHardwareError(byte[] input) {
        int size = input.length == 0 ? 256 : switch (input[0] & 3) {
            case 0 -> 64;
            case 1 -> 256;
            default -> 4096;
        };
        byte[] space = Arrays.copyOf(input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length), size);
        Map<String, Object> decoded;
        try {
            decoded = PciConfigDecoder.decode(new BytesConfigSpace(space));
        } catch (DeviceAccessException e) {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.HARDWARE);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(decoded).containsKeys("vendor_id", "device_id", "capabilities", "extended_capabilities");
        assertThat((List<?>) decoded.get("capabilities")).hasSizeLessThanOrEqualTo(48);
        assertThat((List<?>) decoded.get("extended_capabilities")).hasSizeLessThanOrEqualTo(1024);
    }

    /** A config space over bytes that checks every access as the kernel's vfio-pci region does. */
    private record BytesConfigSpace(byte[] bytes) implements ConfigSpace {

        @Override
        public int size() {
            return bytes.length;
        }

        private int read(int offset, int width) {
            if (offset < 0 || offset > bytes.length - width || offset % width != 0) {
                throw new AssertionError("config access outside the space or unaligned: offset=0x"
                        + Integer.toHexString(offset) + " width=" + width + " size=" + bytes.length);
            }
            int v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = (v << 8) | (bytes[offset + i] & 0xFF);
            }
            return v;
        }

        @Override
        public int read8(int offset) {
            return read(offset, 1);
        }

        @Override
        public int read16(int offset) {
            return read(offset, 2);
        }

        @Override
        public int read32(int offset) {
            return read(offset, 4);
        }

        @Override
        public void write8(int offset, int value) {
            throw new AssertionError("decoding wrote config space: offset=0x" + Integer.toHexString(offset));
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
}
