package dev.riscvsandbox.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.testutil.GuestBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants given as C++ sources ({@code .cpp}) are compiled on load with the SDK's wrapper and cached. Most tests use
 * a fake wrapper (a bash script written here) that copies a prebuilt tenant ({@code guests/bin/bench-hello-forge}),
 * fails, floods its output or hangs, depending on the source, and counts its compilations in a file, so they do not
 * depend on the C++ SDK or a cross compiler. One test builds a real tenant with {@code guest-api-cpp/bin/tenant-c++}.
 */
class SourceTenantTest {
    @TempDir
    Path dir;

    static final String HELLO = "// any source: the fake wrapper copies a prebuilt tenant\nint main() {}\n";

    /** Writes the fake wrapper; {@code tag} is its --version line (the SDK's identity). */
    Path wrapper(String tag) throws IOException {
        Path elf = GuestBinaries.path("bench-hello-forge").toAbsolutePath();
        Path script = dir.resolve("fake-tenant-c++");
        Files.writeString(script, """
                #!/bin/bash
                # fake tenant-c++: SOURCE.cpp -o OUTPUT, or --version
                if [ "$1" = "--version" ]; then echo "fake-tenant-c++ %s"; exit 0; fi
                src=$1; out=$3
                [ "$2" = "-o" ] || { echo "usage: tenant-c++ SOURCE.cpp -o OUTPUT" >&2; exit 2; }
                echo "$src" >> '%s'
                if grep -q '#error' "$src"; then echo "$src:2:2: error: #error boom" >&2; exit 1; fi
                if grep -q 'NOISY' "$src"; then head -c 100000 /dev/zero | tr '\\0' 'e' >&2; exit 1; fi
                if grep -q 'SLEEP' "$src"; then sleep 60 & echo $! > '%s'; wait; fi
                if grep -q 'NOTHING' "$src"; then exit 0; fi
                cp '%s' "$out"
                """.formatted(tag, invocations(), dir.resolve("sleep.pid"), elf));
        script.toFile().setExecutable(true);
        return script;
    }

    Path invocations() {
        return dir.resolve("invocations");
    }

    int compilations() throws IOException {
        return Files.exists(invocations()) ? Files.readAllLines(invocations()).size() : 0;
    }

    SourceBuilder builder(Path wrapper) {
        return SourceBuilder.defaults().withCompiler(wrapper).withCacheDirectory(dir.resolve("cache"));
    }

    Path source(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** A configuration of the given tenants (name to source file name, relative to the configuration). */
    TenantsConfig config(Map<String, String> tenants) throws Exception {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> t : tenants.entrySet()) {
            json.append(json.length() > 1 ? ", " : "").append('"').append(t.getKey()).append("\": {\"filename\": \"")
                    .append(t.getValue()).append("\"}");
        }
        Path file = dir.resolve("tenants.json");
        Files.writeString(file, json.append('}').toString());
        return TenantsConfig.fromFile(file);
    }

