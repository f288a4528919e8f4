package dev.riscvsandbox.servlet;

import dev.riscvsandbox.host.AdapterRules;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.UnknownTenant;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantConfigException;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs riscv-sandbox tenant hooks around a servlet application. For each request the filter picks the tenant
 * ({@link TenantResolver}), forks a VM from the tenant's snapshot and runs on_recv, then:
 * <ul>
 *   <li>a <b>synthetic</b> response (the tenant decided {@code synth}) is written without calling the application;
 *   <li>a <b>forged</b> response (the tenant's forge callback) is written without calling the application, after
 *       on_deliver; {@code Cached}/{@code Uncached} become {@code Cache-Control} as {@link AdapterRules#cacheControl}
 *       documents;
 *   <li>otherwise the request <b>continues</b> to the application with the tenant's edits: headers and method through
 *       a request wrapper, and a changed URL by forwarding to it (so the container maps the new path). If the tenant
 *       has on_deliver, it runs just before the response commits and its status and header edits are applied. The
 *       tenant's choices are request attributes: {@value #ATTRIBUTE_TENANT}, {@value #ATTRIBUTE_BACKEND},
 *       {@value #ATTRIBUTE_DECISION} and {@value #ATTRIBUTE_CACHE_HINTS}.
 * </ul>
 * A hook that faults, times out or misuses the ABI ends that request with 503 (500 for a forge callback, 413 for a
 * request body over the tenant's {@code max_request_body}) and a generic body; the details go to the log
 * ({@code System.Logger} {@code dev.riscvsandbox.servlet.RiscvSandboxFilter}). The VM is closed on every path.
 *
 * <p>Containers create the filter with the no-argument constructor and configure it with init parameters:
 * {@value #PARAM_TENANTS} (a tenants JSON file) or {@value #PARAM_TENANTS_JSON} (the JSON itself),
 * {@value #PARAM_TENANT_SELECTOR} ({@code host}, {@code header:NAME} or {@code attribute:NAME}; default {@code host})
 * and {@value #PARAM_UNKNOWN_TENANT} ({@code reject} for 403, the default, or {@code pass}). The filter then owns
 * the {@link Sandbox} and closes it in {@link #destroy()}. Programs register a filter built with
 * {@link #builder(Sandbox)} instead and keep ownership of their sandbox.
 */
public final class RiscvSandboxFilter implements Filter {
    /** Init parameter: path of the tenants JSON file. */
    public static final String PARAM_TENANTS = "tenants";
    /** Init parameter: the tenants JSON itself (instead of {@value #PARAM_TENANTS}). */
    public static final String PARAM_TENANTS_JSON = "tenants-json";
    /** Init parameter: how the tenant is chosen, see {@link TenantResolver#parse(String)}. */
    public static final String PARAM_TENANT_SELECTOR = "tenant-selector";
    /** Init parameter: {@code reject} or {@code pass}, see {@link UnknownTenant}. */
    public static final String PARAM_UNKNOWN_TENANT = "unknown-tenant";

    /** Request attribute: the tenant's name ({@link String}), set when a tenant handled the request. */
    public static final String ATTRIBUTE_TENANT = AdapterRules.ATTRIBUTE_TENANT;
    /** Request attribute: the upstream the tenant chose with {@code set_backend} ({@link String}), if any. */
    public static final String ATTRIBUTE_BACKEND = AdapterRules.ATTRIBUTE_BACKEND;
    /** Request attribute: the tenant's last decision ({@link dev.riscvsandbox.host.Decision}), if it made one. */
    public static final String ATTRIBUTE_DECISION = AdapterRules.ATTRIBUTE_DECISION;
    /** Request attribute: the tenant's caching hints ({@link dev.riscvsandbox.host.CacheHints}), if it gave any. */
    public static final String ATTRIBUTE_CACHE_HINTS = AdapterRules.ATTRIBUTE_CACHE_HINTS;

    static final Logger LOG = System.getLogger(RiscvSandboxFilter.class.getName());

    private Sandbox sandbox;
    private boolean ownsSandbox;
    private TenantResolver resolver;
    private UnknownTenant unknownTenant;

    /** For containers: configured by init parameters in {@link #init(FilterConfig)}. */
    public RiscvSandboxFilter() {
    }

    private RiscvSandboxFilter(Builder b) {
        this.sandbox = b.sandbox;
        this.resolver = b.resolver;
        this.unknownTenant = b.unknownTenant;
    }

    /** A filter for {@code sandbox}, which stays the caller's to close. */
    public static Builder builder(Sandbox sandbox) {
        return new Builder(sandbox);
    }

    /**
     * Loads the tenants named by the init parameters, unless the filter was built with {@link #builder(Sandbox)}.
     * Tenants that fail to load are logged and answered as unknown tenants; the others serve.
     *
     * @throws ServletException if the parameters are missing or invalid, or the tenants file cannot be read
     */
    @Override
    public void init(FilterConfig config) throws ServletException {
        if (sandbox != null) {
            return;
        }
        String file = config.getInitParameter(PARAM_TENANTS);
        String json = config.getInitParameter(PARAM_TENANTS_JSON);
        if ((file == null) == (json == null)) {
            throw new ServletException("RiscvSandboxFilter needs exactly one of the init parameters '" + PARAM_TENANTS
                    + "' (a tenants JSON file) and '" + PARAM_TENANTS_JSON + "' (the JSON itself)");
        }
        try {
            String selector = config.getInitParameter(PARAM_TENANT_SELECTOR);
            resolver = selector == null ? TenantResolver.host() : TenantResolver.parse(selector);
            String unknown = config.getInitParameter(PARAM_UNKNOWN_TENANT);
            unknownTenant = unknown == null ? UnknownTenant.REJECT : UnknownTenant.parse(unknown);
            sandbox = file != null ? Sandbox.fromFile(Path.of(file.trim())) : Sandbox.fromJson(json);
        } catch (IllegalArgumentException | TenantConfigException e) {
            throw new ServletException("RiscvSandboxFilter: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ServletException("RiscvSandboxFilter: cannot read tenants file " + file + ": " + e, e);
        }
        ownsSandbox = true;
        LOG.log(Level.INFO, "riscv-sandbox filter ''{0}'': tenants {1}", config.getFilterName(),
                sandbox.tenants().keySet());
        sandbox.loadErrors().forEach((name, e) -> LOG.log(Level.WARNING,
                "riscv-sandbox filter ''{0}'': tenant ''{1}'' did not load: {2}", config.getFilterName(), name,
                e.getMessage()));
    }

    /** The sandbox the filter runs tenants from (null before {@link #init} for a container-configured filter). */
    public Sandbox sandbox() {
        return sandbox;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response); // hooks run once per exchange, on its original request
            return;
        }
        String refusal = AdapterRules.clientPathRefusal(request.getRequestURI());
        if (refusal != null) {
            LOG.log(Level.DEBUG, "request path {0} {1}: answered 400", request.getRequestURI(), refusal);
            ServletResponses.writeError(response, HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        Optional<String> name = resolver.resolve(request);
        TenantProgram program = name.isPresent() ? sandbox.tenant(name.get()).orElse(null) : null;
        if (program == null) {
            if (unknownTenant == UnknownTenant.PASS) {
                chain.doFilter(request, response);
            } else {
                LOG.log(Level.DEBUG, "no tenant for {0}: 403", name.orElse("(none)"));
                ServletResponses.writeError(response, HttpServletResponse.SC_FORBIDDEN);
            }
            return;
        }
        TenantVm vm = program.fork();
        DeliverResponse deliver = null;
        try {
            ServletRequestView view = new ServletRequestView(request, program.config().limits().maxRequestBody());
            HookResult result;
            try {
                result = vm.onRecv(view);
            } catch (UncheckedIOException e) { // reading the body for a forge callback failed: the client went away
                LOG.log(Level.DEBUG, "tenant ''{0}'': {1}", program.name(), e.getMessage());
                writeErrorIfOpen(response, HttpServletResponse.SC_BAD_REQUEST);
                return;
            }
            if (result instanceof HookResult.Synthetic) {
                ServletResponses.write(response, ((HookResult.Synthetic) result).response(), Optional.empty());
            } else if (result instanceof HookResult.Forged) {
                HookResult.Forged forged = (HookResult.Forged) result;
                HttpResponse r = vm.onDeliver(forged.response());
                ServletResponses.write(response, r, AdapterRules.cacheControl(forged));
            } else {
                HookResult.Continue c = (HookResult.Continue) result;
                AdapterRules.setAttributes(program.name(), c, request::setAttribute);
                if (vm.hasCallback(TenantProgram.ON_DELIVER)) {
                    deliver = new DeliverResponse(response, vm);
                } else {
                    vm.close(); // nothing left for the VM to do: back to the pool before the application runs
                }
                proceed(request, response, view, c, deliver, chain);
            }
        } catch (HookException e) {
            logFailure(e);
            writeErrorIfOpen(response, e.status());
        } finally {
            if (deliver == null) {
                vm.close();
            } else if (!request.isAsyncStarted()) {
                deliver.finish();
            } // else: the asynchronous cycle's completion closes it (SandboxRequest's listener)
        }
    }

    /** The request's path in the application, still encoded ({@code "/"} for the context root). */
    private static String pathInContext(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.isEmpty() ? "/" : path;
    }

    private static void writeErrorIfOpen(HttpServletResponse response, int status) throws IOException {
        if (!response.isCommitted()) {
            response.reset();
            ServletResponses.writeError(response, status);
        }
    }

    /**
     * Continues to the application: the chain, or a forward when the tenant changed the path. A rewrite the filter
     * refuses ({@link RewriteTarget}) is answered 503 or 404 on the real response, without on_deliver.
     */
    private void proceed(HttpServletRequest request, HttpServletResponse response, HttpRequest original,
                         HookResult.Continue c, DeliverResponse deliver, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse target = deliver != null ? deliver : response;
        String uri = c.request().uri();
        RewriteTarget rewrite = null;
        if (c.changed() && !uri.equals(original.uri())) {
            try {
                rewrite = RewriteTarget.of(uri, request.getContextPath());
            } catch (RewriteTarget.Refused e) {
                LOG.log(Level.WARNING, "tenant ''{0}'' rewrote the URL to ''{1}'', which {2}: answered {3}",
                        request.getAttribute(ATTRIBUTE_TENANT), uri, e.getMessage(), e.status);
                ServletResponses.writeError(response, e.status);
                return;
            }
        }
        HttpServletRequest wrapped = c.changed() || deliver != null
                ? new SandboxRequest(request, c.changed() ? c.request() : null,
                        rewrite != null ? rewrite.query() : request.getQueryString(), deliver, target)
                : request;
        if (rewrite == null || rewrite.pathInContext().equals(pathInContext(request))) {
            chain.doFilter(wrapped, target); // same path: the same servlet (a new query is in the wrapper)
        } else {
            RequestDispatcher dispatcher = request.getServletContext().getRequestDispatcher(rewrite.pathInContext());
            if (dispatcher == null) {
                ServletResponses.writeError(response, HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            dispatcher.forward(wrapped, target);
        }
        if (deliver != null && !request.isAsyncStarted()) {
            deliver.deliver(); // the application wrote nothing: the head commits when the filter returns
        }
    }

    static void logFailure(HookException e) {
        LOG.log(Level.WARNING, "{0}: answered {1}", e.getMessage(), e.status());
    }

    /** Closes the sandbox if the filter loaded it from init parameters. */
    @Override
    public void destroy() {
        if (ownsSandbox && sandbox != null) {
            sandbox.close();
        }
    }

    /** Builds a filter around an existing {@link Sandbox}. */
    public static final class Builder {
        private final Sandbox sandbox;
        private TenantResolver resolver = TenantResolver.host();
        private UnknownTenant unknownTenant = UnknownTenant.REJECT;

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

        public RiscvSandboxFilter build() {
            return new RiscvSandboxFilter(this);
        }
    }
}
