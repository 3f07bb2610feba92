package io.nicup.cli;

import io.nicup.ndis.trace.NdisTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What was wrong in the --params file, as the driver's reads left it in the trace (an NDIS driver logs
 * these too): a value the keyword does not take (with the range and the default used instead), a
 * keyword the driver never reads, and a UTF-8 byte-order mark that hides the first keyword. Each is one
 * warning line; the run goes on with the defaults, as the driver does.
 */
final class ParameterWarnings {

    private ParameterWarnings() {
    }

    static List<String> of(Path file, String driver, NdisTrace trace) {
        List<String> warnings = new ArrayList<>();
        Set<String> read = new TreeSet<>();
        for (NdisTrace.Event e : trace.events()) {
            if (e.kind() != NdisTrace.Kind.CONFIG) {
                continue;
            }
            read.add(e.name().toLowerCase(Locale.ROOT));
            if ("bad_value".equals(e.detail().get("source"))) {
                String used = e.detail().get("value");
                warnings.add("parameter file: " + e.name() + "=" + e.detail().get("configured") + " rejected ("
                        + e.detail().get("problem") + "): the driver uses its default "
                        + ("null".equals(used) ? "(none: the permanent address)" : used) + ": file=" + file);
            }
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return warnings;                                 // it was read a moment ago; nothing more to say
        }
        boolean bom = text.startsWith("\uFEFF");
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || l.startsWith("[") || eq <= 0) {
                continue;
            }
            String key = l.substring(0, eq).strip();
            if (key.startsWith("\uFEFF")) {
                warnings.add("parameter file: it starts with a UTF-8 byte-order mark, so its first keyword "
                        + key.substring(1) + " was not read and its default is used: save the file without a BOM: file="
                        + file);
            } else if (!read.contains(key.toLowerCase(Locale.ROOT))) {
                warnings.add("parameter file: keyword " + key + " is not one the " + driver + " driver reads: ignored"
                        + " (check its spelling): file=" + file);
            }
        }
        return bom && warnings.isEmpty() ? List.of("parameter file: starts with a UTF-8 byte-order mark: file=" + file)
                : warnings;
    }
}
