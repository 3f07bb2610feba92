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
            RecvCommand.class, RssCommand.class, LoopbackCommand.class, NvmCommand.class, IdentifyCommand.class, ConformanceCommand.class,
            CommandLine.HelpCommand.class, CompletionCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0 success, 1 internal error, 2 usage, 3 device not found, 4 not supported, 5 permission,",
            "  6 busy, 7 IOMMU/VFIO set-up, 8 hardware failure, 9 self-test failed, 10 environment,",
            "  11 incomplete (recv got fewer frames than --count), 130 interrupted. See README.md for the table."})
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
        cmd.setUsageHelpWidth(HELP_WIDTH);
        return cmd;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String remedy = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
        // the message quotes the argument, which may hold line breaks: the error stays one line
        err.println(("nicup: " + ex.getMessage() + ": " + remedy).replace('\n', ' ').replace('\r', ' '));
        err.flush();
        if (json(cmd)) {
            ErrorReporter.printJson(cmd, ExitCode.USAGE, ex.getMessage(), remedy);
        }
        return ExitCode.USAGE.code();
    }

    /** Whether --json was given (as far as the command line was parsed). */
    static boolean json(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof Nicup n && n.json;
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
