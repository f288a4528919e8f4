package dev.riscvsandbox.jetty.demo;

import dev.riscvsandbox.tenant.TenantConfigException;
import dev.riscvsandbox.tenant.TenantLoadException;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code java -jar riscv-sandbox-jetty-example.jar [options]}: starts the demo ({@link DemoServer}) and logs what
 * it serves. Run with {@code --help} for the options.
 */
public final class Main {
    /** The environment variable holding the admin endpoint's bearer token. */
    public static final String TOKEN_ENV = "RISCV_SANDBOX_ADMIN_TOKEN";

    private static final String USAGE = String.join("\n",
            "usage: java -jar riscv-sandbox-jetty-example.jar [options]",
            "  --port N                 public port (default 8080; 0 picks a free one)",
            "  --bind ADDRESS           address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --tenants FILE           tenants JSON file (default: the bundled demo tenants)",
            "  --upstream NAME=URL      backend NAME proxies to URL (http://host:port); repeatable;",
            "                           replaces the built-in origin of the same name (app, static)",
            "  --default-upstream NAME  upstream of requests whose tenant chose none (default app)",
            "  --no-origins             do not start the built-in origins",
            "  --admin-port N           enable the live-update endpoint on 127.0.0.1:N (off by default); token from",
            "                           the environment variable " + TOKEN_ENV + " or --admin-token-file",
            "  --admin-token-file FILE  file holding the admin token (at least 16 characters)",
            "  --admin-max-body BYTES   largest program accepted by the admin endpoint (default 2097152)",
            "  --help                   this text");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // one line per record for the JDK's default System.Logger backend
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        DemoServer.Builder builder;
        try {
            builder = parse(args, System.getenv(TOKEN_ENV));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (builder == null) {
            System.out.println(USAGE);
            return;
        }
        DemoServer demo;
        try {
            demo = builder.start();
        } catch (IllegalArgumentException | IOException | TenantConfigException e) { // bad flags, files, a port in use
            System.err.println("error: " + (e instanceof NoSuchFileException ? "no such file: " : "") + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.close();
            } catch (RuntimeException e) {
                System.err.println("shutdown: " + e);
            }
        }, "demo-shutdown"));
        logStartup(demo, System.getLogger("dev.riscvsandbox.jetty.demo"));
        demo.join();
    }

    /** The builder for {@code args}, or null for {@code --help}. */
    static DemoServer.Builder parse(String[] args, String envToken) throws IOException {
        DemoServer.Builder b = DemoServer.builder();
        Integer adminPort = null;
        Path tokenFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0 && !a.startsWith("--upstream=")) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            } else if (a.startsWith("--upstream=")) {
                value = a.substring("--upstream=".length());
                a = "--upstream";
            }
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--no-origins" -> b.builtInOrigins(false);
                case "--port", "--bind", "--tenants", "--upstream", "--default-upstream", "--admin-port",
                        "--admin-token-file", "--admin-max-body" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--port" -> b.port(number(a, value));
                        case "--bind" -> b.bindAddress(value);
                        case "--tenants" -> b.tenantsFile(Path.of(value).toAbsolutePath());
                        case "--upstream" -> {
                            int sep = value.indexOf('=');
                            if (sep <= 0) {
                                throw new IllegalArgumentException("--upstream expects NAME=URL, got " + value);
                            }
                            URI url;
                            try {
                                url = URI.create(value.substring(sep + 1));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("--upstream: bad URL " + value.substring(sep + 1));
                            }
                            b.upstream(value.substring(0, sep), url);
                        }
                        case "--default-upstream" -> b.defaultUpstream(value);
                        case "--admin-port" -> adminPort = number(a, value);
                        case "--admin-token-file" -> tokenFile = Path.of(value);
                        default -> b.adminMaxBody(number(a, value));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (adminPort != null) {
            String token = tokenFile != null ? readTokenFile(tokenFile) : envToken;
            DemoServer.Builder.checkToken(token);
            b.admin(adminPort, token.strip());
        } else if (tokenFile != null) {
            throw new IllegalArgumentException("--admin-token-file without --admin-port");
        }
        return b;
    }

    /**
     * The admin token from a file: at most 4 KiB, readable by its owner only (it is a credential).
     *
     * @throws IllegalArgumentException with a message for the command line
     */
    static String readTokenFile(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                var permissions = Files.getPosixFilePermissions(file);
                if (permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                        || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                    throw new IllegalArgumentException("--admin-token-file " + file + " may be read by other users "
                            + "(" + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): chmod 600 it");
                }
            }
            if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                throw new IllegalArgumentException("--admin-token-file " + file + " must be a file of at most 4 KiB");
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("--admin-token-file " + file + " does not exist");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--admin-token-file " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a number, got " + value);
        }
    }

    static void logStartup(DemoServer demo, Logger log) {
        log.log(Level.INFO, "riscv-sandbox Jetty demo listening on port {0,number,#} ({1} tenants)",
                demo.port(), demo.bundledTenants() ? "bundled" : demo.tenantsFile().toString());
        demo.sandbox().tenants().forEach((name, program) ->
                log.log(Level.INFO, "tenant {0}: loaded ({1})", name, program.config().program().getFileName()));
        for (Map.Entry<String, TenantLoadException> e : demo.sandbox().loadErrors().entrySet()) {
            log.log(Level.ERROR, "tenant {0}: NOT loaded: {1}", e.getKey(), e.getValue().getMessage());
        }
        demo.upstreams().forEach((name, url) -> log.log(Level.INFO, "upstream {0} = {1}{2}", name, url,
                name.equals(demo.defaultUpstream()) ? " (default)" : ""));
        demo.adminPort().ifPresentOrElse(
                p -> log.log(Level.INFO, "admin endpoint on http://127.0.0.1:{0,number,#}/tenants/NAME", p),
                () -> log.log(Level.INFO, "admin endpoint disabled (--admin-port to enable)"));
        String base = "http://localhost:" + demo.port();
        PrintStream out = System.out;
        out.println();
        out.println("Try:");
        out.println("  curl -H 'Host: customer1.com' " + base + "/hello");
        out.println("  curl -H 'Host: rusty.com' " + base + "/hello");
        out.println("  curl -H 'Host: router.example' " + base + "/old/page      # rewritten, proxied to app");
        out.println("  curl -H 'Host: router.example' " + base + "/site.css      # proxied to static");
        out.println("  curl -H 'Host: token.example' -H \"Authorization: Bearer $(printf 'open sesame' | base64)\" "
                + base + "/");
        out.println();
    }
}
