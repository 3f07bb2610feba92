package io.nicup.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: global options and the list of subcommands. */
@Command(name = "nicup",
        mixinStandardHelpOptions = true,
        versionProvider = Nicup.Version.class,
        header = "Bring up a PCIe NIC through VFIO along the NDIS 6 miniport sequence, and verify it.",
        description = {
            "DEVICE is a PCI address (0000:01:00.0, as `nicup list` prints it) of a NIC bound to vfio-pci,",
            "or a simulated NIC: mock:MODEL[?mac=MAC&fault=NAME[,NAME]&after=N], MODEL 82574L, 82576 or virtio-net."},
        subcommands = {ListCommand.class, BindCommand.class, UnbindCommand.class, InfoCommand.class,
            BringupCommand.class, SelftestCommand.class, RegsCommand.class, StatsCommand.class, SendCommand.class,
            RecvCommand.class, LoopbackCommand.class, CommandLine.HelpCommand.class,
            picocli.AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 success, 1 internal error, 2 usage, 3 device not found, 4 not supported, 5 permission,",
            "  6 busy, 7 IOMMU/VFIO set-up, 8 hardware failure, 9 self-test failed, 10 environment,",
            "  130 interrupted. See README.md for the full table."})
public final class Nicup {

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print machine-readable JSON instead of tables.")
    boolean json;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors, and more detail.")
    boolean verbose;

    @Option(names = "--quiet", scope = CommandLine.ScopeType.INHERIT,
            description = "Print only errors and the final result.")
    boolean quiet;

    final Environment environment;

    Nicup(Environment environment) {
        this.environment = environment;
    }

    /** Columns of --help: the descriptions are written as lines up to this wide, so picocli never re-wraps them. */
    static final int HELP_WIDTH = 110;

    /** A command line ready to execute on this machine, with the project's error handling. */
    public static CommandLine commandLine() {
        return commandLine(Environment.system());
    }

    /** A command line acting on {@code environment} (tests pass a fake machine). */
    public static CommandLine commandLine(Environment environment) {
        CommandLine cmd = new CommandLine(new Nicup(environment));
        ErrorReporter reporter = new ErrorReporter();
        cmd.setExecutionExceptionHandler(reporter);
        cmd.setExitCodeExceptionMapper(reporter);
        cmd.setParameterExceptionHandler(Nicup::usageError);
        cmd.setExecutionStrategy(Nicup::execute);
        cmd.setUsageHelpWidth(HELP_WIDTH);
        return cmd;
    }

    /** Runs the command; a device that vanished during a run that otherwise "succeeded" still fails it. */
    private static int execute(CommandLine.ParseResult parseResult) {
        Session.takeRemoval();                               // nothing left over from an earlier run
        int code = new CommandLine.RunLast().execute(parseResult);
        CliException removal = Session.takeRemoval();
        if (removal != null) {
            CommandLine cmd = parseResult.commandSpec().commandLine();
            cmd.getErr().println(ErrorReporter.oneLine(removal));
            cmd.getErr().flush();
            return removal.exitCode().code();
        }
        return code;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // the message quotes the argument, which may hold line breaks: the error stays one line
        err.println(("nicup: " + ex.getMessage() + ": see '" + cmd.getCommandSpec().qualifiedName() + " --help'")
                .replace('\n', ' ').replace('\r', ' '));
        err.flush();
        return ExitCode.USAGE.code();
    }

    static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof Nicup n && n.verbose;
    }

    /** Version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Nicup.class.getPackage().getImplementationVersion();
            return new String[] {"nicup " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
