package dev.riscvsandbox.tenant;

/** A tenant configuration is invalid; the message names the tenant or group and the key. */
public final class TenantConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TenantConfigException(String message) {
        super(message);
    }

    public TenantConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
