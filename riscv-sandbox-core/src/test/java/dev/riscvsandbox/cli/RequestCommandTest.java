package dev.riscvsandbox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.testutil.GuestBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code request} command: the full hook pipeline on one in-memory request, printed like {@code curl -i}. */
class RequestCommandTest {
    @TempDir
    Path dir;

    private Path tenants() throws IOException {
        Path f = dir.resolve("tenants.json");
        Files.writeString(f, "{\n"
                + "  \"customer1.com\": {\"filename\": \"" + GuestBinaries.path("bench-hello-forge") + "\"},\n"
                + "  \"abi.com\": {\"filename\": \"" + GuestBinaries.path("abi-basic-rv64") + "\"},\n"
                + "  \"bad.com\": {\"filename\": \"" + GuestBinaries.path("abi-misbehave-rv64")
                + "\", \"max_instructions\": 100000}\n"
                + "}\n");
        return f;
    }

    private MainTest.Outcome request(String... args) throws IOException {
        String[] all = new String[args.length + 3];
        all[0] = "request";
        all[1] = "--tenants";
        all[2] = tenants().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return MainTest.cli(all);
    }

    @Test
    void forgedResponsePrintsLikeCurl() throws IOException {
        MainTest.Outcome o = request("--host", "customer1.com", "--url", "/hello");
        assertEquals(0, o.status(), o.err());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n"
                + "{\"message\":\"Hello from RISC-V!\"}", o.out());
    }

    @Test
    void verboseShowsTheRequestAsOnRecvLeftIt() throws IOException {
        Path f = dir.resolve("cpp.json");
        Files.writeString(f, "{\"customer1.com\": {\"filename\": \""
                + GuestBinaries.dir().resolve("../../guest-api-cpp/examples/bin/hello").normalize() + "\"}}");
        MainTest.Outcome o = MainTest.cli("request", "--tenants", f.toString(), "--host", "customer1.com", "--url",
                "/hello", "-v");
        assertEquals(0, o.status(), o.err());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n"
                + "{\"message\":\"Hello from RISC-V!\"}", o.out());
        assertTrue(o.err().contains("> GET /hello HTTP/1.1\n> Host: customer1.com\n> X-Hello: url=/hello\n"),
                o.err());
        assertTrue(o.err().contains("* decision: backend 1"), o.err());
    }

    @Test
    void synthesizedResponse() throws IOException {
        MainTest.Outcome o = request("--host", "abi.com", "--url", "/ok");
        assertEquals(0, o.status(), o.err());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok", o.out());
    }

    @Test
    void continuingRequestIsPrintedAsForwarded() throws IOException {
        MainTest.Outcome o = request("--host", "abi.com", "--method", "POST", "--url", "/decision/pass",
                "-H", "X-Test: 1", "--data", "payload");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("POST /decision/pass HTTP/1.1\r\nX-Test: 1\r\nHost: abi.com\r\n\r\npayload"),
                o.out());
        assertTrue(o.out().contains("# decision: pass"), o.out());
        assertTrue(o.out().contains("HTTP/1.1 200 OK\r\n"), o.out());
    }

    @Test
    void guestTimeoutPrintsThe503AndTheReasonOnStderr() throws IOException {
        MainTest.Outcome o = request("--host", "bad.com", "--url", "/loop");
        assertEquals(Main.EXIT_TIMEOUT, o.status());
        assertTrue(o.out().startsWith("HTTP/1.1 503 Service Unavailable\r\n"), o.out());
        assertTrue(o.err().contains("tenant 'bad.com', on_recv"), o.err());
        assertTrue(o.err().contains("budget"), o.err());
    }

    @Test
    void unknownTenantAndUsageErrors() throws IOException {
        MainTest.Outcome o = request("--host", "nobody.com");
        assertEquals(Main.EXIT_USAGE, o.status());
        assertTrue(o.out().startsWith("HTTP/1.1 403 Forbidden"), o.out());
        assertTrue(o.err().contains("no tenant 'nobody.com'"), o.err());
        assertEquals(Main.EXIT_USAGE, MainTest.cli("request", "--host", "x").status());
        MainTest.Outcome bad = request("--host", "abi.com", "-H", "no colon");
        assertEquals(Main.EXIT_USAGE, bad.status());
        assertTrue(bad.err().contains("-H expects 'Name: value'"), bad.err());
    }
}
