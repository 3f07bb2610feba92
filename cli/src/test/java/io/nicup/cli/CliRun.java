package io.nicup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One execution of the nicup command line in-process: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Environment env, String... args) {
        CommandLine cmd = Nicup.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
