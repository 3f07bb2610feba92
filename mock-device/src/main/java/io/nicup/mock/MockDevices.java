package io.nicup.mock;

import io.nicup.mock.e82574.E82574Factory;
import io.nicup.mock.e82576.E82576Factory;
import io.nicup.mock.virtio.VirtioNetFactory;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Opens simulated devices from a spec string, and keeps the registry of device models.
 *
 * <pre>
 * spec    = "mock:" model [ "?" param *( "&amp;" param ) ]
 * model   = a registered model name, case-insensitive ("82574L")
 * param   = key "=" value
 * key     = "mac" | "fault" | "after" | "address" | a model-specific key (see {@link MockDeviceFactory#parameters()})
 * mac     = 6 hex octets separated by ":" or "-" (unicast, not zero)
 * fault   = fault-item *( "," fault-item )        ; "fault" may appear more than once
 * fault-item = fault-name [ "@" count ]           ; count: decimal, overrides "after" for this fault
 * after   = count                                 ; default trigger count for every listed fault
 * address = a PCI address as "DDDD:BB:DD.F" or "BB:DD.F" (what address() reports)
 * </pre>
 *
 * <p>Examples: {@code mock:82574L}, {@code mock:82574L?mac=02:00:00:00:00:01&fault=tx-hang&after=100},
 * {@code mock:82574L?fault=link-flap@50,rx-length}. Every mistake is a
 * {@code DeviceAccessException(INVALID_ARGUMENT)} whose remedy lists the valid choices.
 */
public final class MockDevices {

    /** The scheme every spec starts with. */
    public static final String SCHEME = "mock:";

    /** Parameters every model accepts. */
    public static final Map<String, String> COMMON_PARAMETERS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mac", "permanent MAC address (NVM words 0-2), e.g. 02:00:00:00:00:01");
        m.put("fault", "faults to inject, comma-separated, each NAME or NAME@N");
        m.put("after", "trigger count N for the listed faults (frames; meaning per fault)");
        m.put("address", "PCI address the device reports, e.g. 0000:01:00.0");
        COMMON_PARAMETERS = java.util.Collections.unmodifiableMap(m);
    }

    private static final Map<String, MockDeviceFactory> FACTORIES = new LinkedHashMap<>();

    static {
        register(new E82574Factory());
        register(new E82576Factory());
        register(new VirtioNetFactory());
    }

    private MockDevices() {
    }

    /** Adds a model. A name already registered (case-insensitively) is an error. */
    public static synchronized void register(MockDeviceFactory factory) {
        String key = factory.model().toLowerCase(Locale.ROOT);
        if (FACTORIES.containsKey(key)) {
            throw new IllegalArgumentException("mock model already registered: model=" + factory.model());
        }
        FACTORIES.put(key, factory);
    }

    /** Registered model names, in registration order. */
    public static synchronized List<String> models() {
        return FACTORIES.values().stream().map(MockDeviceFactory::model).toList();
    }

    /** The factory for {@code model} (case-insensitive). */
    public static synchronized MockDeviceFactory factory(String model) {
        MockDeviceFactory f = FACTORIES.get(model.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "unknown mock model: model=" + model + " valid=" + String.join(",", models()),
                    "use one of: " + String.join(", ", models().stream().map(n -> SCHEME + n).toList()));
        }
        return f;
    }

    /** Whether {@code text} is a mock spec (starts with {@code mock:}). */
    public static boolean isMockSpec(String text) {
        return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Parses and checks a spec without opening anything. */
    public static MockSpec parse(String text) {
        if (!isMockSpec(text)) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "not a mock device spec: spec=" + text,
                    "write mock:MODEL[?key=value&...], models: " + String.join(", ", models()));
        }
        String rest = text.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String modelName = q < 0 ? rest : rest.substring(0, q);
        if (modelName.isEmpty()) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "mock spec names no model: spec=" + text,
                    "write mock:MODEL, models: " + String.join(", ", models()));
        }
        MockDeviceFactory factory = factory(modelName);
        Map<String, String> params = new LinkedHashMap<>();
        List<String[]> faultItems = new ArrayList<>();
        if (q >= 0) {
            String query = rest.substring(q + 1);
            if (query.isEmpty()) {
                throw malformedParam(text, query, factory);
            }
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw malformedParam(text, pair, factory);
                }
                String key = pair.substring(0, eq).toLowerCase(Locale.ROOT);
                String value = pair.substring(eq + 1);
                if (!factory.parameters().containsKey(key)) {
                    throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                            "unknown mock parameter: key=" + key + " model=" + factory.model() + " valid="
                                    + String.join(",", factory.parameters().keySet()),
                            "use one of: " + describe(factory.parameters()));
                }
                if (key.equals("fault")) {
                    for (String item : value.split(",", -1)) {
                        faultItems.add(splitFault(item, factory));
                    }
                } else if (params.putIfAbsent(key, value) != null) {
                    throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                            "mock parameter given twice: key=" + key + " spec=" + text,
                            "give each parameter once (only fault may repeat)");
                }
            }
        }
        OptionalLong after = params.containsKey("after")
                ? OptionalLong.of(MockSpec.parseCount("after", params.get("after"))) : OptionalLong.empty();
        List<FaultRequest> faults = new ArrayList<>();
        for (String[] item : faultItems) {
            OptionalLong n = item[1] == null ? after : OptionalLong.of(MockSpec.parseCount(item[0], item[1]));
            faults.removeIf(f -> f.name().equals(item[0]));
            faults.add(new FaultRequest(item[0], n));
        }
        if (params.containsKey("mac")) {
            MockSpec.parseMac(params.get("mac"));
        }
        if (params.containsKey("address")) {
            io.nicup.vfio.PciAddress.parse(params.get("address"));
        }
        return new MockSpec(text, factory.model(), params, faults);
    }

    /** Parses {@code spec} and builds the device it names. */
    public static MockPciDevice open(String spec) {
        MockSpec parsed = parse(spec);
        return factory(parsed.model()).open(parsed);
    }

    /** Every model with its faults and parameters, for {@code --help} texts. */
    public static synchronized String describeModels() {
        StringBuilder sb = new StringBuilder();
        for (MockDeviceFactory f : FACTORIES.values()) {
            sb.append(SCHEME).append(f.model()).append(" - ").append(f.description()).append('\n');
            sb.append("  parameters:\n");
            f.parameters().forEach((k, v) -> sb.append("    ").append(k).append(": ").append(v).append('\n'));
            sb.append("  faults:\n");
            f.faults().forEach((k, v) -> sb.append("    ").append(k).append(": ").append(v).append('\n'));
        }
        return sb.toString();
    }

    private static String[] splitFault(String item, MockDeviceFactory factory) {
        int at = item.indexOf('@');
        String name = (at < 0 ? item : item.substring(0, at)).toLowerCase(Locale.ROOT);
        String count = at < 0 ? null : item.substring(at + 1);
        if (!factory.faults().containsKey(name)) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "unknown fault: fault=" + (name.isEmpty() ? "(empty)" : name) + " model=" + factory.model()
                            + " valid=" + String.join(",", factory.faults().keySet()),
                    "use one of: " + describe(factory.faults()));
        }
        return new String[] {name, count};
    }

    private static DeviceAccessException malformedParam(String spec, String pair, MockDeviceFactory factory) {
        return new DeviceAccessException(Reason.INVALID_ARGUMENT,
                "malformed mock parameter: param=" + (pair.isEmpty() ? "(empty)" : pair) + " spec=" + spec,
                "write key=value pairs joined by '&', keys: " + String.join(", ", factory.parameters().keySet()));
    }

    private static String describe(Map<String, String> choices) {
        StringBuilder sb = new StringBuilder();
        choices.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append(" (").append(v).append(')'));
        return sb.toString();
    }
}
