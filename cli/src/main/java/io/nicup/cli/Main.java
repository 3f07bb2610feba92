package io.nicup.cli;

/** Entry point of the {@code nicup} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = Nicup.commandLine().execute(args);
        StopSignal.commandFinished();   // a SIGINT/SIGTERM hook waiting for the teardown may now exit 130
        System.exit(code);
    }
}
