package dev.riscvsandbox.tenant;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request's {@link TenantVm} once an adapter hands it between threads: on_deliver may run on an application thread
 * (a write from an asynchronous servlet, a Jetty callback) while the container ends the exchange on another. Hooks
 * run one at a time, and {@link #close()} during a hook only marks the VM; the hook's own thread closes it when the
 * hook returns. So a VM is never reset and reused for another request while a hook still runs on it. Lock-free: no
 * thread ever waits here.
 */
public final class SharedTenantVm {
    private static final int IDLE = 0, BUSY = 1, CLOSING = 2, CLOSED = 3;

    private final TenantVm vm;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    public SharedTenantVm(TenantVm vm) {
        this.vm = vm;
    }

    /** The tenant's name, for logs. */
    public String tenant() {
        return vm.program().name();
    }

    /**
     * Runs on_deliver ({@link TenantVm#onDeliver}) unless the VM is closed (or closing) or another hook is running on
     * it right now.
     *
     * @return the head as edited, or empty if the hook could not run
     * @throws HookException if on_deliver fails
     */
    public Optional<HttpResponse> onDeliver(HttpResponse head) {
        if (!state.compareAndSet(IDLE, BUSY)) {
            return Optional.empty();
        }
        try {
            return Optional.of(vm.onDeliver(head));
        } finally {
            if (!state.compareAndSet(BUSY, IDLE)) { // close() came while the hook ran: close now
                state.set(CLOSED);
                vm.close();
            }
        }
    }

    /** Closes the VM now, or when the running hook returns. Idempotent; any thread. */
    public void close() {
        while (true) {
            int s = state.get();
            if (s == IDLE) {
                if (state.compareAndSet(IDLE, CLOSED)) {
                    vm.close();
                    return;
                }
            } else if (s == BUSY) {
                if (state.compareAndSet(BUSY, CLOSING)) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    /** Whether a hook is running on the VM right now (for tests). */
    boolean isRunning() {
        int s = state.get();
        return s == BUSY || s == CLOSING;
    }

    /** Whether the VM has been closed (not merely marked for closing). */
    public boolean isClosed() {
        return state.get() == CLOSED;
    }
}
