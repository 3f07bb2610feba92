package io.nicup.benchmarks.report;

import static io.nicup.benchmarks.report.Cells.fmt;
import static io.nicup.benchmarks.report.Cells.robust;
import static io.nicup.benchmarks.report.Cells.typical;

import java.util.Locale;

/**
 * The product's NDIS path (issue 16): the real 82574L and 82576 miniports through NdisHost
 * ({@code product_*}), judged on driver-only time: the variant minus its own device share
 * ({@code product_device_*}) against the raw ring's ({@code ffm} − {@code device}), with the fast-path
 * checks on. The goals: ≤ 2.5 × at batch 1 and ≤ 2.0 × at batch 32, forward.
 */
final class ProductTables {

    /** Batch → the goal's ratio limit. */
    private static final int[][] GOALS = {{1, 25}, {32, 20}};

    private final BenchResults results;

    ProductTables(BenchResults results) {
        this.results = results;
    }

    /** The driver's own cost of {@code variant}: its score minus its device's. */
    double driverOnly(String variant, String device, String op, int batch) {
        return typical(results.score(variant, op, batch, 512)) - typical(results.score(device, op, batch, 512));
    }

    double rawDriverOnly(String op, int batch) {
        return driverOnly("ffm", "device", op, batch);
    }

    /** Goal rows for {@link GoalsTable}. */
    void goalRows(StringBuilder g) {
        for (String nic : BenchResults.PRODUCT_NICS) {
            for (int[] goal : GOALS) {
                int batch = goal[0];
                double limit = goal[1] / 10.0;
                double product = driverOnly("product " + nic, "product_device " + nic, "forward", batch);
                double raw = rawDriverOnly("forward", batch);
                String name = "product NDIS forward, " + nic + ", batch " + batch + ": ≤ " + fmt(limit)
                        + " × the raw ring, driver-only, checks on";
                if (Double.isNaN(product) || Double.isNaN(raw)) {
                    g.append("| ").append(name).append(" | no product_* and ffm/device results at this batch | not measured |\n");
                    continue;
                }
                double r = product / raw;
                g.append("| ").append(name).append(" | product − device ").append(fmt(product))
                        .append(" ns, ffm − device ").append(fmt(raw)).append(" ns: **").append(fmt(r)).append(" ×** | ")
                        .append(r <= limit ? "met" : "**missed**").append(" |\n");
            }
        }
        double worst = Double.NaN;
        for (String variant : results.alloc.keySet()) {
            if (!variant.startsWith("product ") && !variant.startsWith("product_mixed ")) {
                continue;
            }
            for (String op : BenchResults.OPS) {
                double m = results.maxAlloc(variant, op);
                if (!Double.isNaN(m)) {
                    worst = Double.isNaN(worst) ? m : Math.max(worst, m);
                }
            }
        }
        if (Double.isNaN(worst)) {
            g.append("| zero allocation on the product NDIS path | no product_* results | not measured |\n");
        } else {
            g.append("| zero allocation on the product NDIS path (gc.alloc.rate.norm, every nic, batch, checks) | at most ")
                    .append(String.format(Locale.ROOT, "%.4f", worst)).append(" B/packet | ")
                    .append(worst < 1.0 ? "met: under 1 B/packet" : "**missed**").append(" |\n");
        }
    }

    /** The product section of RESULTS.md: every op, nic and batch measured. */
    void markdown(StringBuilder md) {
        if (results.scores.keySet().stream().noneMatch(v -> v.startsWith("product"))) {
            return;
        }
        md.append("## The product's NDIS path: ns/packet (ring 512)\n\n")
                .append("The catalog's 82574L and 82576 miniports through NdisHost on the benchmark device ")
                .append("(`ProductPath`): medians [best iteration]. `device` is the product variants' device share ")
                .append("(`product_device_*`); driver-only = variant − device; the raw ring's driver-only is ")
                .append("ffm − device (the raw-ring device). `checks off` turns the miniport's fast-path checks off ")
                .append("(the NDIS verifier records in both); `mixed` runs after the other Intel family and ")
                .append("virtio-net have run in the same JVM (forward only).\n\n");
        for (String op : BenchResults.OPS) {
            md.append("### ").append(op).append("\n\n| nic | batch | product | checks off | mixed | device | ")
                    .append("driver-only | driver-only, checks off | raw ring driver-only | ratio | ratio, checks off ")
                    .append("| mixed / product |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String nic : BenchResults.PRODUCT_NICS) {
                for (int b : results.batches()) {
                    String p = "product " + nic;
                    String device = "product_device " + nic;
                    if (results.score(p, op, b, 512) == null) {
                        continue;
                    }
                    double on = driverOnly(p, device, op, b);
                    double off = driverOnly(p + " checks=off", device, op, b);
                    double raw = rawDriverOnly(op, b);
                    double mixed = typical(results.score("product_mixed " + nic, op, b, 512));
                    md.append("| ").append(nic).append(" | ").append(b).append(" | ")
                            .append(robust(results.score(p, op, b, 512))).append(" | ")
                            .append(robust(results.score(p + " checks=off", op, b, 512))).append(" | ")
                            .append(robust(results.score("product_mixed " + nic, op, b, 512))).append(" | ")
                            .append(robust(results.score(device, op, b, 512))).append(" | ")
                            .append(fmt(on)).append(" | ").append(fmt(off)).append(" | ").append(fmt(raw)).append(" | ")
                            .append(fmt(on / raw)).append(" | ").append(fmt(off / raw)).append(" | ")
                            .append(fmt(mixed / typical(results.score(p, op, b, 512)))).append(" |\n");
                }
            }
            md.append('\n');
        }
        md.append("Allocation (largest `gc.alloc.rate.norm`, bytes per packet, median iteration, over the batches measured):\n\n")
                .append("| variant | transmit | receive | forward |\n|---|---|---|---|\n");
        for (String v : results.alloc.keySet()) {
            if (!v.startsWith("product")) {
                continue;
            }
            ResultsMarkdown.allocationRow(md, results, v);
        }
        md.append('\n');
    }
}
