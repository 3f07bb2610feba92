package io.nicup.benchmarks.report;

import java.util.Locale;

/** How a score is written in a table cell; ratios and goals use the median ({@link #typical}). */
final class Cells {

    private Cells() {
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static String cell(Score s) {
        return s == null || Double.isNaN(s.mean()) ? "–" : fmt(s.mean()) + " ± " + fmt(s.error());
    }

    /** The robust figure used for ratios and goals: the median over iterations (the mean when absent). */
    static double typical(Score s) {
        return s == null ? Double.NaN : Double.isNaN(s.median()) ? s.mean() : s.median();
    }

    static String robust(Score s) {
        if (s == null) {
            return "–";
        }
        return fmt(typical(s)) + (Double.isNaN(s.min()) ? "" : " [" + fmt(s.min()) + "]");
    }

    static String ratio(Score a, Score b) {
        double r = typical(a) / typical(b);
        return Double.isNaN(r) ? "–" : fmt(r);
    }

    static String diff(Score a, Score b) {
        double r = typical(a) - typical(b);
        return Double.isNaN(r) ? "–" : fmt(r);
    }
}
