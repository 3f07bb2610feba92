package io.nicup.ndis;

import java.util.List;

/**
 * An NDIS version as a miniport declares it in its characteristics (MajorNdisVersion.MinorNdisVersion).
 *
 * <p>Documented values (docs/ndis-contract.md §1): major 6 with minor 0, 20, 30, 40, 50, 51, 60, 70, 80,
 * 81, 82 or 83; ReactOS's ndis.h also accepts 6.1, and the DDI introduces characteristics revision 2
 * "for NDIS 6.1", so 6.1 is accepted too. Any other pair is BAD_VERSION. Later versions (6.84 and up)
 * are not in the project's fact sheet and are rejected.
 */
public record NdisVersion(int major, int minor) implements Comparable<NdisVersion> {

    public static final NdisVersion NDIS_6_0 = new NdisVersion(6, 0);
    public static final NdisVersion NDIS_6_1 = new NdisVersion(6, 1);
    public static final NdisVersion NDIS_6_20 = new NdisVersion(6, 20);
    public static final NdisVersion NDIS_6_30 = new NdisVersion(6, 30);
    public static final NdisVersion NDIS_6_80 = new NdisVersion(6, 80);

    /** docs/ndis-contract.md §1, plus 6.1 (ReactOS ndis.h). */
    public static final List<Integer> DOCUMENTED_MINORS = List.of(0, 1, 20, 30, 40, 50, 51, 60, 70, 80, 81, 82, 83);

    public boolean isDocumented() {
        return major == 6 && DOCUMENTED_MINORS.contains(minor);
    }

    /**
     * The highest NDIS_MINIPORT_DRIVER_CHARACTERISTICS revision this version knows: revision 2 came
     * with NDIS 6.1 (Direct OID handlers), revision 3 with NDIS 6.80 (SynchronousOidRequestHandler)
     * (DDI ns-ndis-_ndis_miniport_driver_characteristics.md).
     */
    public int maxCharacteristicsRevision() {
        if (atLeast(NDIS_6_80)) {
            return 3;
        }
        return atLeast(NDIS_6_1) ? 2 : 1;
    }

    public boolean atLeast(NdisVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(NdisVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
