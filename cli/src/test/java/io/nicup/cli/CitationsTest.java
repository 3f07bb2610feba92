package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every citation resolves from a checkout alone. A comment, string or document that cites a file under
 * {@code docs/} names a file that exists and, when it names sections (an NDIS section sign with a number,
 * or a hardware part letter with numbers, as in the README's layout table), headings of that file. Nothing
 * cites the reference notes that were kept outside the repository, nor a section without its file.
 */
class CitationsTest {

    private static final Path REPO = Path.of(System.getProperty("nicup.repo", ".."));

    /** A section sign and numbers (the NDIS contract), or a part letter and numbers (the hardware reference). */
    private static final String SECTION = "(?:\u00a7\\d+(?:\\.\\d+)*|[A-E](?:\\.\\d+)*)(?![\\w\u00a7])";
    private static final String SEPARATOR = "(?:, | and | or | / |/|-)";
    private static final Pattern CITATION = Pattern.compile("docs/([\\w.-]+?\\.md)"
            + "(?:[},]?(?: section)?(?:[ \\t]+|[ \\t]*\\R[ \\t]*\\*?[ \\t]*)(" + SECTION + "(?:" + SEPARATOR + SECTION + ")*))?");
    private static final Pattern ONE_SECTION = Pattern.compile(SECTION);
    private static final Pattern HEADING = Pattern.compile(
            "^#{1,6}[ \\t]+(\u00a7\\d+(?:\\.\\d+)*|[A-E](?:\\.\\d+)*)\\.?(?:[ \\t]|$)", Pattern.MULTILINE);

    /** Forms that point outside the checkout, or at a section without naming its file. */
    private static final Map<Pattern, String> STALE = Map.of(
            Pattern.compile("shared/reference|/work/shared|vfio-82574l-virtio-qemu\\.md|ndis-miniport\\.md|prior-art\\.md"),
            "cites a note outside the repository: cite docs/hardware-reference.md or docs/ndis-contract.md",
            Pattern.compile("\\b[Rr]eference\\s+[A-E](?:\\.\\d|\\))|\\b[Rr]eference\\s+sections?\\s+[A-E]\\b"),
            "cites a hardware section without its file: write docs/hardware-reference.md and the section",
            Pattern.compile("\\(\\s*[A-E]\\.\\d|\\[EMP\\]\\s+[A-E]\\.\\d|//\\s*[A-E]\\.\\d"),
            "cites a hardware section without its file: write docs/hardware-reference.md and the section",
            Pattern.compile("(?i)\\bseed\\s+page|\\bthe\\s+seed's"),
            "cites Microsoft's \"Initializing a Miniport Driver\" page by its old name: cite docs/ndis-contract.md \u00a71.1");
    private static final Pattern SECTION_SIGN = Pattern.compile("\u00a7\\s*\\d");

    @Test
    void everyCitationNamesAFileInDocsAndAHeadingOfIt() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<String, Set<String>> headings = new HashMap<>();
        int sections = 0;
        for (Path file : sources()) {
            String text = read(file);
            Matcher m = CITATION.matcher(text);
            while (m.find()) {
                Path doc = REPO.resolve("docs").resolve(m.group(1));
                if (!Files.isRegularFile(doc)) {
                    broken.add(where(file, text, m.start()) + ": docs/" + m.group(1) + " does not exist");
                    continue;
                }
                if (m.group(2) == null) {
                    continue;
                }
                Set<String> known = headings.computeIfAbsent(m.group(1), name -> headingsOf(doc));
                Matcher s = ONE_SECTION.matcher(m.group(2));
                while (s.find()) {
                    sections++;
                    if (!known.contains(s.group())) {
                        broken.add(where(file, text, m.start()) + ": docs/" + m.group(1) + " has no heading " + s.group());
                    }
                }
            }
        }
        assertThat(broken).as("citations that do not resolve").isEmpty();
        assertThat(sections).as("sections cited (a broken pattern would find none)").isGreaterThan(150);
    }

    @Test
    void nothingCitesTheNotesOutsideTheRepositoryOrASectionWithoutItsFile() throws IOException {
        List<String> stale = new ArrayList<>();
        for (Path file : sources()) {
            if (file.startsWith(REPO.resolve("docs")) || file.getFileName().toString().equals("CitationsTest.java")) {
                continue;
            }
            String text = read(file);
            STALE.forEach((pattern, why) -> {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    stale.add(where(file, text, m.start()) + ": " + why + " (" + m.group().strip() + ")");
                }
            });
            BitSet cited = new BitSet(text.length());
            Matcher c = CITATION.matcher(text);
            while (c.find()) {
                if (c.group(2) != null) {
                    cited.set(c.start(2), c.end(2));
                }
            }
            Matcher s = SECTION_SIGN.matcher(text);
            while (s.find()) {
                if (!cited.get(s.start())) {
                    stale.add(where(file, text, s.start()) + ": an NDIS section without its file: write docs/ndis-contract.md before it");
                }
            }
        }
        assertThat(stale).as("citations that do not point into docs/").isEmpty();
    }

    private static Set<String> headingsOf(Path doc) {
        Set<String> ids = new TreeSet<>();
        Matcher h = HEADING.matcher(read(doc));
        while (h.find()) {
            ids.add(h.group(1));
        }
        return ids;
    }

    /** The repository's .java, .md, .sh and .xml files, build output and VCS data left out. */
    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(REPO)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> REPO.relativize(p).toString().matches("(?!.*(^|/)(target|\\.git|\\.mvn|node_modules)/).*\\.(java|md|sh|xml)"))
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String where(Path file, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return REPO.relativize(file) + ":" + line;
    }
}
