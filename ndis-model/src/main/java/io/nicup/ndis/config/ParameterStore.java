package io.nicup.ndis.config;

import io.nicup.ndis.Ndis;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters behind a {@link RegistryPath}: nicup's stand-in for a driver's registry key and its
 * per-adapter instance keys. Parsed from a small INI-style text file:
 *
 * {@snippet lang=properties :
 * # nicup driver parameters; '#' or ';' starts a comment line
 * [*]                          # every adapter of the driver (also where keys before any section go)
 * *ReceiveBuffers = 512
 * *InterruptModeration = 1
 *
 * [0000:01:00.0]               # one adapter, by PCI address (the short form 01:00.0 means domain 0)
 * *JumboPacket = 9014
 * NetworkAddress = 02-00-5E-10-00-01
 * }
 *
 * <ul>
 * <li>A keyword is looked up in the adapter's own section first, then in {@code [*]}.</li>
 * <li>Keyword names are case-insensitive (like registry value names); values are text, trimmed.
 *     Integer keywords take decimal or {@code 0x} hexadecimal.</li>
 * <li>Keywords the driver does not read are kept and ignored (drivers define their own).</li>
 * <li>A line that is neither a comment, a {@code [section]} nor {@code key = value}, a malformed
 *     section name, or a keyword given twice in one section is a syntax error: {@link #parse} throws
 *     {@link ParameterFileException} naming the file and line. A well-formed but out-of-range value is
 *     <em>not</em> an error here: {@link Ndis#NdisReadConfiguration} reports it and the default is used,
 *     as NDIS drivers do.</li>
 * </ul>
 */
public final class ParameterStore {

    /** The section that applies to every adapter. */
    public static final String ALL_ADAPTERS = "*";

    private final String source;
    /** section → (lower-case key → [original key, value]). */
    private final Map<String, Map<String, String[]>> sections;

    private ParameterStore(String source, Map<String, Map<String, String[]>> sections) {
        this.source = source;
        this.sections = sections;
    }

    public static ParameterStore empty(String source) {
        return new ParameterStore(source, Map.of());
    }

    /** Reads and parses a parameter file. */
    public static ParameterStore load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new ParameterFileException("cannot read parameter file: file=" + file + " error=" + e.getMessage(),
                    e);
        }
    }

    public static ParameterStore parse(String source, String text) {
        Map<String, Map<String, String[]>> sections = new LinkedHashMap<>();
        String section = ALL_ADAPTERS;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                String rest = close < 0 ? "" : line.substring(close + 1).strip();
                if (close < 0 || !(rest.isEmpty() || rest.startsWith("#") || rest.startsWith(";"))) {
                    throw syntax(source, lineNo, "malformed section header", line);
                }
                section = sectionKey(source, lineNo, line.substring(1, close).strip());
                sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw syntax(source, lineNo, "expected key = value", line);
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                throw syntax(source, lineNo, "malformed keyword name", line);
            }
            Map<String, String[]> entries = sections.computeIfAbsent(section, k -> new LinkedHashMap<>());
            if (entries.putIfAbsent(fold(key), new String[] {key, value}) != null) {
                throw syntax(source, lineNo, "keyword given twice in section [" + section + "]", line);
            }
        }
        Map<String, Map<String, String[]>> frozen = new LinkedHashMap<>();
        sections.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
        return new ParameterStore(source, Collections.unmodifiableMap(frozen));
    }

    private static String sectionKey(String source, int lineNo, String name) {
        if (name.equals(ALL_ADAPTERS)) {
            return ALL_ADAPTERS;
        }
        try {
            return PciAddress.parse(name).toString();
        } catch (DeviceAccessException e) {
            throw syntax(source, lineNo, "section is neither [*] nor a PCI address", "[" + name + "]");
        }
    }

    private static ParameterFileException syntax(String source, int line, String what, String text) {
        return new ParameterFileException("parameter file syntax error: file=" + source + " line=" + line
                + " error=" + what + " text='" + text + "'", null);
    }

    /** Where the parameters came from (file name). */
    public String source() {
        return source;
    }

    /** Section names: {@code *} and canonical PCI addresses. */
    public Set<String> sections() {
        return sections.keySet();
    }

    /** The raw value of {@code keyword} in exactly this section. */
    public Optional<String> find(String section, String keyword) {
        Map<String, String[]> entries = sections.get(section);
        if (entries == null) {
            return Optional.empty();
        }
        String[] entry = entries.get(fold(keyword));
        return entry == null ? Optional.empty() : Optional.of(entry[1]);
    }

    /**
     * The raw value for an adapter: its own section, then {@code [*]}. With {@code adapter} null only
     * {@code [*]} is consulted (driver-wide configuration).
     */
    public Optional<String> lookup(PciAddress adapter, String keyword) {
        if (adapter != null) {
            Optional<String> own = find(adapter.toString(), keyword);
            if (own.isPresent()) {
                return own;
            }
        }
        return find(ALL_ADAPTERS, keyword);
    }

    @Override
    public String toString() {
        return "ParameterStore{" + source + ", sections=" + sections.keySet() + "}";
    }

    /**
     * A keyword name as the case-insensitive comparison sees it: each character upper-cased, then lower-cased,
     * as {@link String#equalsIgnoreCase} compares. Folding the whole string with one of the two alone is not
     * the same comparison outside ASCII ({@code ϑ} upper-cases to {@code Θ}, which lower-cases to {@code θ}),
     * and the parameter file is free text.
     */
    static String fold(String name) {
        char[] c = name.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(Character.toUpperCase(c[i]));
        }
        return new String(c);
    }
}
