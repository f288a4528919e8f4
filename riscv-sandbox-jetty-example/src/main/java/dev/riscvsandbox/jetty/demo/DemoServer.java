package dev.riscvsandbox.jetty.demo;

import dev.riscvsandbox.host.UnknownTenant;
import dev.riscvsandbox.jetty.RiscvSandboxHandler;
import dev.riscvsandbox.jetty.TenantResolver;
import dev.riscvsandbox.tenant.Sandbox;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The runnable multi-tenant edge demo as a library: a Jetty server whose requests go through the tenants' programs
 * ({@link RiscvSandboxHandler}, tenant by {@code Host}, unknown hosts 403) and then, unless a tenant answered itself,
 * through a reverse proxy to the upstream the tenant chose. Built-in origins {@code app} and {@code static} run on
 * loopback ports unless configured upstreams replace them. {@code /native} is the benchmark's native baseline. The
 * live-update endpoint runs on a second, loopback-only port when an admin port is set.
 *
 * <pre>{@code
 * try (DemoServer demo = DemoServer.builder().port(0).start()) {      // the bundled tenants, an ephemeral port
 *     URI url = demo.url();
 * }
 * }</pre>
 */
public final class DemoServer implements AutoCloseable {
    /** The built-in origins, in start order; the first is the default upstream. */
    public static final List<String> BUILT_IN_ORIGINS = List.of("app", "static");
    /** The shortest admin token accepted. */
    public static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    /** The default cap on an uploaded program: 2 MiB. */
    public static final long DEFAULT_ADMIN_MAX_BODY = 2L << 20;

    private final List<AutoCloseable> resources = new ArrayList<>(); // closed in reverse order
    private Sandbox sandbox;
    private Path tenantsFile;
    private boolean bundled;
    private Map<String, URI> upstreams;
    private String defaultUpstream;
    private Server server;
    private Server admin;

    private DemoServer() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The public port. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The public base URL, on the loopback address. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The admin port, if the live-update endpoint is enabled. */
    public OptionalInt adminPort() {
        return admin == null ? OptionalInt.empty()
                : OptionalInt.of(((ServerConnector) admin.getConnectors()[0]).getLocalPort());
    }

    /** The upstreams by backend name: the built-in origins and the configured ones. */
    public Map<String, URI> upstreams() {
        return upstreams;
    }

