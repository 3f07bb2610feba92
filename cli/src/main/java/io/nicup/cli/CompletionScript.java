package io.nicup.cli;

import io.nicup.mock.MockDevices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The completion script: picocli's (subcommands, options, file names), wrapped by a shell function that
 * completes the arguments naming a device, which picocli cannot know:
 * <ul>
 *   <li>DEVICE: the simulated NICs of the mock catalog ({@code mock:82574L}) and the PCI network functions
 *       of the machine (class 0x02, as {@code nicup list} shows them);</li>
 *   <li>{@code bind}'s BDFs: the network functions; {@code unbind}'s: the functions on vfio-pci.</li>
 * </ul>
 * The functions are read from sysfs at every TAB, by the shell (starting a JVM per TAB would take longer than
 * the typing), so a function hot-plugged or created (an SR-IOV VF) after the script was loaded is offered.
 * Bash splits a word at every character of {@code COMP_WORDBREAKS}, ':' included, so {@code mock:82574L}
 * and {@code 0000:01:00.0} arrive in pieces: the wrapper reads the word under the cursor from
 * {@code COMP_LINE} and trims the replies as bash-completion's {@code __ltrim_colon_completions} does (and
 * calls that when it is loaded). zsh runs the same script through {@code bashcompinit}, which does not
 * split at ':' and calls the functions in sh emulation (arrays from 0); the wrapper is written for both.
 */
final class CompletionScript {

    /** The names the script completes: the launcher's and picocli's usual aliases. */
    static final String COMMAND_NAMES = "nicup nicup.sh nicup.bash";

    /** What an argument names, as the script's {@code _nicup_functions} filters sysfs for it. */
    enum Kind {
        /** A simulated NIC or a PCI network function. */
        DEVICE("device"),
        /** A PCI network function. */
        NETWORK("network"),
        /** A PCI function on vfio-pci. */
        VFIO("vfio");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    private CompletionScript() {
    }

    /** The mock specs DEVICE offers: one per model of the mock catalog. */
    static List<String> simulatedDevices() {
        return MockDevices.models().stream().map(m -> MockDevices.SCHEME + m).toList();
    }

    /**
     * What each subcommand's positional parameters name, by position ({@code "0"}, or {@code "*"} for a
     * list): DEVICE is a device; {@code unbind}'s BDFs are functions on vfio-pci, any other BDF a network
     * function.
     */
    static Map<String, Map<String, Kind>> slots(CommandLine root) {
        Map<String, Map<String, Kind>> slots = new LinkedHashMap<>();
        root.getSubcommands().forEach((name, sub) -> {
            Map<String, Kind> byPosition = new LinkedHashMap<>();
            for (PositionalParamSpec p : sub.getCommandSpec().positionalParameters()) {
                Kind kind = switch (p.paramLabel()) {
                    case "DEVICE" -> Kind.DEVICE;
                    case "BDF" -> name.equals("unbind") ? Kind.VFIO : Kind.NETWORK;
                    default -> null;
                };
                if (kind == null) {
                    continue;
                }
                CommandLine.Range index = p.index();
                if (index.isUnspecified() || index.max() == Integer.MAX_VALUE) {
                    byPosition.put("*", kind);
                } else {
                    for (int i = index.min(); i <= index.max(); i++) {
                        byPosition.putIfAbsent(Integer.toString(i), kind);
                    }
                }
            }
            if (!byPosition.isEmpty()) {
                slots.put(name, byPosition);
            }
        });
        return slots;
    }