    static void servesHello(Sandbox s, String tenant) {
        try (TenantVm vm = s.fork(tenant)) {
            HookResult r = vm.onRecv(InMemoryRequest.get("/hello"));
            HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, r);
            assertEquals("{\"message\":\"Hello from RISC-V!\"}",
                    new String(f.response().body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sourcesAreCompiledOnceAndThenServedFromTheCache() throws Exception {
        Path wrapper = wrapper("1.0 sdk:aaaa");
        source("hello.cpp", HELLO);
        TenantsConfig config = config(Map.of("a.com", "hello.cpp"));
        try (Sandbox s = Sandbox.load(config, builder(wrapper))) {
            assertEquals(Map.of(), s.loadErrors());
            servesHello(s, "a.com");
        }
        assertEquals(1, compilations());
        try (Sandbox s = Sandbox.load(config, builder(wrapper))) { // a second load (a restart): the cache serves
            servesHello(s, "a.com");
        }
        assertEquals(1, compilations(), "the second load did not run the compiler");
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            List<Path> cached = files.toList();
            assertEquals(1, cached.size(), cached.toString());
            assertTrue(cached.get(0).getFileName().toString().matches("[0-9a-f]{64}\\.elf"), cached.toString());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))));
        // the same source under two tenants, and TenantProgram.load directly: still one compilation
        try (Sandbox s = Sandbox.load(config(Map.of("a.com", "hello.cpp", "b.com", "hello.cpp")), builder(wrapper))) {
            servesHello(s, "b.com");
        }
        assertEquals(1, compilations());
    }

    @Test
    void changesToTheSourceOrTheSdkCompileAgain() throws Exception {
        Path wrapper = wrapper("1.0 sdk:aaaa");
        Path src = source("hello.cpp", HELLO);
        TenantsConfig config = config(Map.of("a.com", "hello.cpp"));
        Sandbox.load(config, builder(wrapper)).close();
        assertEquals(1, compilations());
        Files.writeString(src, HELLO + "// changed\n");
        Sandbox.load(config, builder(wrapper)).close();
        assertEquals(2, compilations(), "a changed source is compiled again");
        wrapper("1.0 sdk:bbbb"); // new SDK headers or compiler: another --version line
        Sandbox.load(config, builder(wrapper)).close();
        assertEquals(3, compilations(), "a changed SDK compiles again");
        Sandbox.load(config, builder(wrapper)).close();
        Files.writeString(src, HELLO); // the first source, but with the new SDK: compiled again
        Sandbox.load(config, builder(wrapper)).close();
        assertEquals(4, compilations());
        source("other.cpp", HELLO); // the same text under another name: __FILE__ differs, so does the key
        Sandbox.load(config(Map.of("a.com", "other.cpp")), builder(wrapper)).close();
        assertEquals(5, compilations());
    }

    @Test
    void compilerErrorsFailTheTenantWithTheirOutput() throws Exception {
        Path wrapper = wrapper("1.0");
        source("good.cpp", HELLO);
        source("bad.cpp", "int main() {\n#error boom\n}\n");
        source("noisy.cpp", "NOISY\n");
        source("empty.cpp", "NOTHING\n");
        try (Sandbox s = Sandbox.load(config(Map.of("good.com", "good.cpp", "bad.com", "bad.cpp",
                "noisy.com", "noisy.cpp", "empty.com", "empty.cpp")), builder(wrapper))) {
            servesHello(s, "good.com");
            assertEquals(java.util.Set.of("bad.com", "noisy.com", "empty.com"), s.loadErrors().keySet());
            String bad = s.loadErrors().get("bad.com").getMessage();
            assertTrue(bad.startsWith("tenant 'bad.com': C++ compilation of " + dir.resolve("bad.cpp")
                    + " failed (exit status 1):\nbad.cpp:2:2: error: #error boom"), bad);
            String noisy = s.loadErrors().get("noisy.com").getMessage();
            assertTrue(noisy.length() < SourceBuilder.MAX_ERROR_OUTPUT + 300, noisy.length() + " characters");
            assertTrue(noisy.endsWith("(95904 more bytes of compiler output)"), noisy.substring(noisy.length() - 80));
            assertTrue(s.loadErrors().get("empty.com").getMessage().contains("wrote no program"));
        }
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            assertEquals(1, files.count(), "failures leave nothing in the cache (no build directories either)");
        }
    }

    @Test
    void aMissingCompilerIsAClearError() throws Exception {
        source("hello.cpp", HELLO);
        TenantsConfig config = config(Map.of("a.com", "hello.cpp"));
        try (Sandbox s = Sandbox.load(config, builder(dir.resolve("no-such-tenant-c++")))) {
            String m = s.loadErrors().get("a.com").getMessage();
            assertTrue(m.contains("no C++ tenant compiler: " + dir.resolve("no-such-tenant-c++")), m);
            assertTrue(m.contains("riscv.sandbox.cxx") && m.contains("RISCV_SANDBOX_CXX"), m);
        }
        Path notExecutable = source("not-executable", "#!/bin/sh\n");
        try (Sandbox s = Sandbox.load(config, builder(notExecutable))) {
            assertTrue(s.loadErrors().get("a.com").getMessage().contains("is not an executable file"));
        }
        Path broken = source("broken-c++", "#!/bin/sh\necho 'cannot find the cross compiler' >&2\nexit 3\n");
        broken.toFile().setExecutable(true);
        TenantLoadException e = assertThrows(TenantLoadException.class,
                () -> builder(broken).build("a.com", dir.resolve("hello.cpp")));
        assertTrue(e.getMessage().contains("--version exited with status 3:\ncannot find the cross compiler"),
                e.getMessage());
        // the system property names the wrapper and the cache for defaults()
        String before = System.getProperty(SourceBuilder.COMPILER_PROPERTY);
        String cacheBefore = System.getProperty(SourceBuilder.CACHE_PROPERTY);
        try {
            System.setProperty(SourceBuilder.COMPILER_PROPERTY, wrapper("1.0").toString());
            System.setProperty(SourceBuilder.CACHE_PROPERTY, dir.resolve("cache-from-property").toString());
            SourceBuilder defaults = SourceBuilder.defaults();
            assertEquals(dir.resolve("fake-tenant-c++"), defaults.compiler().orElseThrow());
            assertEquals(dir.resolve("cache-from-property"), defaults.cacheDirectory());
            assertEquals(Duration.ofSeconds(120), defaults.timeout());
            try (Sandbox s = Sandbox.load(config)) { // the one-argument load uses the defaults
                servesHello(s, "a.com");
            }
            assertTrue(Files.isDirectory(dir.resolve("cache-from-property")));
        } finally {
            restore(SourceBuilder.COMPILER_PROPERTY, before);
            restore(SourceBuilder.CACHE_PROPERTY, cacheBefore);
        }
    }

    static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void slowCompilationsAreStopped() throws Exception {
        source("slow.cpp", "SLEEP\n");
        long start = System.nanoTime();
        TenantLoadException e = assertThrows(TenantLoadException.class, () -> builder(wrapper("1.0"))
                .withTimeout(Duration.ofSeconds(1)).build("slow.com", dir.resolve("slow.cpp")));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(e.getMessage().contains("took longer than 1 s and was stopped"), e.getMessage());
        assertTrue(seconds < 15, seconds + " s");
        long pid = Long.parseLong(Files.readString(dir.resolve("sleep.pid")).strip());
        for (int i = 0; i < 50 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the compiler's child was killed");
    }

    @Test
    void aCacheOthersMayWriteIsRefused() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        source("hello.cpp", HELLO);
        TenantLoadException e = assertThrows(TenantLoadException.class,
                () -> builder(wrapper("1.0")).build("a.com", dir.resolve("hello.cpp")));
        assertTrue(e.getMessage().contains("may be written by other users"), e.getMessage());
        assertEquals(0, compilations());
    }

    /**
     * The real SDK: compiles the C++ SDK's seed example ({@code guest-api-cpp/examples/hello.cpp}) with
     * {@code guest-api-cpp/bin/tenant-c++} and serves a request. Skipped when the SDK's wrapper or the cross compiler
     * is missing (a developer machine without the toolchain), except with {@code -Driscv.requireQemu=true} (CI, which
     * installs the toolchain), where that is a failure.
     */
    @Test
    void theRealSdkBuildsTheSeedExample() throws Exception {
        Path repo = GuestBinaries.dir().getParent().getParent();
        Path wrapper = repo.resolve("guest-api-cpp/bin/tenant-c++");
        Path example = repo.resolve("guest-api-cpp/examples/hello.cpp");
        String cxx = System.getenv().getOrDefault("TENANT_CXX", "riscv64-linux-gnu-g++");
        String missing = !Files.isExecutable(wrapper) ? wrapper + " is missing"
                : !Files.isRegularFile(example) ? example + " is missing"
                : !onPath(cxx) ? "the cross compiler " + cxx + " is not installed" : null;
        if (missing != null) {
            if (Boolean.getBoolean("riscv.requireQemu")) {
                fail(missing + ", but -Driscv.requireQemu=true (CI) requires the C++ SDK and its toolchain");
            }
            Assumptions.assumeTrue(false, missing + ": skipped (CI runs it)");
        }
        Files.copy(example, dir.resolve("hello.cpp"));
        SourceBuilder sources = SourceBuilder.defaults().withCompiler(wrapper).withCacheDirectory(dir.resolve("cache"));
        try (Sandbox s = Sandbox.load(config(Map.of("customer1.com", "hello.cpp")), sources)) {
            assertEquals(Map.of(), s.loadErrors());
            try (TenantVm vm = s.fork("customer1.com")) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class,
                        vm.onRecv(InMemoryRequest.get("/hello")));
                assertEquals(200, f.response().status());
                assertEquals("{\"message\":\"Hello from RISC-V!\"}",
                        new String(f.response().body(), StandardCharsets.UTF_8));
            }
        }
    }

    static boolean onPath(String command) {
        if (command.contains("/")) {
            return Files.isExecutable(Path.of(command));
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
