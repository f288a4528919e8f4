package dev.riscvsandbox.tenant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tenants and groups of a deployment, in the original libvmod-riscv JSON format:
 *
 * <pre>{@code
 * {
 *   "edge":          { "max_instructions": 8000000, "max_memory": 64, "max_heap": "16MiB" },
 *   "customer1.com": { "filename": "tenants/customer1.elf", "group": "edge", "arguments": ["--fast"] },
 *   "customer2.com": { "filename": "tenants/customer2.elf", "max_memory": "128MiB" }
 * }
 * }</pre>
 *
 * <p>An entry with {@code filename} is a tenant; any other entry is a group of defaults. Differences from the original,
 * on purpose:
 * <ul>
 *   <li>Sizes ({@code max_memory}, {@code max_heap}) given as JSON numbers keep the original's meaning, <b>MiB</b>; a
 *       string with a binary unit ({@code "64MiB"}, {@code "512 KiB"}, {@code "1GiB"}, {@code "4096B"}) gives the size
 *       exactly. Decimal units (MB, KB) are refused rather than guessed.</li>
 *   <li>Groups are read before tenants, whatever their order in the document (the original processed keys
 *       alphabetically, so a group sorting after its tenant was "missing").</li>
 *   <li>A missing group, an unknown key, a duplicate key or a bad value is an error naming the tenant or group and the
 *       key; nothing is silently skipped.</li>
 *   <li>Relative {@code filename}s are resolved against the configuration file's directory (or a given base).</li>
 * </ul>
 * A {@code filename} ending in {@code .cpp} is a C++ source and one of the form {@code "rust:DIR"} a Rust crate's
 * directory; both are built on load ({@link SourceBuilder}).
 * The built-in group {@value #DEFAULT_GROUP} always exists with {@link Limits#DEFAULTS}; it may be redefined.
 */
public final class TenantsConfig {
    /** The group tenants use when they name none. */
    public static final String DEFAULT_GROUP = "test";
    /** Largest configuration document accepted. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;
    /** Most tenants in one configuration. */
    public static final int MAX_TENANTS = 10_000;
    /** Most arguments per tenant. */
    public static final int MAX_ARGUMENTS = 256;
    /** A {@code filename} with this prefix names a Rust crate's directory, built on load. */
    public static final String RUST_PREFIX = "rust:";

    private static final Set<String> GROUP_KEYS = Set.of("max_instructions", "max_memory", "max_heap", "max_request_body");
    private static final Set<String> TENANT_KEYS =
            Set.of("filename", "group", "arguments", "max_instructions", "max_memory", "max_heap",
                    "max_request_body");
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,12})\\s*(B|KiB|MiB|GiB)\\s*");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(1 << 16).maxNumberLength(32).build());
    }

    private final Map<String, Limits> groups;
    private final Map<String, TenantConfig> tenants;

    private TenantsConfig(Map<String, Limits> groups, Map<String, TenantConfig> tenants) {
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.tenants = Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
    }

    /** The tenants by name, in document order. */
    public Map<String, TenantConfig> tenants() {
        return tenants;
    }

    public Optional<TenantConfig> tenant(String name) {
        return Optional.ofNullable(tenants.get(name));
    }

    /** The groups by name, including the built-in {@value #DEFAULT_GROUP}. */
    public Map<String, Limits> groups() {
        return groups;
    }

    /** Reads a configuration file; relative program paths are resolved against its directory. */
    public static TenantsConfig fromFile(Path file) throws IOException, TenantConfigException {
        long size = Files.size(file);
        if (size > MAX_DOCUMENT_BYTES) {
            throw new TenantConfigException(file + ": " + size + " bytes; a configuration may have at most "
                    + MAX_DOCUMENT_BYTES);
        }
        Path base = file.toAbsolutePath().getParent();
        return fromJson(Files.readString(file, StandardCharsets.UTF_8), base);
    }

    /** Parses a configuration; relative program paths are resolved against the working directory. */
    public static TenantsConfig fromJson(String json) throws TenantConfigException {
        return fromJson(json, Path.of("").toAbsolutePath());
    }

    /** Parses a configuration; relative program paths are resolved against {@code baseDir}. */
    public static TenantsConfig fromJson(String json, Path baseDir) throws TenantConfigException {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(baseDir, "baseDir");
        if (json.length() > MAX_DOCUMENT_BYTES) {
            throw new TenantConfigException("configuration is " + json.length() + " characters; at most "
                    + MAX_DOCUMENT_BYTES + " are accepted");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TenantConfigException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TenantConfigException("the configuration must be a JSON object of tenants and groups");
        }
        Builder b = builder();
        List<Map.Entry<String, JsonNode>> tenantEntries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!value.isObject()) {
                throw new TenantConfigException("'" + name + "': must be an object (a tenant with \"filename\", "
                        + "or a group)");
            }
            if (value.has("filename")) {
                tenantEntries.add(e);
            } else {
                String where = "group '" + name + "'";
                checkKeys(where, value, GROUP_KEYS);
                b.groups.put(name, limits(where, value, Limits.DEFAULTS));
            }
        }
        if (tenantEntries.size() > MAX_TENANTS) {
            throw new TenantConfigException(tenantEntries.size() + " tenants; at most " + MAX_TENANTS);
        }
        for (Map.Entry<String, JsonNode> e : tenantEntries) {
            b.tenant(tenant(e.getKey(), e.getValue(), baseDir, b.groups));
        }
        return b.build();
    }

    private static TenantConfig tenant(String name, JsonNode v, Path baseDir, Map<String, Limits> groups)
            throws TenantConfigException {
        String where = "tenant '" + name + "'";
        checkName(where, name);
        checkKeys(where, v, TENANT_KEYS);
        String filename = text(where, v, "filename");
        if (filename.isBlank()) {
            throw new TenantConfigException(where + ": key 'filename' must not be empty");
        }
        String group = v.has("group") ? text(where, v, "group") : DEFAULT_GROUP;
        Limits base = groups.get(group);
        if (base == null) {
            throw new TenantConfigException(where + ": key 'group' names group '" + group + "', which is not defined");
        }
        List<String> args = new ArrayList<>();
        if (v.has("arguments")) {
            JsonNode a = v.get("arguments");
            if (!a.isArray()) {
                throw new TenantConfigException(where + ": key 'arguments' must be an array of strings");
            }
            if (a.size() > MAX_ARGUMENTS) {
                throw new TenantConfigException(where + ": key 'arguments' has " + a.size() + " entries; at most "
                        + MAX_ARGUMENTS);
            }
            for (JsonNode x : a) {
                if (!x.isTextual()) {
                    throw new TenantConfigException(where + ": key 'arguments' must be an array of strings, found "
                            + x.getNodeType().toString().toLowerCase(Locale.ROOT));
                }
                if (x.textValue().indexOf('\0') >= 0) {
                    throw new TenantConfigException(where + ": key 'arguments' contains a NUL character");
                }
                args.add(x.textValue());
            }
        }
        boolean crate = filename.startsWith(RUST_PREFIX);
        String path = crate ? filename.substring(RUST_PREFIX.length()) : filename;
        if (path.isBlank()) {
            throw new TenantConfigException(where + ": key 'filename' names no crate directory after '" + RUST_PREFIX
                    + "'");
        }
        Path program;
        try {
            program = baseDir.resolve(path).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new TenantConfigException(where + ": key 'filename' is not a valid path: " + e.getMessage());
        }
        TenantConfig.Kind kind = crate ? TenantConfig.Kind.RUST_CRATE : TenantConfig.Kind.of(program);
        return new TenantConfig(name, program, kind, group, args, limits(where, v, base));
    }

    private static void checkName(String where, String name) throws TenantConfigException {
        if (name.isEmpty() || name.length() > 255) {
            throw new TenantConfigException(where + ": a tenant name must have 1 to 255 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i)) || Character.isWhitespace(name.charAt(i))) {
                throw new TenantConfigException(where + ": a tenant name must not contain spaces or control "
                        + "characters");
            }
        }
    }

    private static void checkKeys(String where, JsonNode v, Set<String> allowed) throws TenantConfigException {
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new TenantConfigException(where + ": unknown key '" + key + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(String where, JsonNode v, String key) throws TenantConfigException {
        JsonNode n = v.get(key);
        if (!n.isTextual()) {
            throw new TenantConfigException(where + ": key '" + key + "' must be a string");
        }
        return n.textValue();
    }

    private static Limits limits(String where, JsonNode v, Limits base) throws TenantConfigException {
        Limits l = base;
        try {
            if (v.has("max_instructions")) {
                JsonNode n = v.get("max_instructions");
                if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                    throw new TenantConfigException(where + ": key 'max_instructions' must be a whole number");
                }
                l = l.withMaxInstructions(n.longValue());
            }
            if (v.has("max_memory")) {
                l = l.withMaxMemory(size(where, "max_memory", v.get("max_memory")));
            }
            if (v.has("max_heap")) {
                l = l.withMaxHeap(size(where, "max_heap", v.get("max_heap")));
            }
            if (v.has("max_request_body")) {
                l = l.withMaxRequestBody(size(where, "max_request_body", v.get("max_request_body")));
            }
        } catch (IllegalArgumentException e) {
            throw new TenantConfigException(where + ": " + e.getMessage());
        }
        return l;
    }

    /**
     * A size: a JSON whole number means MiB (the original's unit); a string such as {@code "64MiB"} or
     * {@code "4096 B"} is exact.
     */
    static long size(String where, String key, JsonNode n) throws TenantConfigException {
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong() || n.longValue() < 0 || n.longValue() > (Long.MAX_VALUE >> 20)) {
                throw new TenantConfigException(where + ": key '" + key + "' is out of range: " + n.asText());
            }
            return n.longValue() << 20;
        }
        if (n.isTextual()) {
            Matcher m = SIZE.matcher(n.textValue());
            if (m.matches()) {
                long value = Long.parseLong(m.group(1));
                int shift = switch (m.group(2)) {
                    case "KiB" -> 10;
                    case "MiB" -> 20;
                    case "GiB" -> 30;
                    default -> 0;
                };
                if (value > (Long.MAX_VALUE >> shift)) {
                    throw new TenantConfigException(where + ": key '" + key + "' is out of range: " + n.textValue());
                }
                return value << shift;
            }
            throw new TenantConfigException(where + ": key '" + key + "' must be a number of MiB or a size with a "
                    + "binary unit such as \"64MiB\", \"512KiB\", \"1GiB\" or \"4096B\"; got \"" + n.textValue() + "\"");
        }
        throw new TenantConfigException(where + ": key '" + key + "' must be a number of MiB or a size string");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a configuration in Java; the same rules as the JSON form apply. */
    public static final class Builder {
        private final Map<String, Limits> groups = new LinkedHashMap<>();
        private final Map<String, TenantConfig> tenants = new LinkedHashMap<>();

        private Builder() {
            groups.put(DEFAULT_GROUP, Limits.DEFAULTS);
        }

        /** Defines (or redefines) a group. */
        public Builder group(String name, Limits limits) {
            groups.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /** Adds a tenant in the default group with no arguments. */
        public Builder tenant(String name, Path program) {
            return tenant(name, program, DEFAULT_GROUP, List.of());
        }

        /** Adds a tenant with its group's limits. */
        public Builder tenant(String name, Path program, String group, List<String> arguments) {
            Limits limits = groups.get(group);
            if (limits == null) {
                throw new IllegalArgumentException("tenant '" + name + "': group '" + group + "' is not defined");
            }
            return tenant(new TenantConfig(name, program, group, arguments, limits));
        }

        /** Adds a fully specified tenant. */
        public Builder tenant(TenantConfig tenant) {
            if (tenants.putIfAbsent(tenant.name(), tenant) != null) {
                throw new IllegalArgumentException("tenant '" + tenant.name() + "' is defined twice");
            }
            return this;
        }

        public TenantsConfig build() {
            return new TenantsConfig(groups, tenants);
        }
    }
}
