package dev.riscvsandbox.tenant;

import dev.riscvsandbox.machine.Program;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds tenants written in C++ or Rust. A tenant whose {@code filename} ends in {@value #SOURCE_SUFFIX} is compiled on
 * load with the C++ SDK's wrapper ({@code guest-api-cpp/bin/tenant-c++ SOURCE.cpp -o OUTPUT}); one whose
 * {@code filename} is {@code "rust:DIR"} is a Rust crate, built with the Rust SDK's wrapper
 * ({@code guest-api-rust/bin/tenant-cargo DIR -o OUTPUT}, see {@link #buildCrate}). The result is loaded like any
 * RISC-V program. Binaries are cached by the SHA-256 of the source, its file name and the wrapper's
 * {@code --version} line (which names the compiler and digests the SDK's headers), so a tenant is compiled once per
 * source and SDK; any change to either compiles it again. Immutable and thread-safe.
 *
 * <pre>{@code
 * Sandbox s = Sandbox.load(TenantsConfig.fromFile(config),
 *         SourceBuilder.defaults().withCacheDirectory(Path.of("/var/cache/riscv-sandbox")));
 * }</pre>
 *
 * <p>A source tenant is one translation unit: it is compiled as a copy in a fresh directory, so it can include the
 * SDK's headers ({@code api.h}) and the system's, but not files next to it (the cache key covers only the source).
 * The wrapper is run directly (no shell) with the host's environment, in that directory, under a time limit; its
 * output is kept (the first {@value #MAX_ERROR_OUTPUT} bytes) for the load error when it fails.
 *
 * <p>Defaults ({@link #defaults()}): the wrapper named by the system property {@value #COMPILER_PROPERTY}, else the
 * environment variable {@value #COMPILER_ENVIRONMENT}, else {@code guest-api-cpp/bin/tenant-c++} under the working
 * directory or its parent if it exists; the cache directory named by {@value #CACHE_PROPERTY}, else
 * {@code riscv-sandbox-cache} in {@code java.io.tmpdir}; a limit of 120 s per compilation.
 *
 * <p>The cache directory is created readable and writable by its owner only, and a cache directory that other users
 * may write to is refused (they could plant binaries). Binaries are written to a temporary file in the cache
 * directory and moved into place atomically, so concurrent loads, in this process or others, never read a partial
 * binary.
 */
public final class SourceBuilder {
    /** File names with this suffix are C++ sources. */
    public static final String SOURCE_SUFFIX = ".cpp";
    /** System property naming the wrapper ({@code tenant-c++}). */
    public static final String COMPILER_PROPERTY = "riscv.sandbox.cxx";
    /** Environment variable naming the wrapper, if the system property is not set. */
    public static final String COMPILER_ENVIRONMENT = "RISCV_SANDBOX_CXX";
    /** System property naming the cache directory. */
    public static final String CACHE_PROPERTY = "riscv.sandbox.cache";
    /** How long one compilation (or the wrapper's {@code --version}) may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** Bytes of compiler output kept in a load error. */
    public static final int MAX_ERROR_OUTPUT = 4096;
    /** Largest source accepted. */
    public static final int MAX_SOURCE_BYTES = 4 << 20;
    /** System property naming the Rust wrapper ({@code tenant-cargo}). */
    public static final String CARGO_PROPERTY = "riscv.sandbox.cargo";
    /** Environment variable naming the Rust wrapper, if the system property is not set. */
    public static final String CARGO_ENVIRONMENT = "RISCV_SANDBOX_CARGO";
    /**
     * System property naming the Rust wrapper's build directory (cargo home and target directory: the standard
     * library, built once per target, is reused by every crate); default {@code rust-build} in the cache directory.
     */
    public static final String RUST_BUILD_PROPERTY = "riscv.sandbox.rustBuild";
    /** Most files in a Rust crate (outside {@code target/} and hidden directories). */
    public static final int MAX_CRATE_FILES = 10_000;
    /** Largest Rust crate accepted (the sum of its files). */
    public static final int MAX_CRATE_BYTES = 64 << 20;

    private static final Logger LOG = System.getLogger(SourceBuilder.class.getName());
    private static final String DEFAULT_WRAPPER = "guest-api-cpp/bin/tenant-c++";
    private static final String DEFAULT_CARGO = "guest-api-rust/bin/tenant-cargo";
    /** Compiler output read and kept in memory; the rest is counted and dropped. */
    private static final int MAX_CAPTURE = 64 << 10;
    /** In-process: one compilation per cache key at a time (other processes are kept safe by the atomic move). */
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    /** A wrapper command: where it is and how it was found (for error messages). */
    private record Tool(Path path, String origin) {
    }

    private final Tool compiler;
    private final Tool cargo;
    private final Path cacheDirectory;
    private final Path rustBuild;
    private final Duration timeout;

    private SourceBuilder(Tool compiler, Tool cargo, Path cacheDirectory, Path rustBuild, Duration timeout) {
        this.compiler = compiler;
        this.cargo = cargo;
        this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory").toAbsolutePath().normalize();
        this.rustBuild = rustBuild == null ? null : rustBuild.toAbsolutePath().normalize();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * The builder configured from the system properties {@value #COMPILER_PROPERTY}, {@value #CARGO_PROPERTY},
     * {@value #CACHE_PROPERTY} and {@value #RUST_BUILD_PROPERTY}, the environment variables
     * {@value #COMPILER_ENVIRONMENT} and {@value #CARGO_ENVIRONMENT} and the working directory (see the class
     * comment). A missing wrapper is reported when a tenant needs it, not here.
     */
    public static SourceBuilder defaults() {
        String cache = System.getProperty(CACHE_PROPERTY);
        Path cacheDirectory = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("java.io.tmpdir"), "riscv-sandbox-cache");
        String rust = System.getProperty(RUST_BUILD_PROPERTY);
        return new SourceBuilder(findTool(COMPILER_PROPERTY, COMPILER_ENVIRONMENT, DEFAULT_WRAPPER),
                findTool(CARGO_PROPERTY, CARGO_ENVIRONMENT, DEFAULT_CARGO), cacheDirectory,
                rust != null && !rust.isBlank() ? Path.of(rust) : null, DEFAULT_TIMEOUT);
    }

    /** A wrapper named by a system property, else an environment variable, else found under the working directory. */
    private static Tool findTool(String property, String environment, String relative) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return new Tool(Path.of(p), "system property " + property);
        }
        String e = System.getenv(environment);
        if (e != null && !e.isBlank()) {
            return new Tool(Path.of(e), "environment variable " + environment);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir : new Path[] {cwd, cwd.getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve(relative))) {
                return new Tool(dir.resolve(relative), "found in " + dir);
            }
        }
        return null;
    }

    /** This builder with another C++ wrapper ({@code tenant-c++} or a compatible command). */
    public SourceBuilder withCompiler(Path compiler) {
        return new SourceBuilder(new Tool(Objects.requireNonNull(compiler, "compiler"), "configured"), cargo,
                cacheDirectory, rustBuild, timeout);
    }

    /** This builder with another Rust wrapper ({@code tenant-cargo} or a compatible command). */
    public SourceBuilder withCargo(Path cargo) {
        return new SourceBuilder(compiler, new Tool(Objects.requireNonNull(cargo, "cargo"), "configured"),
                cacheDirectory, rustBuild, timeout);
    }

    /** This builder with another cache directory (created if missing). */
    public SourceBuilder withCacheDirectory(Path directory) {
        return new SourceBuilder(compiler, cargo, directory, rustBuild, timeout);
    }

    /**
     * This builder with another build directory for the Rust wrapper (its cargo home and target directory, where the
     * standard library is built once per target); by default {@code rust-build} in the cache directory.
     */
    public SourceBuilder withRustBuildDirectory(Path directory) {
        return new SourceBuilder(compiler, cargo, cacheDirectory, Objects.requireNonNull(directory, "directory"),
                timeout);
    }

    /** This builder with another limit on each compilation. */
    public SourceBuilder withTimeout(Duration limit) {
        return new SourceBuilder(compiler, cargo, cacheDirectory, rustBuild, limit);
    }

    /** The C++ wrapper, if one is configured or was found. */
    public Optional<Path> compiler() {
        return Optional.ofNullable(compiler).map(Tool::path);
    }

    /** The Rust wrapper, if one is configured or was found. */
    public Optional<Path> cargo() {
        return Optional.ofNullable(cargo).map(Tool::path);
    }

    /** The Rust wrapper's build directory. */
    public Path rustBuildDirectory() {
        return rustBuild != null ? rustBuild : cacheDirectory.resolve("rust-build");
    }

    public Path cacheDirectory() {
        return cacheDirectory;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether a tenant's program file is a C++ source that this class builds ({@link TenantConfig.Kind#of}). */
    public static boolean isSource(Path program) {
        return TenantConfig.Kind.of(program) == TenantConfig.Kind.CPP_SOURCE;
    }

    /**
     * The program of {@code tenant} built from {@code source}: from the cache if this source was built with the same
     * wrapper version before, else compiled now (and cached).
     *
     * @throws TenantLoadException if the source cannot be read, there is no usable wrapper, or compilation fails or
     *                             times out (the message holds the compiler's first {@value #MAX_ERROR_OUTPUT} bytes
     *                             of output)
     */
    public byte[] build(String tenant, Path source) throws TenantLoadException {
        byte[] code = readSource(tenant, source);
        String name = source.getFileName().toString();
        return cachedOrBuilt(tenant, source, CPP, compiler, List.of(new SourceFile(name, code)), name, "", Map.of());
    }

    /**
     * The program of {@code tenant} built from the Rust crate in directory {@code crate}: from the cache if this crate
     * (every file outside {@code target/} and hidden directories, by path and contents) was built with the same
     * wrapper version before, else built now with {@code tenant-cargo} (and cached). The crate is copied into a fresh
     * directory first, so the build sees exactly the files in the key; the wrapper keeps its standard-library build
     * in {@link #rustBuildDirectory()}, so only the first crate per target pays for it.
     *
     * @throws TenantLoadException if the crate cannot be read (not a directory with {@code Cargo.toml}, a symbolic
     *                             link, more than {@value #MAX_CRATE_FILES} files or {@value #MAX_CRATE_BYTES} bytes),
     *                             there is no usable wrapper, or the build fails or times out (the message holds
     *                             cargo's first {@value #MAX_ERROR_OUTPUT} bytes of output)
     */
    public byte[] buildCrate(String tenant, Path crate) throws TenantLoadException {
        List<SourceFile> files = readCrate(tenant, crate);
        refuseBuildTimeCode(tenant, crate, files);
        return cachedOrBuilt(tenant, crate, RUST, cargo, files, "crate", "crate/",
                Map.of("RISCV_SANDBOX_RUST_BUILD_DIR", rustBuildDirectory().toString()));
    }

    /**
     * Refuses what would make cargo run the crate's own code on the host, or read outside the crate, while building:
     * a build script ({@code build.rs} or a {@code build} key), a procedural macro, and {@code path} dependencies (the
     * SDK is supplied by {@code tenant-cargo}: depend on it by name). The check reads the manifest's text: a crate
     * that needs any of these is not a {@code rust:} tenant (build it yourself and configure the ELF). It does not make
     * untrusted sources safe to build: macros such as {@code include_bytes!} can still read files the build user can
     * read (see docs/tenants.md).
     */
    private static void refuseBuildTimeCode(String tenant, Path crate, List<SourceFile> files)
            throws TenantLoadException {
        for (SourceFile f : files) {
            if (f.path.equals("build.rs")) {
                throw new TenantLoadException(tenant, "the Rust crate " + crate + " has a build script (build.rs), "
                        + "which would run on the host: not allowed for rust: tenants");
            }
            if (f.path.equals("Cargo.toml")) {
                String manifest = new String(f.bytes, StandardCharsets.UTF_8);
                for (String line : manifest.split("\n")) {
                    String l = line.strip();
                    String why = l.matches("build\\s*=.*") ? "a build script (build = ...)"
                            : l.matches("proc-macro\\s*=\\s*true.*") ? "a procedural macro (proc-macro = true)"
                            : l.matches(".*\\bpath\\s*=.*") ? "a path dependency or target path (path = ...)"
                            : null;
                    if (why != null) {
                        throw new TenantLoadException(tenant, "the Rust crate " + crate + "'s Cargo.toml has " + why
                                + ", which rust: tenants may not use (code run or files read at build time; depend "
                                + "on riscv-sandbox-guest by name): " + l);
                    }
                }
            }
        }
    }

    /**
     * The cached program for {@code files} and the wrapper's version, or one built now: the files are written under
     * {@code prefix} in a fresh directory and the wrapper is run on {@code input} there (with {@code env} added).
     */
    private byte[] cachedOrBuilt(String tenant, Path source, Language l, Tool tool, List<SourceFile> files,
                                 String input, String prefix, Map<String, String> env) throws TenantLoadException {
        Path wrapper = requireTool(tenant, tool, l);
        String version = version(tenant, wrapper, l);
        String key = key(l.scheme, version, files);
        Path cached = cacheDirectory.resolve(key + ".elf");
        synchronized (LOCKS[Math.floorMod(key.hashCode(), LOCKS.length)]) {
            prepareCache(tenant);
            if (Files.isRegularFile(cached, LinkOption.NOFOLLOW_LINKS)) {
                LOG.log(Level.DEBUG, "tenant ''{0}'': {1} is cached as {2}", tenant, source, cached);
                return readBinary(tenant, cached);
            }
            List<SourceFile> copies = new ArrayList<>(files.size() + 1);
            for (SourceFile f : files) {
                copies.add(new SourceFile(prefix + f.path, f.bytes));
            }
            if (l == RUST) {
                // the crate's workspace root, so that cargo never looks above the build directory for one (a
                // Cargo.toml in a shared temp directory could otherwise take the build over)
                copies.add(new SourceFile("Cargo.toml", CRATE_WORKSPACE));
            }
            return compile(tenant, source, wrapper, version, l, input, copies, env, cached);
        }
    }

    /** The crate's files, sorted by path: everything but {@code target/} and hidden files and directories. */
    private static List<SourceFile> readCrate(String tenant, Path crate) throws TenantLoadException {
        if (!Files.isRegularFile(crate.resolve("Cargo.toml"))) {
            throw new TenantLoadException(tenant, crate + " is not a Rust crate: it has no Cargo.toml");
        }
        List<Path> paths = new ArrayList<>();
        try {
            Files.walkFileTree(crate, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir,
                        BasicFileAttributes attrs) {
                    if (!dir.equals(crate) && (dir.getFileName().toString().startsWith(".")
                            || dir.equals(crate.resolve("target")))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file,
                        BasicFileAttributes attrs) throws IOException {
                    if (!file.getFileName().toString().startsWith(".")) {
                        if (!attrs.isRegularFile()) {
                            throw new IOException(crate.relativize(file) + " is not a regular file (symbolic links "
                                    + "are not followed in a crate)");
                        }
                        paths.add(file);
                        if (paths.size() > MAX_CRATE_FILES) {
                            throw new IOException("more than " + MAX_CRATE_FILES + " files");
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            List<SourceFile> files = new ArrayList<>(paths.size());
            long total = 0;
            for (Path p : paths) {
                total += Files.size(p);
                if (total > MAX_CRATE_BYTES) {
                    throw new IOException("more than " + MAX_CRATE_BYTES + " bytes");
                }
                String relative = crate.relativize(p).toString().replace(File.separatorChar, '/');
                files.add(new SourceFile(relative, Files.readAllBytes(p)));
            }
            files.sort(Comparator.comparing(SourceFile::path));
            return files;
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot read the Rust crate " + crate + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readSource(String tenant, Path source) throws TenantLoadException {
        try {
            long size = Files.size(source);
            if (size > MAX_SOURCE_BYTES) {
                throw new TenantLoadException(tenant, source + " is " + size + " bytes; a source may have at most "
                        + MAX_SOURCE_BYTES);
            }
            return Files.readAllBytes(source);
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot read " + source + ": " + e, e);
        }
    }

    /**
     * What the messages call a wrapper, how to configure it, and the first line of its cache keys (never change it:
     * that would rebuild every cached program).
     */
    private record Language(String compiler, String property, String environment, String relative, String scheme) {
    }

    private static final Language CPP = new Language("C++ tenant compiler", COMPILER_PROPERTY, COMPILER_ENVIRONMENT,
            DEFAULT_WRAPPER, "riscv-sandbox source tenant 1");
    private static final Language RUST = new Language("Rust tenant builder", CARGO_PROPERTY, CARGO_ENVIRONMENT,
            DEFAULT_CARGO, "riscv-sandbox rust crate 1");

    private static Path requireTool(String tenant, Tool tool, Language l) throws TenantLoadException {
        if (tool == null) {
            throw new TenantLoadException(tenant, "no " + l.compiler + ": set the system property " + l.property
                    + " or the environment variable " + l.environment + " to the SDK's " + l.relative
                    + " (or run from a directory that contains " + l.relative + ")");
        }
        if (!Files.isRegularFile(tool.path) || !Files.isExecutable(tool.path)) {
            throw new TenantLoadException(tenant, "no " + l.compiler + ": " + tool.path + " (" + tool.origin
                    + ") is not an executable file; set the system property " + l.property
                    + " or the environment variable " + l.environment + " to the SDK's " + l.relative);
        }
        return tool.path.toAbsolutePath();
    }

    /** The wrapper's {@code --version} line (it changes with the toolchain and the SDK). */
    private String version(String tenant, Path wrapper, Language l) throws TenantLoadException {
        Run r = run(tenant, List.of(wrapper.toString(), "--version"), Path.of("").toAbsolutePath(), Map.of());
        if (r.timedOut) {
            throw new TenantLoadException(tenant, wrapper + " --version did not answer within " + seconds());
        }
        String out = r.text(MAX_ERROR_OUTPUT).strip();
        if (r.status != 0 || out.isEmpty()) {
            throw new TenantLoadException(tenant, "the " + l.compiler + " " + wrapper + " failed: --version exited"
                    + " with status " + r.status + (out.isEmpty() ? "" : ":\n" + out));
        }
        int newline = out.indexOf('\n');
        return newline < 0 ? out : out.substring(0, newline);
    }

    /** The workspace manifest written next to a staged crate. */
    private static final byte[] CRATE_WORKSPACE = ("# written by riscv-sandbox: the staged crate's workspace root\n"
            + "[workspace]\nmembers = [\"crate\"]\nresolver = \"2\"\n").getBytes(StandardCharsets.UTF_8);

    /** One input file of a build: its path relative to the source (a file name, or a path in a crate). */
    private record SourceFile(String path, byte[] bytes) {
    }

    /** The cache key: a SHA-256 over the scheme, the wrapper's version and every input file (path, size, bytes). */
    private static String key(String scheme, String version, List<SourceFile> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        sha.update((scheme + "\n" + version + "\n").getBytes(StandardCharsets.UTF_8));
        for (SourceFile f : files) {
            sha.update((f.path + "\n" + f.bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(f.bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Creates the cache directory (owner only) and refuses one that others may write to. */
    private void prepareCache(String tenant) throws TenantLoadException {
        try {
            boolean posix = Files.getFileStore(existingAncestor(cacheDirectory))
                    .supportsFileAttributeView(PosixFileAttributeView.class);
            if (!Files.isDirectory(cacheDirectory, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = cacheDirectory.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    if (posix) {
                        Files.createDirectory(cacheDirectory, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectory(cacheDirectory);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // created concurrently; checked below
                }
            }
            if (posix) {
                PosixFileAttributes a = Files.readAttributes(cacheDirectory, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory()) {
                    throw new TenantLoadException(tenant, "the tenant build cache " + cacheDirectory
                            + " is not a directory");
                }
                Set<PosixFilePermission> p = a.permissions();
                if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new TenantLoadException(tenant, "the tenant build cache " + cacheDirectory + " ("
                            + PosixFilePermissions.toString(p) + ", owner " + a.owner().getName() + ") may be written "
                            + "by other users; make it writable by its owner only, or set " + CACHE_PROPERTY);
                }
            }
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot use the tenant build cache " + cacheDirectory + ": " + e, e);
        }
    }

    private static Path existingAncestor(Path p) {
        Path a = p;
        while (a != null && !Files.exists(a)) {
            a = a.getParent();
        }
        return a == null ? p.getRoot() : a;
    }

    /**
     * Builds in a fresh directory of the cache: writes {@code files} under {@code input} (a file name for C++, a
     * directory for a crate), runs {@code wrapper INPUT -o OUTPUT} there with {@code env} added, and moves the
     * program to {@code cached}.
     */
    private byte[] compile(String tenant, Path source, Path wrapper, String version, Language l, String input,
                           List<SourceFile> files, Map<String, String> env, Path cached) throws TenantLoadException {
        Path work = null;
        try {
            work = Files.createTempDirectory(cacheDirectory, "build-");
            for (SourceFile f : files) {
                Path copy = work.resolve(f.path).normalize();
                if (!copy.startsWith(work)) {
                    throw new TenantLoadException(tenant, "file " + f.path + " of " + source + " is outside it");
                }
                Files.createDirectories(copy.getParent());
                Files.write(copy, f.bytes);
            }
            Path output = work.resolve("tenant.elf");
            LOG.log(Level.INFO, "tenant ''{0}'': building {1} with {2}", tenant, source, version);
            long start = System.nanoTime();
            Run r = run(tenant, List.of(wrapper.toString(), input, "-o", output.toString()), work, env);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (r.timedOut) {
                String message = "building " + source + " took longer than " + seconds() + " and was stopped"
                        + excerpt(r, "\n");
                LOG.log(Level.ERROR, "tenant ''{0}'': {1}", tenant, message);
                throw new TenantLoadException(tenant, message);
            }
            if (r.status != 0) {
                String message = (l == CPP ? "C++ compilation of " : "Rust build of ") + source + " failed (exit status "
                        + r.status + ")" + excerpt(r, ":\n");
                LOG.log(Level.ERROR, "tenant ''{0}'': {1}", tenant, message);
                throw new TenantLoadException(tenant, message);
            }
            if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
                throw new TenantLoadException(tenant, "building " + source + " succeeded but wrote no program ("
                        + wrapper + " must write the file given after -o)" + excerpt(r, ":\n"));
            }
            byte[] program = readBinary(tenant, output);
            try {
                Files.move(output, cached, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another process cached the same build first (same key: same source and SDK); keep theirs
                LOG.log(Level.DEBUG, "tenant ''{0}'': {1} was cached concurrently", tenant, cached);
            }
            LOG.log(Level.INFO, "tenant ''{0}'': built {1} in {2} ms ({3} bytes, cached as {4})", tenant, source,
                    millis, program.length, cached.getFileName());
            return program;
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot build " + source + ": " + e, e);
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    private static byte[] readBinary(String tenant, Path file) throws TenantLoadException {
        try {
            long size = Files.size(file);
            if (size > Program.MAX_FILE_SIZE) {
                throw new TenantLoadException(tenant, file + " is " + size + " bytes; the limit is "
                        + Program.MAX_FILE_SIZE);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot read " + file + ": " + e, e);
        }
    }

    private String seconds() {
        long ms = timeout.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static String excerpt(Run r, String separator) {
        String text = r.text(MAX_ERROR_OUTPUT).strip();
        if (text.isEmpty()) {
            return "";
        }
        long more = r.total - Math.min(r.total, MAX_ERROR_OUTPUT);
        return separator + text + (more > 0 ? "\n... (" + more + " more bytes of compiler output)" : "");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Running the wrapper

    /** A finished (or stopped) process: its status and the start of its combined output. */
    private static final class Run {
        int status;
        boolean timedOut;
        byte[] output;
        long total;

        String text(int max) {
            return new String(output, 0, Math.min(output.length, max), StandardCharsets.UTF_8);
        }
    }

    /**
     * Runs {@code argv} (no shell) in {@code dir} with {@code env} added to the environment, under the time limit,
     * capturing stdout and stderr together.
     */
    private Run run(String tenant, List<String> argv, Path dir, Map<String, String> env) throws TenantLoadException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TenantLoadException(tenant, "cannot run " + argv.get(0) + ": " + e, e);
        }
        Run r = new Run();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long[] total = new long[1];
        Thread reader = new Thread(() -> drain(p.getInputStream(), kept, total), "tenant build output");
        reader.setDaemon(true);
        reader.start();
        try {
            closeQuietly(p);
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                r.timedOut = true;
                kill(p);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new TenantLoadException(tenant, "interrupted while running " + argv.get(0), e);
        }
        r.status = r.timedOut ? -1 : p.exitValue();
        synchronized (kept) {
            r.output = kept.toByteArray();
            r.total = total[0];
        }
        return r;
    }

    private static void drain(InputStream in, ByteArrayOutputStream kept, long[] total) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (kept) {
                    int room = MAX_CAPTURE - kept.size();
                    if (room > 0) {
                        kept.write(buf, 0, Math.min(room, n));
                    }
                    total[0] += n;
                }
            }
        } catch (IOException e) {
            // the process was stopped; what was read is kept
        }
    }

    private static void closeQuietly(Process p) {
        try {
            p.getOutputStream().close(); // the wrapper reads nothing
        } catch (IOException e) {
            // it has exited already
        }
    }

    /** Stops the wrapper and everything it started (the compiler, its subprocesses). */
    private static void kill(Process p) {
        List<ProcessHandle> descendants;
        try (Stream<ProcessHandle> d = p.descendants()) {
            descendants = d.toList();
        }
        p.destroyForcibly();
        for (ProcessHandle h : descendants) {
            try (Stream<ProcessHandle> d = h.descendants()) { // started since the first look
                d.forEach(ProcessHandle::destroyForcibly);
            }
            h.destroyForcibly();
        }
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot delete {0}: {1}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "SourceBuilder[compiler " + (compiler == null ? "none" : compiler.path + " (" + compiler.origin + ")")
                + ", cargo " + (cargo == null ? "none" : cargo.path + " (" + cargo.origin + ")") + ", cache "
                + cacheDirectory + ", rust build " + rustBuildDirectory() + ", timeout " + seconds() + "]";
    }
}
