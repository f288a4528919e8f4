package dev.riscvsandbox.jetty;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.UnknownTenant;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs riscv-sandbox tenant hooks in front of a Jetty 12 core {@link Handler}, with the same semantics as the servlet
 * filter ({@code docs/servlet.md}, {@code docs/jetty.md}). For each request the handler picks the tenant
 * ({@link TenantResolver}), forks a VM from its snapshot and runs on_recv, then:
 * <ul>
 *   <li>a <b>synthetic</b> response is written without calling the wrapped handler;
 *   <li>a <b>forged</b> response is written without calling the wrapped handler, after on_deliver, with
 *       {@code Cache-Control} from {@link AdapterRules#cacheControl};
 *   <li>otherwise the wrapped handler runs on the request as the tenant edited it (method, URL, headers), with the
 *       tenant's choices as request attributes ({@link AdapterRules#ATTRIBUTE_BACKEND} and the others); if the tenant
 *       has on_deliver, it runs just before the response head commits.
 * </ul>
 * A failing hook answers 503 (500 for a forge callback, 413 for an oversized body) with a generic body; details go
 * to the log. The VM is closed on every path. Put this handler outermost, so that context matching sees a rewritten
 * URL.
 *
 * <pre>{@code
 * Sandbox sandbox = Sandbox.fromFile(Path.of("tenants.json"));
 * server.setHandler(RiscvSandboxHandler.builder(sandbox).handler(application).build());
 * }</pre>
 */
public final class RiscvSandboxHandler extends Handler.Wrapper {
    static final Logger LOG = System.getLogger(RiscvSandboxHandler.class.getName());

    private final Sandbox sandbox;
    private final TenantResolver resolver;
    private final UnknownTenant unknownTenant;

    private RiscvSandboxHandler(Builder b) {
        super(b.handler);
        this.sandbox = b.sandbox;
        this.resolver = b.resolver;
        this.unknownTenant = b.unknownTenant;
    }

    /** A handler for {@code sandbox}, which stays the caller's to close. */
    public static Builder builder(Sandbox sandbox) {
        return new Builder(sandbox);
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /**
     * Blocking, whatever the wrapped handler is: a forge callback may read the request body with blocking reads, and
     * hooks run guest code for up to their instruction budget, so Jetty must not call this on a selector thread.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String refusal = AdapterRules.clientPathRefusal(request.getHttpURI().getPath());
        if (refusal != null) {
            LOG.log(Level.DEBUG, "request path {0} {1}: answered 400", request.getHttpURI().getPath(), refusal);
            JettyResponses.writeError(response, callback, 400);
            return true;
        }
        Optional<String> name = resolver.resolve(request);
        TenantProgram program = name.isPresent() ? sandbox.tenant(name.get()).orElse(null) : null;
        if (program == null) {
            if (unknownTenant == UnknownTenant.PASS) {
                return super.handle(request, response, callback);
            }
            JettyResponses.writeError(response, callback, 403);
            return true;
        }
        TenantVm vm = program.fork();
        boolean handedOver = false;
        try {
            HookResult result;
            try {
                result = vm.onRecv(new JettyRequestView(request, program.config().limits().maxRequestBody()));
            } catch (UncheckedIOException e) { // reading the body for a forge callback failed: the client went away
                LOG.log(Level.DEBUG, "tenant ''{0}'': {1}", program.name(), e.getMessage());
                JettyResponses.writeError(response, callback, 400);
                return true;
            }
            if (result instanceof HookResult.Synthetic) {
                JettyResponses.write(response, callback, ((HookResult.Synthetic) result).response(),
                        Optional.empty());
                return true;
            }
            if (result instanceof HookResult.Forged) {
                HookResult.Forged forged = (HookResult.Forged) result;
                HttpResponse r = vm.onDeliver(forged.response());
                JettyResponses.write(response, callback, r, AdapterRules.cacheControl(forged));
                return true;
            }
            HookResult.Continue c = (HookResult.Continue) result;
            Request next;
            try {
                next = c.changed() ? EditedRequest.of(request, c.request()) : request;
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "tenant ''{0}'': {1}: answered 503", program.name(), e.getMessage());
                JettyResponses.writeError(response, callback, 503);
                return true;
            }
            AdapterRules.setAttributes(program.name(), c, next::setAttribute);
            if (!vm.hasCallback(TenantProgram.ON_DELIVER)) {
                vm.close(); // nothing left for the VM to do: back to the pool before the application runs
                return super.handle(next, response, callback);
            }
            DeliverResponse deliver = new DeliverResponse(next, response, vm);
            handedOver = true;
            try {
                if (super.handle(next, deliver, deliver.callback(callback))) {
                    return true;
                }
            } catch (Throwable t) {
                deliver.finish();
                throw t;
            }
            deliver.finish(); // not handled: Jetty answers 404 on the original response
            return false;
        } catch (HookException e) {
            logFailure(e);
            JettyResponses.writeError(response, callback, e.status());
            return true;
        } finally {
            if (!handedOver) {
                vm.close();
            }
        }
    }

    static void logFailure(HookException e) {
        LOG.log(Level.WARNING, "{0}: answered {1}", e.getMessage(), e.status());
    }

    /** Builds a handler around an existing {@link Sandbox}. */
    public static final class Builder {
        private final Sandbox sandbox;
        private TenantResolver resolver = TenantResolver.host();
        private UnknownTenant unknownTenant = UnknownTenant.REJECT;
        private Handler handler;

        private Builder(Sandbox sandbox) {
            this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        }

        /** How the tenant is chosen; {@link TenantResolver#host()} by default. */
        public Builder tenantResolver(TenantResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** What happens to requests without a loaded tenant; {@link UnknownTenant#REJECT} (403) by default. */
        public Builder unknownTenant(UnknownTenant policy) {
            this.unknownTenant = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The application: the handler requests continue to (none: continuing requests get Jetty's 404). */
        public Builder handler(Handler handler) {
            this.handler = handler;
            return this;
        }

        public RiscvSandboxHandler build() {
            return new RiscvSandboxHandler(this);
        }
    }
}
