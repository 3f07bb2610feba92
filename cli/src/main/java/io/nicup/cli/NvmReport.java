package io.nicup.cli;

import io.nicup.ndis.miniport.core.NvmImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code nvm} read: the driver's identity ({@code ethtool -i}), the NVM words as {@code ethtool -e}
 * prints them (byte offset, 16 bytes a line, each word low byte first), the MAC address words, and the
 * checksum verdict. {@code refused} is the driver's reason when MiniportInitializeEx refused the image
 * (the words were kept from that attempt), null when the adapter came up.
 */
record NvmReport(String device, DriverInfo info, NvmImage image, String refused) implements Report {

    @Override
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("driver_info", info.json());
        List<String> words = new ArrayList<>();
        for (int w : image.words()) {
            words.add(String.format("0x%04X", w));
        }
        doc.put("words", words);
        doc.put("mac_words", words.subList(0, 3));
        doc.put("mac", String.valueOf(image.mac()));
        Map<String, Object> checksum = new LinkedHashMap<>();
        checksum.put("valid", image.checksumValid());
        checksum.put("sum", String.format("0x%04X", image.sum()));
        checksum.put("expected", String.format("0x%04X", image.expectedSum()));
        doc.put("checksum", checksum);
        if (refused != null) {
            doc.put("refused_at_initialization", refused);
        }
        return doc;
    }

    @Override
    public List<String> lines(boolean quiet) {
        List<String> lines = new ArrayList<>();
        if (!quiet) {
            lines.addAll(info.lines());
            lines.add("Offset\t\tValues");
            lines.add("------\t\t------");
            int[] words = image.words();
            for (int w = 0; w < words.length; w += 8) {
                StringBuilder sb = new StringBuilder(String.format("0x%04x:\t\t", w * 2));
                for (int i = w; i < Math.min(w + 8, words.length); i++) {
                    sb.append(String.format("%02x %02x ", words[i] & 0xFF, words[i] >>> 8));
                }
                lines.add(sb.toString().stripTrailing());
            }
            lines.add(String.format("MAC address (words 0x00-0x02: 0x%04X 0x%04X 0x%04X): %s", words[0], words[1],
                    words[2], image.mac()));
        }
        lines.add(checksumLine());
        if (refused != null) {
            lines.add("MiniportInitializeEx refused this image: " + refused);
        }
        return lines;
    }

    private String checksumLine() {
        return image.checksumValid()
                ? String.format("checksum: valid (sum of words 0x00-0x%02X = 0x%04X)", image.words().length - 1, image.sum())
                : String.format("checksum: INVALID (sum 0x%04X, expected 0x%04X)", image.sum(), image.expectedSum());
    }

    /** A checksum that does not hold: exit 9, like any failed check. */
    CliException failure(boolean mock) {
        if (image.checksumValid()) {
            return null;
        }
        return new CliException(ExitCode.SELFTEST_FAILED, String.format(
                "NVM checksum invalid: sum=0x%04X expected=0x%04X spec=%s", image.sum(), image.expectedSum(), device),
                mock ? "the simulated NIC's nvm-checksum fault did this: mock-device/README.md"
                        : "the EEPROM image is corrupt: restore it with the vendor's NVM update tool");
    }
}
