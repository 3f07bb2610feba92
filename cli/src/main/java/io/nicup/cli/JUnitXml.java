package io.nicup.cli;

import io.nicup.ndis.conformance.CheckReport;
import io.nicup.ndis.conformance.CheckResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * `conformance --junit FILE`: the report as the JUnit XML Jenkins, GitLab and GitHub read without a plugin
 * (docs/junit-xml.md): one testsuite, one testcase per check, a failure with the evidence as its message, a
 * skipped with the reason. Written beside the target and renamed over it ({@link OutputFile}), so a failed
 * run never leaves half a file.
 */
final class JUnitXml {

    private JUnitXml() {
    }

    static void write(Path file, ConformanceReport report) {
        OutputFile out = OutputFile.open(file);
        try (OutputStream stream = Files.newOutputStream(out.path())) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(stream, "UTF-8");
            write(x, report);
            x.close();
        } catch (IOException | XMLStreamException e) {
            out.discard();
            throw new CliException(ExitCode.ENVIRONMENT, "writing the JUnit file failed: file=" + file + " error="
                    + e.getMessage(), "check the disk has room and the directory is writable");
        }
        out.commit();
    }

    static void write(XMLStreamWriter x, ConformanceReport report) throws XMLStreamException {
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        x.writeAttribute("name", "nicup conformance " + report.device());
        x.writeAttribute("tests", Integer.toString(report.checks().size()));
        x.writeAttribute("failures", Integer.toString(report.with(CheckResult.Outcome.FAIL).size()));
        x.writeAttribute("errors", "0");
        x.writeAttribute("skipped", Integer.toString(report.with(CheckResult.Outcome.SKIPPED).size()));
        x.writeAttribute("time", seconds(report.checks().stream().mapToLong(CheckReport::durationNanos).sum()));
        x.writeCharacters("\n  ");
        x.writeStartElement("properties");
        property(x, "device", report.device());
        property(x, "driver", report.driver());
        property(x, "clock", report.checks().stream().anyMatch(CheckReport::virtualTime)
                ? "virtual (the simulated NIC's)" : "real");
        property(x, "verifier", report.verifier().passed() ? "passed, no violations"
                : report.verifier().violations().size() + " violation(s)");
        x.writeCharacters("\n  ");
        x.writeEndElement();
        for (CheckReport c : report.checks()) {
            x.writeCharacters("\n  ");
            x.writeStartElement("testcase");
            x.writeAttribute("classname", "nicup.conformance");
            x.writeAttribute("name", c.name());
            x.writeAttribute("time", seconds(c.durationNanos()));
            switch (c.result().outcome()) {
                case FAIL -> {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("failure");
                    x.writeAttribute("message", c.result().detail());
                    x.writeAttribute("type", c.mirrors());
                    x.writeCharacters(c.result().detail());
                    for (var v : c.violations()) {
                        x.writeCharacters("\n" + v.describe());
                    }
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                }
                case SKIPPED -> {
                    x.writeCharacters("\n    ");
                    x.writeEmptyElement("skipped");
                    x.writeAttribute("message", c.result().detail());
                    x.writeCharacters("\n  ");
                }
                case PASS -> {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("system-out");
                    x.writeCharacters(c.mirrors() + ": " + c.result().detail());
                    x.writeEndElement();
                    x.writeCharacters("\n  ");
                }
            }
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }

    /** Seconds with millisecond digits, as Surefire writes them. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
