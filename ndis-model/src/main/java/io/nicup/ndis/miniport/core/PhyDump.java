package io.nicup.ndis.miniport.core;

import java.util.List;

/**
 * The PHY's standard registers read over the management interface and decoded by their IEEE 802.3 clause
 * 22 and 40 names ({@code mii-tool -v}, the PHY part of {@code ethtool -d}), and what the link partner
 * advertised ({@code ethtool}'s "Link partner advertised link modes").
 *
 * @param registers each register: its name, number (as the offset), 16-bit value and decoded bits
 * @param partner what the link partner advertised, known only once autonegotiation completed
 */
public record PhyDump(List<RegisterReading> registers, LinkPartner partner) {

    public PhyDump {
        registers = List.copyOf(registers);
    }

    /**
     * What the link partner advertised in its base page (ANLPAR) and its 1000BASE-T page (1000BASE-T
     * status), in ethtool's words.
     *
     * @param negotiated whether autonegotiation completed (BMSR); before that the partner registers say nothing
     * @param modes "10baseT/Half" .. "1000baseT/Full", in that order
     * @param pause "Symmetric", "Symmetric Receive-only", "Transmit-only" or "No" (ethtool's wording)
     */
    public record LinkPartner(boolean negotiated, List<String> modes, String pause) {

        public LinkPartner {
            modes = List.copyOf(modes);
        }
    }
}
