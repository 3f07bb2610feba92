package io.nicup.benchmarks.report;

import static io.nicup.benchmarks.report.Cells.fmt;
import static io.nicup.benchmarks.report.Cells.typical;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results-chart.svg: ns per packet against batch size at ring 512, one log-log panel per op, one line per variant. */
final class ResultsChart {

    static final Map<String, String> COLORS = Map.of("c", "#000000", "ffm", "#d62728", "unsafe", "#1f77b4",
            "bytebuffer", "#2ca02c", "jna", "#9467bd", "ndis", "#ff7f0e", "device", "#7f7f7f");

    private final BenchResults results;

    ResultsChart(BenchResults results) {
        this.results = results;
    }

    String svg() {
        int panelW = 360;
        int panelH = 300;
        int left = 60;
        int top = 40;
        int gap = 40;
        int width = left + BenchResults.OPS.size() * (panelW + gap) + 110;
        int height = top + panelH + 70;
        List<String> lines = new ArrayList<>(results.presentVariants());
        lines.add("device");
        double min = Double.MAX_VALUE;
        double max = 0;
        for (String v : lines) {
            for (String op : BenchResults.OPS) {
                for (int b : results.batches()) {
                    Score s = results.score(v, op, b, 512);
                    if (s != null && typical(s) > 0) {
                        min = Math.min(min, typical(s));
                        max = Math.max(max, typical(s));
                    }
                }
            }
        }
        if (max == 0) {
            min = 1;
            max = 10;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(min)));
        double yMax = Math.pow(10, Math.ceil(Math.log10(max)));
        List<Integer> bs = new ArrayList<>(results.batches());
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(left).append("\" y=\"18\" font-size=\"14\">ns per packet against batch size")
                .append(" (median over iterations, ring 512, log scales)</text>\n");
        for (int p = 0; p < BenchResults.OPS.size(); p++) {
            String op = BenchResults.OPS.get(p);
            int x0 = left + p * (panelW + gap);
            s.append("<g>\n<rect x=\"").append(x0).append("\" y=\"").append(top).append("\" width=\"").append(panelW)
                    .append("\" height=\"").append(panelH).append("\" fill=\"none\" stroke=\"#888\"/>\n");
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(top - 6)
                    .append("\" text-anchor=\"middle\" font-size=\"13\">").append(op).append("</text>\n");
            for (double y = yMin; y <= yMax * 1.0001; y *= 10) {
                for (int k = 1; k < 10 && y * k <= yMax * 1.0001; k++) {
                    double v = y * k;
                    double py = yPos(v, yMin, yMax, top, panelH);
                    s.append("<line x1=\"").append(x0).append("\" x2=\"").append(x0 + panelW).append("\" y1=\"")
                            .append(f1(py)).append("\" y2=\"").append(f1(py)).append("\" stroke=\"")
                            .append(k == 1 ? "#ccc" : "#eee").append("\"/>\n");
                    if (k == 1 || k == 2 || k == 5) {
                        s.append("<text x=\"").append(x0 - 4).append("\" y=\"").append(f1(py + 4))
                                .append("\" text-anchor=\"end\">").append(fmt(v)).append("</text>\n");
                    }
                }
            }
            for (int i = 0; i < bs.size(); i++) {
                double px = x0 + 15 + i * (panelW - 30.0) / Math.max(1, bs.size() - 1);
                s.append("<text x=\"").append(f1(px)).append("\" y=\"").append(top + panelH + 14)
                        .append("\" text-anchor=\"middle\">").append(bs.get(i)).append("</text>\n");
            }
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(top + panelH + 30)
                    .append("\" text-anchor=\"middle\">batch size</text>\n");
            s.append("<text transform=\"translate(").append(x0 - 42).append(',').append(top + panelH / 2)
                    .append(") rotate(-90)\" text-anchor=\"middle\">ns per packet</text>\n");
            for (String v : lines) {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < bs.size(); i++) {
                    Score sc = results.score(v, op, bs.get(i), 512);
                    if (sc == null || !(typical(sc) > 0)) {
                        continue;
                    }
                    double px = x0 + 15 + i * (panelW - 30.0) / Math.max(1, bs.size() - 1);
                    pts.append(f1(px)).append(',').append(f1(yPos(typical(sc), yMin, yMax, top, panelH))).append(' ');
                }
                if (pts.isEmpty()) {
                    continue;
                }
                s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS.getOrDefault(v, "#000"))
                        .append('"').append(v.equals("device") ? " stroke-dasharray=\"4,3\"" : "")
                        .append(" points=\"").append(pts.toString().strip()).append("\"/>\n");
            }
            s.append("</g>\n");
        }
        int lx = left + BenchResults.OPS.size() * (panelW + gap) - 10;
        int ly = top + 10;
        for (String v : lines) {
            s.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 24).append("\" y1=\"").append(ly)
                    .append("\" y2=\"").append(ly).append("\" stroke-width=\"2\" stroke=\"")
                    .append(COLORS.getOrDefault(v, "#000")).append('"')
                    .append(v.equals("device") ? " stroke-dasharray=\"4,3\"" : "").append("/>\n");
            s.append("<text x=\"").append(lx + 30).append("\" y=\"").append(ly + 4).append("\">")
                    .append(v.equals("c") ? "C (gcc -O2)" : v).append("</text>\n");
            ly += 18;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static double yPos(double v, double yMin, double yMax, int top, int panelH) {
        double t = (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
        return top + panelH - t * panelH;
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
