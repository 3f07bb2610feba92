package io.nicup.cli;

/** A failure the CLI itself detects, with the exit code it means and what the user should do. */
public final class CliException extends RuntimeException {

    private final ExitCode exitCode;
    private final String remedy;

    public CliException(ExitCode exitCode, String message, String remedy) {
        super(message);
        this.exitCode = exitCode;
        this.remedy = remedy == null ? "" : remedy;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String remedy() {
        return remedy;
    }
}
