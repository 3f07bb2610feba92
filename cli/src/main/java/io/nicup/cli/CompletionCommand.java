package io.nicup.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate-completion",
        header = "Print the bash/zsh completion script, which also completes devices and PCI addresses.",
        description = {
            "Completes the subcommands and their options, file names where an option takes a file, and the",
            "arguments that name a device: DEVICE offers the simulated NICs (mock:82574L, mock:82576,",
            "mock:virtio-net) and the PCI network functions of this machine; bind offers the network functions,",
            "unbind the functions on vfio-pci. The functions are read from sysfs at each TAB, so a NIC added",
            "later is offered. Addresses complete whole although bash splits words at ':'. zsh runs the",
            "same script through bashcompinit (autoload -U bashcompinit && bashcompinit)."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(nicup generate-completion)                                  # this shell",
            "  nicup generate-completion | sudo tee /etc/bash_completion.d/nicup >/dev/null   # every new shell"})
final class CompletionCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        CommandLine root = output.spec.commandLine().getParent();
        output.printText(CompletionScript.script(root, output.environment().host().get().sysfs().root()));
        return ExitCode.OK.code();
    }
}
