package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.tenant.SharedTenantVm;
import dev.riscvsandbox.tenant.TenantVm;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The response the wrapped handler writes to when the tenant registered on_deliver. on_deliver runs once, just
 * before the head can commit: on the first {@link #write}, or when the handler completes its callback without having
 * written. Its edits (status, headers) are applied to the real response. If on_deliver fails, the response becomes
 * the generic error ({@link HookException#status()}, 503) and whatever the handler writes afterwards is dropped.
 *
 * <p>The wrapper owns the request's VM from then on and closes it when the handler's callback completes
 * ({@link #callback(Callback)}) or the handler gives up ({@link #finish()}), but never while on_deliver runs on
 * another thread ({@link SharedTenantVm}).
 */
final class DeliverResponse extends Response.Wrapper {
    private final SharedTenantVm vm;
    private final AtomicBoolean delivered = new AtomicBoolean();
    private volatile boolean failed;

    DeliverResponse(org.eclipse.jetty.server.Request request, Response response, TenantVm vm) {
        super(request, response);
        this.vm = new SharedTenantVm(vm);
    }

    /**
     * Runs on_deliver unless it already ran or the head committed.
     *
     * @return 0, or the error status to answer with if on_deliver failed now (the caller writes the error response,
     *         so that it completes the right callback)
     */
    private int deliver() {
        if (!delivered.compareAndSet(false, true)) {
            return 0;
        }
        Response real = getWrapped();
        if (real.isCommitted()) {
            RiscvSandboxHandler.LOG.log(Level.DEBUG, "tenant ''{0}'': the response committed before on_deliver",
                    vm.tenant());
            return 0;
        }
        HttpResponse head = JettyResponses.head(real);
        try {
            HttpResponse edited = vm.onDeliver(head).orElse(head);
            if (edited != head) {
                JettyResponses.applyHead(real, head, edited);
            }
            return 0;
        } catch (HookException e) {
            RiscvSandboxHandler.logFailure(e);
            failed = true;
            real.reset();
            return e.status();
        }
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        int error = deliver();
        if (error != 0) {
            JettyResponses.writeError(getWrapped(), callback, error); // in place of the handler's bytes
        } else if (failed) {
            callback.succeeded(); // dropped: the error response replaced the handler's
        } else {
            super.write(last, content, callback);
        }
    }

    /** Closes the VM, now or when a running on_deliver returns; idempotent. */
    void finish() {
        vm.close();
    }

    /**
     * The callback to give the wrapped handler: completing it runs on_deliver if nothing has written yet (completing
     * commits the head), then closes the VM and completes {@code callback}.
     */
    Callback callback(Callback callback) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                int error = deliver();
                if (error != 0) { // nothing was written and on_deliver failed: the error response completes it
                    JettyResponses.writeError(getWrapped(), Callback.from(this::complete, this::fail), error);
                } else {
                    complete();
                }
            }

            private void complete() {
                finish();
                super.succeeded();
            }

            private void fail(Throwable x) {
                finish();
                super.failed(x);
            }

            @Override
            public void failed(Throwable x) {
                finish();
                super.failed(x);
            }
        };
    }
}
