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
        return exitCode(ex).code();
    }

    @Override
    public int getExitCode(Throwable ex) {
        return exitCode(ex).code();
    }

    static String oneLine(Throwable ex) {
        String message;
        String remedy;
        if (ex instanceof CliException c) {
            message = c.getMessage();
            remedy = c.remedy();
        } else if (ex instanceof DeviceAccessException d) {
            message = d.getMessage();
            remedy = d.remedy();
        } else {
            message = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
            remedy = "this is a bug in nicup: rerun with --verbose and report the output";
        }
        String line = "nicup: " + message + (remedy.isEmpty() ? "" : ": " + remedy);
        return line.replace('\n', ' ');
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
