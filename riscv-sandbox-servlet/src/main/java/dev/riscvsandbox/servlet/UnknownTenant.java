package dev.riscvsandbox.servlet;

/** What the filter does with a request whose tenant is not loaded (not configured, or its program failed to load). */
public enum UnknownTenant {
    /** Answer {@code 403 Forbidden} without calling the application, as the original Varnish module does. */
    REJECT,
    /** Call the application as if the filter were not there. */
    PASS
}
