package dev.riscvsandbox.tenant;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The tenants of a deployment, loaded and initialised: {@code Sandbox.fromJson(json).fork("customer1.com")} gives an
 * ephemeral VM for one request. A tenant whose program fails to load is recorded with its reason
 * ({@link #loadErrors()}); the others are unaffected. Thread-safe.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = System.getLogger(Sandbox.class.getName());

    private final Map<String, TenantProgram> programs;
    private final Map<String, TenantLoadException> errors;

    private Sandbox(Map<String, TenantProgram> programs, Map<String, TenantLoadException> errors) {
        this.programs = Collections.unmodifiableMap(programs);
        this.errors = Collections.unmodifiableMap(errors);
    }

    /** Loads every tenant of a configuration. */
    public static Sandbox load(TenantsConfig config) {
        Map<String, TenantProgram> programs = new LinkedHashMap<>();
        Map<String, TenantLoadException> errors = new LinkedHashMap<>();
        for (TenantConfig t : config.tenants().values()) {
            try {
                programs.put(t.name(), TenantProgram.load(t));
            } catch (TenantLoadException e) {
                errors.put(t.name(), e);
                LOG.log(Level.ERROR, e.getMessage());
            }
        }
        return new Sandbox(programs, errors);
    }

    /** Parses a JSON configuration (see {@link TenantsConfig}) and loads its tenants. */
    public static Sandbox fromJson(String json) throws TenantConfigException {
        return load(TenantsConfig.fromJson(json));
    }

    /** Reads a JSON configuration file and loads its tenants. */
    public static Sandbox fromFile(Path file) throws IOException, TenantConfigException {
        return load(TenantsConfig.fromFile(file));
    }

    /** The tenants that loaded, by name. */
    public Map<String, TenantProgram> tenants() {
        return programs;
    }

    public Optional<TenantProgram> tenant(String name) {
        return Optional.ofNullable(programs.get(name));
    }

    /** Why each failed tenant did not load, by name. */
    public Map<String, TenantLoadException> loadErrors() {
        return errors;
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

    @Override
    public void close() {
        // Programs hold heap memory only; pools of forks will be released here.
    }
}
