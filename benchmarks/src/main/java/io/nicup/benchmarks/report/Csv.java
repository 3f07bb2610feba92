package io.nicup.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/** The two parsing rules every JMH CSV reader here needs: quoted fields and JMH's NaN and decimal commas. */
final class Csv {

    private Csv() {
    }

    static double parseDouble(String s) {
        if (s == null || s.isBlank() || s.equals("NaN")) {
            return Double.NaN;
        }
        return Double.parseDouble(s.replace(',', '.'));
    }

    static List<String> parseCsvLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
