package dev.riscvsandbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantConfigException;
import dev.riscvsandbox.tenant.TenantVm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The harness both guest SDKs' example tests share: where the built examples are, loading them as tenants, requests,
 * bodies, digests, and running the SDKs' build wrappers ({@code bin/tenant-c++}, {@code bin/tenant-cargo}).
 */
public final class ExampleTenants {
    private ExampleTenants() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // where the examples are

    /**
     * An SDK's {@code examples/bin} directory: the one the system property names, else {@code <sdk>/examples/bin}
     * relative to the working directory or its parent (Maven runs the tests in {@code riscv-sandbox-core}).
     *
     * @param property the system property that may name the directory, e.g. {@code riscv.cpp.examples.dir}
     * @param sdk the SDK's directory in the repository, e.g. {@code guest-api-cpp}; {@code make -C <sdk>} builds it
     */
    public static Path binDir(String property, String sdk) {
        String named = System.getProperty(property);
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath().normalize();
        }
        for (Path candidate : List.of(Path.of("..", sdk, "examples", "bin"), Path.of(sdk, "examples", "bin"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        return fail("system property " + property + " is not set and no " + sdk + "/examples/bin directory was"
                + " found; build the examples with `make -C " + sdk + "`");
    }

    /** A built example binary in {@code binDir}, which {@code make -C <sdk>} builds. */
    public static Path binary(Path binDir, String name, String sdk) {
        Path p = binDir.resolve(name);
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing; build the examples with `make -C " + sdk + "`");
        }
        return p;
    }

    /** JSON string literal of a path. */
    public static String json(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // loading examples as tenants

    /** A tenants configuration whose binaries {@code binaries} finds by name; {@link Config#load()} loads it. */
    public static Config config(Function<String, Path> binaries) {
        return new Config(binaries);
    }

    /** The tenants of a test class, as in an SDK's examples/tenants.json. */
    public static final class Config {
        private final Function<String, Path> binaries;
        private final StringJoiner tenants = new StringJoiner(",\n", "{\n", "\n}\n");

        private Config(Function<String, Path> binaries) {
            this.binaries = binaries;
        }

        /** A tenant running example {@code binary}, with more JSON members (limits, arguments) if any. */
        public Config tenant(String name, String binary, String... members) {
            StringBuilder entry = new StringBuilder("  \"").append(name).append("\": { \"filename\": ")
                    .append(json(binaries.apply(binary)));
            for (String member : members) {
                entry.append(", ").append(member);
            }
            tenants.add(entry.append(" }"));
            return this;
        }

        /** The sandbox; every tenant must load. */
        public Sandbox load() throws TenantConfigException {
            Sandbox sandbox = Sandbox.fromJson(tenants.toString());
            assertEquals(Map.of(), sandbox.loadErrors());
            return sandbox;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // requests and results

    /** on_recv in a fresh fork of the tenant; the result must be of {@code type}. */
    public static <T extends HookResult> T onRecv(Sandbox sandbox, String tenant, HttpRequest request,
            Class<T> type) {
        try (TenantVm vm = sandbox.fork(tenant)) {
            return assertInstanceOf(type, vm.onRecv(request));
        }
    }

    /** A GET request with header name/value pairs. */
    public static HttpRequest get(String url, String... headers) {
        InMemoryRequest.Builder b = InMemoryRequest.builder().uri(url);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    /** A response's body as UTF-8. */
    public static String body(HttpResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** SHA-256 of a string's UTF-8 bytes. */
    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the SDKs' build wrappers

    /** What a command did. */
    public record Run(int status, String out, String err) {
    }

    /** Runs a command to its end, at most {@code timeoutSeconds}, capturing its output. */
    public static Run run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("example-tool", ".out");
        Path err = Files.createTempFile("example-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
