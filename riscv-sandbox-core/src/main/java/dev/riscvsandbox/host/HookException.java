package dev.riscvsandbox.host;

import dev.riscvsandbox.GuestException;

/**
 * A tenant hook failed: the guest faulted, ran out of instructions or memory, exited, or broke the ABI. Only this
 * request is affected. {@link #status()} is what the adapters answer: 503 for hooks that run before the response
 * exists, 500 for a failed forge callback. The message is for logs; never send it to clients.
 */
public final class HookException extends RuntimeException {
    private final String tenant;
    private final String hook;
    private final int status;

    public HookException(String tenant, String hook, int status, GuestException cause) {
        super("tenant '" + tenant + "', " + hook + ": " + cause.getMessage(), cause, false, false);
        this.tenant = tenant;
        this.hook = hook;
        this.status = status;
    }

    public String tenant() {
        return tenant;
    }

    /** The hook that failed, such as {@code on_recv} or {@code forge}. */
    public String hook() {
        return hook;
    }

    /** The HTTP status adapters answer with (503, or 500 for forge callbacks). */
    public int status() {
        return status;
    }

    /** The guest failure: a fault, timeout or exit. */
    @Override
    public GuestException getCause() {
        return (GuestException) super.getCause();
    }

    /** Whether the guest ran out of its instruction budget. */
    public boolean isTimeout() {
        return getCause() instanceof dev.riscvsandbox.GuestTimeoutException;
    }
}
