package io.nicup.ndis;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Public only so that the subpackages of the NDIS model can share it (the host's parts, the DDI call
 * groups, the adapter's state and bookkeeping): not API. Miniports reach NDIS through {@link Ndis} and
 * the handles it returns; the CLI and tests through {@link NdisHost} and {@code MiniportAdapter}'s
 * unmarked methods. What carries this mark may change with any release.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface NdisInternal {
}
