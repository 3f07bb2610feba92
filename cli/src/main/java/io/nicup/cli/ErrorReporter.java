package io.nicup.cli;

import io.nicup.vfio.DeviceAccessException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The one mapper from exceptions to exit codes and one-line messages. Libraries throw typed exceptions;
 * only here are they turned into what the user sees: {@code nicup: <what failed>: <what to do>}, with
 * the stack trace only under {@code --verbose}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IExitCodeExceptionMapper {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println(oneLine(ex));
        if (Nicup.verbose(cmd)) {
            ex.printStackTrace(err);
        }
        err.flush();
        ExitCode code = exitCode(ex);
        if (Nicup.json(cmd)) {
            printJson(cmd, code, message(ex), remedy(ex));
        }
        return code.code();
    }

    /**
     * Under --json a failure is also a JSON object on standard output, the last line there, for scripts
     * that read only stdout: {@code {"error":{"code":8,"name":"HARDWARE","message":...,"remedy":...}}}.
     */
    static void printJson(CommandLine cmd, ExitCode code, String message, String remedy) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", code.code());
        error.put("name", code.name());
        error.put("message", message);
        error.put("remedy", remedy);
        PrintWriter out = cmd.getOut();
        out.println(Json.write(java.util.Map.of("error", error)));
        out.flush();
    }

    static String message(Throwable ex) {
        return ex instanceof CliException || ex instanceof DeviceAccessException ? ex.getMessage()
                : ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }

    static String remedy(Throwable ex) {
        if (ex instanceof CliException c) {
            return c.remedy();
        }
        if (ex instanceof DeviceAccessException d) {
            return d.remedy();
        }
        return "this is a bug in nicup: rerun with --verbose and report the output";
    }

    @Override
    public int getExitCode(Throwable ex) {
        return exitCode(ex).code();
    }

    static String oneLine(Throwable ex) {
        String message = message(ex);
        String remedy = remedy(ex);
        String line = "nicup: " + message + (remedy.isEmpty() ? "" : ": " + remedy);
        return line.replace('\n', ' ').replace('\r', ' ');   // user input may hold either
    }

    static ExitCode exitCode(Throwable ex) {
        if (ex instanceof CliException c) {
            return c.exitCode();
        }
        if (ex instanceof DeviceAccessException d) {
            return switch (d.reason()) {
                case INVALID_ARGUMENT -> ExitCode.USAGE;
                case NOT_FOUND -> ExitCode.NOT_FOUND;
                case UNSUPPORTED -> ExitCode.NOT_SUPPORTED;
                case PERMISSION -> ExitCode.PERMISSION;
                case BUSY -> ExitCode.BUSY;
                case VFIO_SETUP, RESOURCE_LIMIT -> ExitCode.VFIO_SETUP;
                case HARDWARE -> ExitCode.HARDWARE;
                case SYSTEM -> ExitCode.INTERNAL;
            };
        }
        return ExitCode.INTERNAL;
    }
}
