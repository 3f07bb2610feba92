package io.nicup.mock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault a model can inject, by the name a spec uses ({@code mock:MODEL?fault=NAME[@N]}). Each model's
 * fault enum implements this over a {@link Definition}, so the looking up by name and the catalogue for
 * help texts are written once for every model.
 */
public interface ModelFault {

    /** What a fault's trigger count counts. */
    enum Counts {
        NOTHING,
        TX_FRAMES,
        RX_FRAMES,
        ALL_FRAMES,
        /** Reads of the device's register BAR (BAR0 on Intel, BAR4 on virtio-net), from power-on. */
        REGISTER_READS,
        /** Control commands of class VIRTIO_NET_CTRL_MQ the device accepted (virtio-net). */
        MQ_COMMANDS
    }

    /**
     * @param specName the name in a spec
     * @param counts what the trigger count counts
     * @param defaultAfter the trigger count unless the spec's {@code after=N} or {@code NAME@N} says otherwise
     * @param description what the fault does, for help texts
     */
    record Definition(String specName, Counts counts, long defaultAfter, String description) {
    }

    Definition definition();

    /** The name in a spec. */
    default String specName() {
        return definition().specName();
    }

    default Counts counts() {
        return definition().counts();
    }

    default long defaultAfter() {
        return definition().defaultAfter();
    }

    default String description() {
        return definition().description();
    }

    /** The fault of {@code type} named {@code name} in a spec; {@code model} names the model in the error. */
    static <F extends Enum<F> & ModelFault> F bySpecName(Class<F> type, String model, String name) {
        for (F f : type.getEnumConstants()) {
            if (f.specName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no such " + model + " fault: " + name);
    }

    /** Spec name to description, in declaration order. */
    static <F extends Enum<F> & ModelFault> Map<String, String> catalogue(Class<F> type) {
        Map<String, String> m = new LinkedHashMap<>();
        for (F f : type.getEnumConstants()) {
            String text = f.description();
            if (f.counts() != Counts.NOTHING) {
                text += " (default N=" + f.defaultAfter() + ")";
            }
            m.put(f.specName(), text);
        }
        return m;
    }
}
