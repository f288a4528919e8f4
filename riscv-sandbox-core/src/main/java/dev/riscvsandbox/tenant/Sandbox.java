package dev.riscvsandbox.tenant;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.abi.ProgramContext;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants of a deployment, loaded and initialised: {@code Sandbox.fromJson(json).fork("customer1.com")} gives an
 * ephemeral VM for one request. A tenant whose program fails to load is recorded with its reason
 * ({@link #loadErrors()}); the others are unaffected. Programs can be replaced while requests run
 * ({@link #update}). Thread-safe.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = System.getLogger(Sandbox.class.getName());

    private final Map<String, TenantConfig> configs;
    private final Map<String, TenantProgram> programs = new ConcurrentHashMap<>();
    private final Map<String, TenantLoadException> errors = new ConcurrentHashMap<>();
    private final Map<String, TenantMetrics> metrics = new ConcurrentHashMap<>();

    private Sandbox(Map<String, TenantConfig> configs) {
        this.configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
    }

    /**
     * Loads every tenant of a configuration; C++ source tenants ({@code .cpp}) are built with
     * {@link SourceBuilder#defaults()}.
     */
    public static Sandbox load(TenantsConfig config) {
        return load(config, SourceBuilder.defaults());
    }

    /**
     * Loads every tenant of a configuration, building C++ source tenants ({@code .cpp}) with {@code sources} (its
     * wrapper, cache directory and time limit).
     */
    public static Sandbox load(TenantsConfig config, SourceBuilder sources) {
        Objects.requireNonNull(sources, "sources");
        Sandbox s = new Sandbox(config.tenants());
        for (TenantConfig t : config.tenants().values()) {
            TenantMetrics m = new TenantMetrics();
            s.metrics.put(t.name(), m);
            try {
                s.programs.put(t.name(), TenantProgram.load(t, TenantProgram.readProgram(t, sources), m));
                LOG.log(Level.INFO, "tenant ''{0}'' loaded from {1}", t.name(), t.program());
            } catch (TenantLoadException e) {
                s.errors.put(t.name(), e);
                LOG.log(Level.ERROR, e.getMessage());
            }
        }
        return s;
    }

    /** Parses a JSON configuration (see {@link TenantsConfig}) and loads its tenants. */
    public static Sandbox fromJson(String json) throws TenantConfigException {
        return load(TenantsConfig.fromJson(json));
    }

    /** Reads a JSON configuration file and loads its tenants. */
    public static Sandbox fromFile(Path file) throws IOException, TenantConfigException {
        return load(TenantsConfig.fromFile(file));
    }

    /** The tenants that loaded, by name (a snapshot: live updates replace entries). */
    public Map<String, TenantProgram> tenants() {
        Map<String, TenantProgram> out = new LinkedHashMap<>();
        for (String name : configs.keySet()) {
            TenantProgram p = programs.get(name);
            if (p != null) {
                out.put(name, p);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The configured tenants, loaded or not. */
    public Map<String, TenantConfig> configuredTenants() {
        return configs;
    }

    public Optional<TenantProgram> tenant(String name) {
        return Optional.ofNullable(programs.get(name));
    }

    /** Why each failed tenant did not load, by name. */
    public Map<String, TenantLoadException> loadErrors() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    /** The counters of a configured tenant. */
    public Optional<TenantMetrics> metrics(String tenant) {
        return Optional.ofNullable(metrics.get(tenant));
    }

    /**
     * Forks an ephemeral VM of tenant {@code name}.
     *
     * @throws NoSuchElementException if there is no such tenant, or it failed to load (the message says why)
     */
    public TenantVm fork(String name) {
        TenantProgram p = programs.get(name);
        if (p == null) {
            TenantLoadException e = errors.get(name);
            throw new NoSuchElementException(e != null ? e.getMessage() : "no tenant '" + name + "'");
        }
        return p.fork();
    }

    /**
     * Live update: replaces tenant {@code name}'s program with {@code elf}. The new program is initialised first and
     * swapped in atomically only if that succeeds; VMs forked before keep running the old program. If both programs
     * registered the hand-over hooks (on_live_update, on_resume_update), the old storage VM's state is passed to the
     * new one. The configured program file is not changed.
     *
     * @return whether storage state was handed over
     * @throws TenantLoadException   if the new program does not load or initialise; the old one keeps serving
     * @throws NoSuchElementException if {@code name} is not a configured tenant
     */
    public synchronized boolean update(String name, byte[] elf) throws TenantLoadException {
        TenantConfig config = configs.get(name);
        if (config == null) {
            throw new NoSuchElementException("no tenant '" + name + "'");
        }
        TenantProgram next = TenantProgram.load(config, elf, metrics.get(name));
        TenantProgram previous = programs.get(name);
        boolean handedOver = false;
        if (previous != null) {
            try {
                handedOver = ProgramContext.handOver(previous.context(), next.context());
            } catch (GuestException e) {
                throw new TenantLoadException(name, "state hand-over failed, update not applied: " + e.getMessage(),
                        e);
            }
        }
        programs.put(name, next);
        errors.remove(name);
        if (previous != null) {
            previous.retire();
        }
        LOG.log(Level.INFO, "tenant ''{0}'' updated ({1} bytes){2}", name, elf.length,
                handedOver ? ", state handed over" : "");
        return handedOver;
    }

    /** Releases idle VMs. VMs still open finish their requests. */
    @Override
    public void close() {
        for (TenantProgram p : programs.values()) {
            p.retire();
        }
    }
}
