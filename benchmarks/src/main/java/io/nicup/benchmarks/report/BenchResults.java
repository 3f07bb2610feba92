package io.nicup.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one {@code scripts/bench} run measured, as {@link ResultsReader} filled it in, and the look-ups the
 * markdown, the goals and the chart share. The main sweep is at ring 512, the ring sweep at batch 32.
 */
final class BenchResults {

    static final List<String> OPS = List.of("transmit", "receive", "forward");
    /** Variants in table order; "c" is the C baseline. */
    static final List<String> VARIANTS = List.of("c", "ffm", "unsafe", "bytebuffer", "jna", "ndis");

    /** The product's families, as the {@code nic} parameter names them. */
    static final List<String> PRODUCT_NICS = List.of("82574L", "82576");

    /**
     * The name a variant is filed under: the benchmark method's prefix, then the product parameters when
     * the benchmark has them ({@code product 82574L}, {@code product 82574L checks=off},
     * {@code product_device 82576}); {@code N/A} (a parameter the benchmark does not take) is left out.
     */
    static String variantKey(String prefix, String nic, String checks) {
        StringBuilder k = new StringBuilder(prefix);
        if (present(nic)) {
            k.append(' ').append(nic);
        }
        if (present(checks) && !checks.equals("on")) {
            k.append(" checks=").append(checks);
        }
        return k.toString();
    }

    private static boolean present(String param) {
        return param != null && !param.isEmpty() && !param.equals("N/A");
    }

    /** variant -> op -> batch -> ring -> score. */
    final Map<String, Map<String, Map<Integer, Map<Integer, Score>>>> scores = new TreeMap<>();
    /** variant -> op -> batch -> ring -> B/op. */
    final Map<String, Map<String, Map<Integer, Map<Integer, Double>>>> alloc = new TreeMap<>();
    final Map<String, String> machine = new LinkedHashMap<>();
    final Map<String, String> profiles = new LinkedHashMap<>();
    final BringupReport bringup = new BringupReport();

    Score score(String variant, String op, int batch, int ring) {
        var byOp = scores.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return null;
        }
        var byBatch = byOp.get(op).get(batch);
        return byBatch == null ? null : byBatch.get(ring);
    }

    Double allocation(String variant, String op, int batch, int ring) {
        var byOp = alloc.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return null;
        }
        var byBatch = byOp.get(op).get(batch);
        return byBatch == null ? null : byBatch.get(ring);
    }

    TreeSet<Integer> batches() {
        TreeSet<Integer> b = new TreeSet<>();
        scores.values().forEach(m -> m.values().forEach(x -> x.forEach((batch, rings) -> {
            if (rings.containsKey(512)) {
                b.add(batch);
            }
        })));
        return b;
    }

    TreeSet<Integer> rings() {
        TreeSet<Integer> r = new TreeSet<>();
        scores.values().forEach(m -> m.values().forEach(x -> {
            if (x.containsKey(32)) {
                r.addAll(x.get(32).keySet());
            }
        }));
        return r;
    }

    List<String> presentVariants() {
        List<String> v = new ArrayList<>();
        for (String name : VARIANTS) {
            if (scores.containsKey(name)) {
                v.add(name);
            }
        }
        return v;
    }

    double maxAlloc(String variant, String op) {
        var byOp = alloc.get(variant);
        if (byOp == null || !byOp.containsKey(op)) {
            return Double.NaN;
        }
        double max = Double.NaN;
        for (var rings : byOp.get(op).values()) {
            for (double v : rings.values()) {
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max;
    }
}
