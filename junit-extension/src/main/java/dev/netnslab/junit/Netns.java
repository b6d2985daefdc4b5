package dev.netnslab.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks the namespace that a {@link dev.netnslab.Namespace} parameter or field receives, by its
 * logical name in the lab ({@code host} for the host side).
 *
 * <pre>{@code
 * @Test
 * void hostSide(@Netns("host") Namespace host, @Netns("netns1") Namespace ns) { ... }
 * }</pre>
 *
 * Without it, a lab with exactly one namespace injects that one.
 */
@Target({ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Netns {

    /** The namespace's logical name. */
    String value();
}
