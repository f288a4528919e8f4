package dev.riscvsandbox.tenant;

/** A tenant's program could not be loaded or did not finish initialising; the message says why. */
public final class TenantLoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String tenant;

    public TenantLoadException(String tenant, String reason, Throwable cause) {
        super("tenant '" + tenant + "': " + reason, cause);
        this.tenant = tenant;
    }

    public TenantLoadException(String tenant, String reason) {
        this(tenant, reason, null);
    }

    /** The tenant's name. */
    public String tenant() {
        return tenant;
    }
}
