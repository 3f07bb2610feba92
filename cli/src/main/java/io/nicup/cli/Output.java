package io.nicup.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Mixed into every command: where to print, in which form, and the environment to act on. */
@CommandLine.Command
final class Output {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Nicup root() {
        CommandLine c = spec.commandLine();
        while (c.getParent() != null) {
            c = c.getParent();
        }
        return (Nicup) c.getCommand();
    }

    /** Set when standard output carries data ({@code recv --pcap -}): the text goes to stderr instead. */
    private boolean stdoutTaken;

    /** Where the command's text goes: standard output, or standard error once {@link #takeStdout} was called. */
    PrintWriter out() {
        return stdoutTaken ? err() : spec.commandLine().getOut();
    }

    /**
     * Standard output now carries data (a pcap): the summary and every other line go to standard error, so
     * the data stays valid. --json would put its document into the data: refused (USAGE).
     */
    void takeStdout() {
        if (json()) {
            throw new CliException(ExitCode.USAGE, "--json and --pcap - both write to standard output",
                    "write the pcap to a file, or drop --json");
        }
        stdoutTaken = true;
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return root().json;
    }

    boolean quiet() {
        return root().quiet;
    }

    boolean verbose() {
        return root().verbose;
    }

    /** The warning lines of this run, also given to --json as "warnings". */
    private final java.util.List<String> warnings = new java.util.ArrayList<>();

    /** One {@code nicup: warning:} line on stderr: the run goes on, the user should know. */
    void warn(String warning) {
        warnings.add(warning);
        err().println("nicup: warning: " + warning);
        err().flush();
    }

    /** Prints {@code report} as JSON under --json (with the run's warnings), as its lines otherwise. */
    void print(Report report) {
        PrintWriter out = out();
        if (json()) {
            java.util.Map<String, Object> doc = report.json();
            if (!warnings.isEmpty()) {
                doc.put("warnings", java.util.List.copyOf(warnings));
            }
            out.println(Json.write(doc));
        } else {
            report.lines(quiet()).forEach(out::println);
        }
        flushChecked(out);
    }

    /** Prints {@code text} as it is, whatever --json says (a script, not a report). */
    void printText(String text) {
        PrintWriter out = out();
        out.print(text);
        flushChecked(out);
    }

    private void flushChecked(PrintWriter out) {
        out.flush();
        // PrintWriter and PrintStream keep a failed write to themselves: ask both (the default out wraps System.out)
        if (out.checkError() || System.out.checkError()) {
            throw new CliException(ExitCode.ENVIRONMENT, "writing to standard output failed: command="
                    + spec.commandLine().getCommandName(), "check where the output goes: a full disk, or a pipe whose reader has gone");
        }
    }

    Environment environment() {
        return root().environment;
    }
}
