package dev.riscvsandbox.cli;

import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantConfigException;
import dev.riscvsandbox.tenant.TenantVm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * {@code request --tenants tenants.json --host NAME [--method M] [--url /path] [-H 'Name: value']... [--data X]}:
 * runs a tenant's hooks on an in-memory request the way the adapters do, and prints the outcome like
 * {@code curl -i}.
 */
final class RequestCommand {
    static final String USAGE = String.join("\n",
            "usage: riscv-sandbox request --tenants tenants.json --host NAME [--method GET] [--url /path]",
            "                             [-H 'Name: value']... [--data TEXT|@file] [-v]",
            "  -v  also print to stderr, like curl -v, the request as on_recv left it (\"> \" lines)",
            "  runs on_recv, then on_synth or the forge callback, then on_deliver, and prints the response;",
            "  when the request would continue to the application, prints it as forwarded and on_deliver's edits");

    private RequestCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path tenants = null;
        String host = null;
        InMemoryRequest.Builder request = InMemoryRequest.builder();
        boolean hasHost = false;
        boolean verbose = false;
        try {
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--tenants": tenants = Path.of(value(args, ++i, a)); break;
                    case "--host": host = value(args, ++i, a); break;
                    case "--method": request.method(value(args, ++i, a)); break;
                    case "--url": request.uri(value(args, ++i, a)); break;
                    case "-H":
                    case "--header": {
                        String h = value(args, ++i, a);
                        int colon = h.indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("-H expects 'Name: value': " + h);
                        }
                        String name = h.substring(0, colon).trim();
                        hasHost |= name.equalsIgnoreCase("Host");
                        request.header(name, h.substring(colon + 1).trim());
                        break;
                    }
                    case "-v":
                    case "--verbose":
                        verbose = true;
                        break;
                    case "--data": {
                        String d = value(args, ++i, a);
                        request.body(d.startsWith("@") ? Files.readAllBytes(Path.of(d.substring(1)))
                                : d.getBytes(StandardCharsets.UTF_8));
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (tenants == null || host == null) {
                throw new IllegalArgumentException("--tenants and --host are required");
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("riscv-sandbox: " + e.getMessage());
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        if (!hasHost) {
            request.header("Host", host);
        }
        Sandbox sandbox;
        try {
            sandbox = Sandbox.fromFile(tenants);
        } catch (IOException | TenantConfigException e) {
            err.println("riscv-sandbox: " + tenants + ": " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try (sandbox; TenantVm vm = sandbox.fork(host)) {
            HookResult result = vm.onRecv(request.build());
            if (verbose) {
                err.println("* the request as on_recv left it:");
                printRequestHead(err, vm.request(), "> ");
                if (result.decision().isPresent()) {
                    err.println("* decision: " + result.decision().name() + " " + result.decision().value0());
                }
            }
            if (result instanceof HookResult.Synthetic s) {
                printResponse(out, s.response());
            } else if (result instanceof HookResult.Forged f) {
                printResponse(out, vm.onDeliver(f.response()));
            } else if (result instanceof HookResult.Continue c) {
                out.println("# the request continues to the application as:");
                printRequest(out, c.request());
                c.backend().ifPresent(b -> out.println("# upstream: " + b));
                if (c.decision().isPresent()) {
                    out.println("# decision: " + c.decision().name() + " " + c.decision().value0());
                }
                HttpResponse app = InMemoryResponse.builder().status(200).build();
                HttpResponse delivered = vm.onDeliver(app);
                out.println("# on_deliver, given a 200 response without headers from the application, makes it:");
                printResponse(out, delivered);
            }
            out.flush();
            return 0;
        } catch (NoSuchElementException e) {
            err.println("riscv-sandbox: " + e.getMessage());
            out.print("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            return Main.EXIT_USAGE;
        } catch (HookException e) {
            err.println("riscv-sandbox: " + e.getMessage());
            String body = e.status() == 500 ? "Internal Server Error\n" : "Service Unavailable\n";
            printResponse(out, InMemoryResponse.builder().status(e.status()).header("Content-Type", "text/plain")
                    .body(body).build());
            return e.isTimeout() ? Main.EXIT_TIMEOUT : Main.EXIT_FAULT;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static void printRequest(PrintStream out, HttpRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocol()).append("\r\n");
        for (Header h : r.headers()) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("\r\n");
        out.print(sb);
        if (r.body().length > 0) {
            out.write(r.body(), 0, r.body().length);
            out.println();
        }
    }

    private static void printRequestHead(PrintStream out, HttpRequest r, String prefix) {
        out.println(prefix + r.method() + " " + r.uri() + " " + r.protocol());
        for (Header h : r.headers()) {
            out.println(prefix + h.name() + ": " + h.value());
        }
        out.println(prefix.strip());
    }

    /** Prints a response like {@code curl -i}: status line, headers, Content-Length, blank line, body. */
    static void printResponse(PrintStream out, HttpResponse r) {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(r.status());
        if (!r.reason().isEmpty()) {
            sb.append(' ').append(r.reason());
        }
        sb.append("\r\n");
        for (Header h : r.headers()) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("Content-Length: ").append(r.body().length).append("\r\n\r\n");
        out.print(sb);
        out.write(r.body(), 0, r.body().length);
        out.flush();
    }
}
