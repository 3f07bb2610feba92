package io.nicup.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ethtool -i} shows, at the top of {@code nvm} and {@code regs}: the driver, its version, the
 * firmware version the driver decoded from the device ("n/a" when the device has none) and where the
 * device sits.
 */
record DriverInfo(String driver, String version, String firmwareVersion, String busInfo) {

    static DriverInfo of(Session s, String firmwareVersion) {
        String v = Nicup.class.getPackage().getImplementationVersion();
        return new DriverInfo(s.driver.name(), "nicup " + (v == null ? "(development build)" : v), firmwareVersion,
                s.device.address().toString());
    }

    List<String> lines() {
        return List.of("driver: " + driver, "version: " + version, "firmware-version: " + firmwareVersion,
                "bus-info: " + busInfo);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("driver", driver);
        m.put("version", version);
        m.put("firmware_version", firmwareVersion);
        m.put("bus_info", busInfo);
        return m;
    }
}