    public String defaultUpstream() {
        return defaultUpstream;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** The tenants file in use (for the bundled tenants: the extracted copy). */
    public Path tenantsFile() {
        return tenantsFile;
    }

    /** Whether the tenants are the demo's bundled ones. */
    public boolean bundledTenants() {
        return bundled;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the servers and origins, releases the sandbox and deletes extracted files.
     *
     * @throws IllegalStateException if something failed to stop (everything else is still stopped)
     */
    @Override
    public void close() {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (first != null) {
            if (first instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("stopping the demo failed: " + first, first);
        }
    }

    private void start(Builder b) throws Exception {
        if (b.tenantsFile == null) {
            BundledTenants bundle = BundledTenants.extract();
            resources.add(bundle);
            tenantsFile = bundle.tenantsFile();
            bundled = true;
        } else {
            tenantsFile = b.tenantsFile;
        }
        sandbox = Sandbox.fromFile(tenantsFile);
        resources.add(sandbox);

        Map<String, URI> all = new LinkedHashMap<>();
        if (b.builtInOrigins) {
            List<String> names = new ArrayList<>();
            for (String name : BUILT_IN_ORIGINS) {
                if (!b.upstreams.containsKey(name)) {
                    names.add(name);
                }
            }
            if (!names.isEmpty()) {
                Origins origins = Origins.start(names);
                resources.add(origins);
                all.putAll(origins.urls());
            }
        }
        all.putAll(b.upstreams);
        upstreams = Collections.unmodifiableMap(all);
        defaultUpstream = b.defaultUpstream;
        if (!upstreams.containsKey(defaultUpstream)) {
            throw new IllegalArgumentException("the default upstream '" + defaultUpstream + "' is not configured");
        }

        server = newServer("demo", b.bindAddress, b.port, 200);
        resources.add(server::stop);
        RiscvSandboxHandler sandboxHandler = RiscvSandboxHandler.builder(sandbox)
                .tenantResolver(TenantResolver.host())
                .unknownTenant(UnknownTenant.REJECT)
                .handler(new UpstreamProxy(upstreams, defaultUpstream))
                .build();
        server.setHandler(new DemoRoutes(sandboxHandler));
        server.start();

        if (b.adminPort >= 0) {
            admin = newServer("demo-admin", "127.0.0.1", b.adminPort, 8);
            resources.add(admin::stop);
            admin.setHandler(new AdminHandler(sandbox, b.adminToken, b.adminMaxBody));
            admin.start();
        }
    }

    private static Server newServer(String name, String host, int port, int maxThreads) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        pool.setName(name);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        return server;
    }

    /** Configures and starts a {@link DemoServer}. */
    public static final class Builder {
        private int port = 8080;
        private String bindAddress = "127.0.0.1";
        private Path tenantsFile;
        private final Map<String, URI> upstreams = new LinkedHashMap<>();
        private String defaultUpstream = BUILT_IN_ORIGINS.get(0);
        private boolean builtInOrigins = true;
        private int adminPort = -1;
        private String adminToken;
        private long adminMaxBody = DEFAULT_ADMIN_MAX_BODY;

        private Builder() {
        }

        /** The public port; 0 picks a free one. Default 8080. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** The address the public port listens on; default {@code 127.0.0.1} ({@code 0.0.0.0}: every interface). */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** A tenants JSON file ({@code docs/tenants.md}); none (the default) serves the bundled demo tenants. */
        public Builder tenantsFile(Path file) {
            this.tenantsFile = file;
            return this;
        }

        /**
         * An upstream for backend {@code name}: {@code http://host:port} or {@code https://host:port}. Replaces the
         * built-in origin of the same name.
         */
        public Builder upstream(String name, URI url) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("an upstream needs a name");
            }
            upstreams.put(name, checkUpstream(name, url));
            return this;
        }

        /** The upstream of requests whose tenant chose no backend; default {@code app}. */
        public Builder defaultUpstream(String name) {
            this.defaultUpstream = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Whether to start the built-in origins {@code app} and {@code static} (default true). */
        public Builder builtInOrigins(boolean start) {
            this.builtInOrigins = start;
            return this;
        }

        /**
         * Enables the live-update endpoint on {@code 127.0.0.1:port} (0 picks a free port) with bearer token
         * {@code token} (at least {@value #MIN_ADMIN_TOKEN_LENGTH} characters). Off by default.
         */
        public Builder admin(int port, String token) {
            this.adminPort = checkPort(port, "admin port");
            this.adminToken = token;
            return this;
        }

        /** The largest program the admin endpoint accepts; default 2 MiB. */
        public Builder adminMaxBody(long bytes) {
            if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("admin max body out of range: " + bytes);
            }
            this.adminMaxBody = bytes;
            return this;
        }

        /**
         * Loads the tenants and starts the origins and servers.
         *
         * @throws IllegalArgumentException if the configuration is inconsistent (a short admin token, a default
         *                                  upstream that does not exist)
         * @throws Exception                if a file cannot be read or a port cannot be bound
         */
        public DemoServer start() throws Exception {
            if (adminPort >= 0) {
                checkToken(adminToken);
            }
            DemoServer demo = new DemoServer();
            try {
                demo.start(this);
            } catch (Exception | Error e) {
                try {
                    demo.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return demo;
        }

        private static int checkPort(int port, String what) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + " out of range: " + port);
            }
            return port;
        }

        static void checkToken(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("the admin endpoint needs a token (environment variable "
                        + Main.TOKEN_ENV + " or --admin-token-file)");
            }
            if (token.strip().length() < MIN_ADMIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("the admin token is too short: at least "
                        + MIN_ADMIN_TOKEN_LENGTH + " characters");
            }
        }

        private static URI checkUpstream(String name, URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = Optional.ofNullable(url.getScheme()).orElse("");
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
                    || url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                    || !(url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/"))) {
                throw new IllegalArgumentException("upstream '" + name + "': expected http://host:port, got " + url);
            }
            int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
            return URI.create(scheme + "://" + url.getRawAuthority().replaceFirst(":\\d+$", "") + ":" + port);
        }
    }
}
