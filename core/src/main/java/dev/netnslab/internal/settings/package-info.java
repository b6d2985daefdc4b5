/**
 * Configuration: {@link dev.netnslab.internal.settings.Setting} declares every {@code netnslab.*} key
 * with its type, rule, default and documentation, and {@link dev.netnslab.internal.settings.Settings}
 * finds its value in JUnit configuration parameters, system properties, environment variables or
 * {@code ~/.netnslab.properties}, and says where it came from.
 */
package dev.netnslab.internal.settings;
