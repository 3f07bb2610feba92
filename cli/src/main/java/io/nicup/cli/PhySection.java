package io.nicup.cli;

import io.nicup.ndis.miniport.core.PhyDump;
import io.nicup.ndis.miniport.core.RegisterReading;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PHY part of {@code regs}: the standard registers decoded and the link partner's abilities (like
 * {@code mii-tool -v} and ethtool's "Link partner advertised" lines), or the one line that says the
 * device has no PHY.
 *
 * @param phy the registers, or null when the device has none
 * @param absent why there is no PHY (null when there is one)
 */
record PhySection(PhyDump phy, String absent) {

    List<String> lines() {
        if (phy == null) {
            return List.of("PHY: none: " + absent);
        }
        List<String> lines = new ArrayList<>();
        lines.add("PHY registers (IEEE 802.3 clause 22 and 40):");
        for (RegisterReading r : phy.registers()) {
            lines.add(String.format("  %-8s reg %2d = 0x%04X  %s", r.name(), r.offset(), r.value(), r.decoded()));
        }
        PhyDump.LinkPartner p = phy.partner();
        if (!p.negotiated()) {
            lines.add("link partner: unknown (autonegotiation not complete)");
        } else {
            lines.add("link partner advertised link modes: " + (p.modes().isEmpty() ? "none" : String.join(" ", p.modes())));
            lines.add("link partner advertised pause frame use: " + p.pause());
        }
        return lines;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("present", phy != null);
        if (phy == null) {
            m.put("reason", absent);
            return m;
        }
        m.put("registers", phy.registers().stream().map(r -> {
            Map<String, Object> reg = new LinkedHashMap<>();
            reg.put("name", r.name());
            reg.put("reg", r.offset());
            reg.put("value", String.format("0x%04X", r.value()));
            reg.put("decoded", r.decoded());
            return reg;
        }).toList());
        Map<String, Object> partner = new LinkedHashMap<>();
        partner.put("negotiated", phy.partner().negotiated());
        partner.put("modes", phy.partner().modes());
        partner.put("pause", phy.partner().pause());
        m.put("link_partner", partner);
        return m;
    }
}