    /** Each subcommand's options that take a value (their next word is not a positional parameter). */
    static Map<String, List<String>> valueOptions(CommandLine root) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        root.getSubcommands().forEach((name, sub) -> {
            TreeSet<String> names = new TreeSet<>();
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.arity().max() > 0) {
                    names.addAll(List.of(o.names()));
                }
            }
            if (!names.isEmpty()) {
                options.put(name, List.copyOf(names));
            }
        });
        return options;
    }

    /** The whole script for the command line {@code root}, reading PCI functions below {@code sysfs}. */
    static String script(CommandLine root, Path sysfs) {
        CommandSpec spec = root.getCommandSpec();
        String picocli = AutoComplete.bash(spec.name(), root);
        String registration = "complete -F _complete_" + spec.name() + " -o default " + COMMAND_NAMES;
        List<String> lines = new ArrayList<>(picocli.lines().toList());
        if (!lines.remove(registration)) {
            throw new IllegalStateException("picocli's completion script no longer ends with: " + registration);
        }
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l).append('\n'));
        return s.append(wrapper(root, sysfs)).toString();
    }

    private static String wrapper(CommandLine root, Path sysfs) {
        StringBuilder slotCases = new StringBuilder();
        slots(root).forEach((cmd, byPosition) -> byPosition.forEach((pos, kind) ->
                slotCases.append("    ").append(cmd).append(':').append(pos).append(") echo ").append(kind.word)
                        .append(" ;;\n")));
        StringBuilder optionCases = new StringBuilder();
        valueOptions(root).forEach((cmd, names) ->
                optionCases.append("    ").append(cmd).append(") echo ' ").append(String.join(" ", names))
                        .append(" ' ;;\n"));
        return WRAPPER.formatted(shellQuote(sysfs.toString()),
                String.join(" ", simulatedDevices().stream().map(CompletionScript::shellQuote).toList()),
                slotCases, optionCases, COMMAND_NAMES);
    }

    /** {@code 'text'} for the shell, a quote inside written {@code '\''}. */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * The shell part (bash and zsh): %1$s the sysfs root, %2$s the simulated NICs, %3$s the slot cases,
     * %4$s the option cases, %5$s the command names.
     */
    private static final String WRAPPER = """

            # nicup: the arguments that name a device (bash, and zsh through bashcompinit).
            _nicup_sysfs=%1$s
            _nicup_simulated=(%2$s)

            # The PCI functions below $_nicup_sysfs, read at every TAB. network: class 0x02xxxx (a network
            # controller, as `nicup list` shows them); vfio: bound to vfio-pci (what `nicup unbind` takes).
            _nicup_functions() {
              local dir class driver
              for dir in "$_nicup_sysfs"/bus/pci/devices/*; do
                [ -r "$dir/class" ] || continue
                if [ "$1" = vfio ]; then
                  driver=$(readlink "$dir/driver" 2>/dev/null)
                  [ "${driver##*/}" = vfio-pci ] || continue
                else
                  read -r class <"$dir/class"
                  [[ $class == 0x02* ]] || continue
                fi
                printf '%%s\\n' "${dir##*/}"
              done
            }

            # What the positional parameter $2 of subcommand $1 names (device, network, vfio), or nothing.
            _nicup_slot() {
              case $1:$2 in
            %3$s  esac
            }

            # The options of subcommand $1 that take a value, between spaces.
            _nicup_value_options() {
              case $1 in
            %4$s  esac
            }

            # What the last of the words "$@" (the one under the cursor) names, or nothing: an option's
            # value, an option, a subcommand or a parameter that is no device is left to picocli.
            _nicup_argument_kind() {
              local -a w=("$@")
              local n=$(( ${#w[@]} - 1 )) i sub='' pos=0 skip=0
              for (( i = 1; i < n; i++ )); do
                if (( skip )); then
                  skip=0
                elif [ -z "$sub" ]; then
                  [[ ${w[i]} == -* ]] || sub=${w[i]}
                elif [[ ${w[i]} == -* ]]; then
                  [[ ${w[i]} != *=* && "$(_nicup_value_options "$sub")" == *" ${w[i]} "* ]] && skip=1
                else
                  pos=$((pos + 1))
                fi
              done
              (( skip )) || [ -z "$sub" ] || _nicup_slot "$sub" "$pos"
            }

            _nicup_complete() {
              # The words up to the cursor split at blanks only: bash's COMP_WORDS are also split at ':'.
              local line=${COMP_LINE:0:$COMP_POINT} word
              local -a split words candidates
              if [ -n "$ZSH_VERSION" ]; then read -r -A split <<<"$line"; else read -r -a split <<<"$line"; fi
              for word in "${split[@]}"; do
                [ -z "$word" ] || words+=("$word")
              done
              [[ -z $line || $line == *[[:blank:]] ]] && words+=('')
              local cur=${words[${#words[@]}-1]} kind
              kind=$(_nicup_argument_kind "${words[@]}")
              if [[ -z $kind || $cur == -* ]]; then
                _complete_nicup "$@"
                return
              fi
              type compopt &>/dev/null && compopt +o default
              local IFS=$'\\n'
              if [ "$kind" = device ]; then
                candidates=("${_nicup_simulated[@]}" $(_nicup_functions network))
              else
                candidates=($(_nicup_functions "$kind"))
              fi
              COMPREPLY=($(compgen -W "${candidates[*]}" -- "$cur"))
              # With ':' in COMP_WORDBREAKS bash replaces only what follows the word's last ':' (zsh has none).
              if [[ $COMP_WORDBREAKS != *:* ]]; then
                return 0
              elif declare -F __ltrim_colon_completions >/dev/null; then
                __ltrim_colon_completions "$cur"
              elif [[ $cur == *:* ]]; then
                local colon_prefix=${cur%%"${cur##*:}"}
                COMPREPLY=("${COMPREPLY[@]#"$colon_prefix"}")
              fi
            }
            complete -F _nicup_complete -o default %5$s
            """;
}
