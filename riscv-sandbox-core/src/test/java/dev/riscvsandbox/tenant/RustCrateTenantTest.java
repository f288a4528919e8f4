package dev.riscvsandbox.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.InMemoryRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "filename": "rust:DIR"} tenants: the crate is built on load with the Rust SDK's {@code tenant-cargo}, cached
 * by its files and the wrapper's version, and build errors reach the load error. Uses the SDK's build directory
 * ({@code guest-api-rust/build}, warm after {@code make -C guest-api-rust}, as in CI) so the standard library is not
 * rebuilt.
 */
class RustCrateTenantTest {
    static final Path REPO = Path.of(System.getProperty("riscv.guests.dir", "../guests/bin")).resolve("../..")
            .toAbsolutePath().normalize();
    static final Path SDK = REPO.resolve("guest-api-rust");
    static final Path HELLO = SDK.resolve("examples/hello");

    static SourceBuilder builder(Path cache) {
        return SourceBuilder.defaults().withCargo(SDK.resolve("bin/tenant-cargo")).withCacheDirectory(cache)
                .withRustBuildDirectory(SDK.resolve("build"));
    }

    static String json(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\") + "\"";
    }

    static Sandbox load(String json, SourceBuilder b) throws Exception {
        return Sandbox.load(TenantsConfig.fromJson(json), b);
    }

