package io.nicup.cli;

/** Entry point of the {@code nicup} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Nicup.commandLine().execute(args));
    }
}
