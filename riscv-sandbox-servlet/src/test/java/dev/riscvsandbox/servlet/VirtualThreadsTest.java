package dev.riscvsandbox.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.tenant.Sandbox;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.Test;

/**
 * The filter on virtual threads: Jetty runs the servlets (and so the filter and the tenants' hooks) on virtual
 * threads; requests with on_recv edits, on_deliver and asynchronous completion all answer correctly, and JFR reports
 * no virtual thread pinned in riscv-sandbox code. Needs Java 21 or later: Maven runs this class only in the
 * {@code virtual-threads} execution, with the JDK named in the servlet module's POM (CI checks that it exists).
 */
class VirtualThreadsTest {
    @Test
    void requestsOnVirtualThreads() throws Exception {
        assertTrue(Runtime.version().feature() >= 21, "run by the virtual-threads execution with Java 21+, not "
                + Runtime.version());
        AtomicInteger onVirtual = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        List<String> pinned = new ArrayList<>();
        int pinnedElsewhere = 0;
        Path jfrFile = Files.createTempFile("virtual-threads", ".jfr");

        try (Sandbox sandbox = Sandbox.fromFile(RiscvSandboxFilterTest.EXAMPLES.resolve("tenants.json"))) {
            Server server = new Server(new VirtualThreadPool()); // every Jetty thread is virtual
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            FilterHolder filter = new FilterHolder(RiscvSandboxFilter.builder(sandbox).build());
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder app = new ServletHolder(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) {
                    calls.incrementAndGet();
                    if (VirtualThreads.isVirtualThread()) {
                        onVirtual.incrementAndGet();
                    }
                    String answer = req.getRequestURI() + " " + req.getHeader("X-Rewritten-From");
                    AsyncContext async = req.startAsync();
                    async.start(() -> { // completes on another thread, after a wait
                        try {
                            Thread.sleep(1);
                            async.getResponse().getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                        } catch (IOException | InterruptedException e) {
                            throw new RuntimeException(e);
                        } finally {
                            async.complete();
                        }
                    });
                }
            });
            app.setAsyncSupported(true);
            context.addServlet(app, "/*");
            server.setHandler(context);
            server.start();
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + connector.getLocalPort();
                run(client, base, 2, 100); // warm-up: class loading and initialisation pin, once, by design
                calls.set(0);
                onVirtual.set(0);
                try (Recording jfr = new Recording()) {
                    jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                    jfr.start();
                    run(client, base, 4, 500);
                    jfr.stop();
                    jfr.dump(jfrFile);
                }
            } finally {
                server.stop();
            }
            RiscvSandboxFilterTest.awaitAllVmsClosed(sandbox, "deliver.example");
            RiscvSandboxFilterTest.awaitAllVmsClosed(sandbox, "router.example");
        }
        for (RecordedEvent e : RecordingFile.readAllEvents(jfrFile)) {
            String ours = ourFrames(e);
            if (ours.isEmpty()) {
                pinnedElsewhere++;
            } else {
                pinned.add(ours);
            }
        }
        Files.delete(jfrFile);
        assertEquals(2_000, calls.get());
        assertEquals(calls.get(), onVirtual.get(), "every request ran on a virtual thread");
        assertTrue(pinned.isEmpty(), () -> "virtual threads pinned in riscv-sandbox code: " + pinned);
        System.out.println("VirtualThreadsTest: 2000 requests on virtual threads; pinned events outside "
                + "riscv-sandbox code: " + pinnedElsewhere);
    }

    /** {@code clients} threads each send {@code perClient} requests and check every answer. */
    private static void run(HttpClient client, String base, int clients, int perClient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    String host = i % 2 == 0 ? "router.example" : "deliver.example";
                    String path = "/old/" + id + "-" + i;
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("Host", host).build(), BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r::body);
                    if (host.equals("router.example")) {
                        assertEquals("/new/" + id + "-" + i + " " + path, r.body());
                    } else {
                        assertEquals(path + " null", r.body());
                        assertEquals("RISCV", r.headers().firstValue("X-Goodbye").orElseThrow(),
                                "on_deliver ran before the asynchronous completion committed");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    /** The riscv-sandbox frames of a pinning event's stack, or "" if it has none. */
    private static String ourFrames(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("dev.riscvsandbox.") && !type.endsWith("Test")) {
                sb.append(type).append('.').append(f.getMethod().getName()).append(' ');
            }
        }
        return sb.toString();
    }
}