    static long cachedPrograms(Path cache) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".elf")).count();
        }
    }

    /** A copy of the seed's Rust example outside the repository (its files only). */
    static Path copyOfHello(Path tmp) throws IOException {
        Path crate = tmp.resolve("hello-crate");
        Files.createDirectories(crate.resolve("src"));
        Files.copy(HELLO.resolve("Cargo.toml"), crate.resolve("Cargo.toml"));
        Files.copy(HELLO.resolve("src/main.rs"), crate.resolve("src/main.rs"));
        return crate;
    }

    @Test
    void theSeedRustExampleIsBuiltOnLoadAndCached(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Path crate = copyOfHello(tmp);
        Files.createDirectories(crate.resolve("target/release"));
        Files.writeString(crate.resolve("target/release/junk"), "not part of the crate");
        String config = "{ \"rusty.com\": { \"filename\": \"rust:" + crate.toString().replace("\\", "\\\\") + "\" } }";

        try (Sandbox s = load(config, builder(cache))) {
            assertTrue(s.loadErrors().isEmpty(), () -> s.loadErrors().toString());
            assertEquals(TenantConfig.Kind.RUST_CRATE, s.configuredTenants().get("rusty.com").kind());
            try (TenantVm vm = s.fork("rusty.com")) {
                HookResult.Forged f = assertInstanceOf(HookResult.Forged.class,
                        vm.onRecv(InMemoryRequest.get("/hello", new Header("Host", "rusty.com"))));
                assertEquals(200, f.response().status());
                assertEquals("<p>hello from Rust 2</p>", new String(f.response().body(), StandardCharsets.UTF_8));
                assertEquals("text/plain", f.response().header("Content-Type").orElseThrow());
                assertFalse(f.cached());
                assertEquals("/hello", vm.request().header("X-Hello").orElseThrow());
            }
        }
        assertEquals(1, cachedPrograms(cache));
        assertFalse(Files.exists(crate.resolve("Cargo.lock")), "the crate's directory is not written");

        // the same files: the cached program (target/ is not part of the crate)
        Files.writeString(crate.resolve("target/release/junk"), "changed");
        try (Sandbox s = load(config, builder(cache))) {
            assertTrue(s.loadErrors().isEmpty());
        }
        assertEquals(1, cachedPrograms(cache));

        // a changed source: built again
        Files.writeString(crate.resolve("src/main.rs"), Files.readString(crate.resolve("src/main.rs"))
                .replace("hello from Rust 2", "hello from Rust 3"));
        try (Sandbox s = load(config, builder(cache)); TenantVm vm = s.fork("rusty.com")) {
            HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(InMemoryRequest.get("/")));
            assertEquals("<p>hello from Rust 3</p>", new String(f.response().body(), StandardCharsets.UTF_8));
        }
        assertEquals(2, cachedPrograms(cache));
    }

    @Test
    void buildErrorsReachTheLoadError(@TempDir Path tmp) throws Exception {
        Path crate = copyOfHello(tmp);
        Files.writeString(crate.resolve("src/main.rs"), "use riscv_sandbox_guest::*;\nfn main() { no_such_call(); }\n");
        try (Sandbox s = load("{ \"bad.example\": { \"filename\": \"rust:" + crate + "\" } }",
                builder(tmp.resolve("cache")))) {
            String message = s.loadErrors().get("bad.example").getMessage();
            assertTrue(message.contains("Rust build of " + crate + " failed"), message);
            assertTrue(message.contains("no_such_call"), message);
            assertTrue(s.tenant("bad.example").isEmpty());
        }
    }

    @Test
    void whatIsNotACrateIsNamed(@TempDir Path tmp) throws Exception {
        SourceBuilder b = builder(tmp.resolve("cache"));
        TenantLoadException none = assertThrows(TenantLoadException.class, () -> b.buildCrate("t", tmp));
        assertTrue(none.getMessage().contains("is not a Rust crate: it has no Cargo.toml"), none.getMessage());

        Path crate = copyOfHello(tmp);
        Files.createSymbolicLink(crate.resolve("src/secret.rs"), Path.of("/etc/hostname"));
        TenantLoadException link = assertThrows(TenantLoadException.class, () -> b.buildCrate("t", crate));
        assertTrue(link.getMessage().contains("src/secret.rs is not a regular file"), link.getMessage());

        Path missing = tmp.resolve("no-such-wrapper");
        Files.delete(crate.resolve("src/secret.rs"));
        TenantLoadException wrapper = assertThrows(TenantLoadException.class,
                () -> b.withCargo(missing).buildCrate("t", crate));
        assertTrue(wrapper.getMessage().contains("no Rust tenant builder: " + missing), wrapper.getMessage());
        assertTrue(wrapper.getMessage().contains(SourceBuilder.CARGO_PROPERTY), wrapper.getMessage());
    }

    @Test
    void codeThatWouldRunOrReadAtBuildTimeIsRefused(@TempDir Path tmp) throws Exception {
        SourceBuilder b = builder(tmp.resolve("cache"));
        Path crate = copyOfHello(tmp);
        String manifest = Files.readString(crate.resolve("Cargo.toml"));

        Files.writeString(crate.resolve("build.rs"), "fn main() { std::fs::write(\"/tmp/pwned\", \"x\").unwrap(); }");
        TenantLoadException script = assertThrows(TenantLoadException.class, () -> b.buildCrate("t", crate));
        assertTrue(script.getMessage().contains("has a build script (build.rs)"), script.getMessage());
        Files.delete(crate.resolve("build.rs"));

        for (String[] c : new String[][] {
                {"[package]\nbuild = \"gen.rs\"", "a build script (build = ...)"},
                {"[lib]\nproc-macro = true", "a procedural macro"},
                {"[dependencies]\nother = { path = \"/srv/other\" }", "a path dependency"}}) {
            Files.writeString(crate.resolve("Cargo.toml"), manifest.replace("[package]", c[0].startsWith("[package]")
                    ? c[0] : "[package]") + (c[0].startsWith("[package]") ? "" : "\n" + c[0] + "\n"));
            TenantLoadException e = assertThrows(TenantLoadException.class, () -> b.buildCrate("t", crate));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void theRustPrefixIsParsed(@TempDir Path tmp) throws Exception {
        TenantsConfig c = TenantsConfig.fromJson("{ \"a\": { \"filename\": \"rust:crates/a\" },"
                + " \"b\": { \"filename\": \"b.cpp\" }, \"c\": { \"filename\": \"c.elf\" } }", tmp);
        assertEquals(tmp.resolve("crates/a"), c.tenants().get("a").program());
        assertEquals(TenantConfig.Kind.RUST_CRATE, c.tenants().get("a").kind());
        assertEquals(TenantConfig.Kind.CPP_SOURCE, c.tenants().get("b").kind());
        assertEquals(TenantConfig.Kind.ELF, c.tenants().get("c").kind());
        TenantConfigException empty = assertThrows(TenantConfigException.class,
                () -> TenantsConfig.fromJson("{ \"a\": { \"filename\": \"rust:\" } }"));
        assertTrue(empty.getMessage().contains("names no crate directory"), empty.getMessage());
    }
}
