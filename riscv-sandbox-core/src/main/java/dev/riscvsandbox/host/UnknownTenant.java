package dev.riscvsandbox.host;

/**
 * What an adapter (the servlet filter, the Jetty handler) does with a request whose tenant is not loaded: not
 * configured, or its program failed to load.
 */
public enum UnknownTenant {
    /** Answer {@code 403 Forbidden} without calling the application, as the original Varnish module does. */
    REJECT,
    /** Call the application as if the adapter were not there. */
    PASS;

    /**
     * The policy a configuration value names: {@code reject} or {@code pass}, ignoring case and surrounding spaces.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static UnknownTenant parse(String value) {
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "reject": return REJECT;
            case "pass": return PASS;
            default: throw new IllegalArgumentException("unknown tenant policy must be 'reject' or 'pass', not '"
                    + value + "'");
        }
    }
}
