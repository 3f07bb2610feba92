package io.nicup.mock;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed device spec such as {@code mock:82574L?mac=02:00:00:00:00:01&fault=tx-hang&after=100}.
 * See {@link MockDevices} for the grammar.
 *
 * @param text the spec as given
 * @param model the model name as registered (canonical case)
 * @param params every {@code key=value} except {@code fault}, keys lower-case
 * @param faults the faults asked for, in order, without duplicates
 */
public record MockSpec(String text, String model, Map<String, String> params, List<FaultRequest> faults) {

    public MockSpec {
        params = Map.copyOf(params);
        faults = List.copyOf(faults);
    }

    public Optional<String> param(String key) {
        return Optional.ofNullable(params.get(key));
    }

    public boolean hasFault(String name) {
        return fault(name).isPresent();
    }

    public Optional<FaultRequest> fault(String name) {
        return faults.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The {@code mac} parameter, or {@code defaultMac}. */
    public byte[] mac(byte[] defaultMac) {
        String text = params.get("mac");
        return text == null ? defaultMac.clone() : parseMac(text);
    }

    /** The {@code address} parameter (a PCI address), or {@code defaultAddress}. */
    public PciAddress address(PciAddress defaultAddress) {
        String text = params.get("address");
        return text == null ? defaultAddress : PciAddress.parse(text);
    }

    /** A non-negative integer parameter within {@code [min, max]}, or {@code defaultValue}. */
    public long longParam(String key, long defaultValue, long min, long max) {
        String text = params.get(key);
        if (text == null) {
            return defaultValue;
        }
        long v = parseCount(key, text);
        if (v < min || v > max) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "mock parameter out of range: " + key + "=" + text + " min=" + min + " max=" + max,
                    "use a value between " + min + " and " + max);
        }
        return v;
    }

    static long parseCount(String key, String text) {
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                "mock parameter is not a non-negative integer: " + key + "=" + text,
                "write a decimal count, e.g. " + key + "=100");
    }

    /** Parses {@code 02:00:00:00:00:01} (or with dashes) into six bytes; rejects multicast and zero. */
    public static byte[] parseMac(String text) {
        String[] parts = text.split("[:-]", -1);
        byte[] mac = new byte[6];
        boolean ok = parts.length == 6;
        for (int i = 0; ok && i < 6; i++) {
            ok = parts[i].length() == 2 && HexFormat.isHexDigit(parts[i].charAt(0))
                    && HexFormat.isHexDigit(parts[i].charAt(1));
            if (ok) {
                mac[i] = (byte) HexFormat.fromHexDigits(parts[i]);
            }
        }
        if (!ok) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "malformed MAC address: mac=" + text,
                    "write six hex octets separated by colons, e.g. mac=02:00:00:00:00:01");
        }
        if ((mac[0] & 1) != 0) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "MAC address is multicast: mac=" + text,
                    "clear bit 0 of the first octet (use e.g. 02:... for a locally administered address)");
        }
        if (java.util.Arrays.equals(mac, new byte[6])) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "MAC address is all zero: mac=" + text,
                    "use a unicast address such as 02:00:00:00:00:01");
        }
        return mac;
    }

    public static String formatMac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }
}
