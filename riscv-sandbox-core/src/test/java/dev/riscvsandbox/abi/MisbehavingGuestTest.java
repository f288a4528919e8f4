package dev.riscvsandbox.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.GuestExitException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.abi.AbiGuestTest.Guests;
import dev.riscvsandbox.host.CacheHints;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantLoadException;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile tenant ({@code guests/abi/abi_misbehave.c}, RV64 and RV32): every request breaks the machine or the ABI
 * in one way. Each must fail alone, as a {@link HookException} with the right status (503 for on_recv and on_deliver,
 * 500 for forge callbacks), hook, cause and message, within the instruction budget; and the tenant must answer an
 * ordinary request correctly right after (from a clean snapshot, on the recycled VM). Initialisation-time misuse
 * (selected by the tenant's arguments) must fail the load with a clear reason, never the host.
 */
class MisbehavingGuestTest {
    static final String RV64 = "abi-misbehave-rv64";
    static final String RV32 = "abi-misbehave-rv32";

    enum Kind { FAULT, TIMEOUT, EXIT }

    record Case(String uri, Kind kind, String fragment) {
        @Override
        public String toString() {
            return uri;
        }
    }

    private static Case fault(String uri, String fragment) {
        return new Case(uri, Kind.FAULT, fragment);
    }

    private static Case timeout(String uri, String fragment) {
        return new Case(uri, Kind.TIMEOUT, fragment);
    }

    /** Requests whose on_recv must fail with 503. */
    static final List<Case> RECV_FAULTS = List.of(
            // the machine
            timeout("/loop", "instruction budget exhausted after 20000000 instructions"),
            timeout("/loop-hostcalls", "instruction budget exhausted"),
            fault("/membomb", "out of memory"),
            timeout("/membomb-memset", "instruction budget exhausted"), // memset of 256 MiB cannot pay its cost
            fault("/stack-overflow", "store access fault"),
            fault("/wild-read", "load access fault"),
            fault("/wild-write", "store access fault"),
            fault("/wild-jump", "execute access fault"),
            fault("/write-text", "store access fault"),
            fault("/illegal", "illegal instruction"),
            new Case("/exit", Kind.EXIT, "exited with status 3"),
            // host calls handed wild pointers
            fault("/wild-retrieve-buf", "store access fault"),
            fault("/wild-append", "load access fault"),
            fault("/wild-foreach", "execute access fault"),
            fault("/wild-sha256-dst", "store access fault"),
            fault("/wild-assert", "load access fault"),
            fault("/wild-rstring", "store access fault"),
            // header injection and response splitting
            fault("/inject-crlf", "header line contains a control character"),
            fault("/inject-lf-set", "header line contains a control character"),
            fault("/inject-name", "not a header line"),
            fault("/inject-nocolon", "not a header line"),
            fault("/inject-empty-name", "not a header line"),
            fault("/inject-nul", "header line contains a control character"),
            fault("/inject-url", "URL must be non-empty without spaces"),
            fault("/inject-url-crlf", "URL must be non-empty without spaces"),
            fault("/inject-method", "method is not a token"),
            fault("/inject-proto", "not a protocol"),
            fault("/inject-set-nocolon", "not a header line"),
            fault("/inject-subst-field", "not a header line"),
            fault("/inject-ctype", "content type contains a control character"),
            fault("/inject-ban", "ban expression contains a control character"),
            fault("/inject-decision", "decision name must be non-empty text without control characters"),
            fault("/decision-empty", "decision name must be non-empty"),
            fault("/decision-long", "decision: length 65 exceeds the limit of 64"),
            fault("/inject-backend", "backend name is not a token: 'bad name'"),
            // statuses
            fault("/synth-42", "synth status 42 is not in 100..999"),
            fault("/synth-1000", "synth status 1000 is not in 100..999"),
            fault("/synth-wrap", "synth status 65736 is not in 100..999"),
            fault("/decision-synth-42", "decision 'synth' with status 42 (not in 100..999)"),
            fault("/decision-synth-1000", "decision 'synth' with status 1000 (not in 100..999)"),
            fault("/status-req", "only responses (2, 5) have a status, not 0"),
            // oversized lengths
            fault("/oversized-print", "print: length 1073741824 exceeds 16777216"),
            fault("/oversized-log", "log: length 1073741824 exceeds 16777216"),
            fault("/oversized-append", "header line: length 20000 exceeds the limit of 8192"),
            fault("/oversized-negative", "header line: length "),
            fault("/oversized-hash", "hash_data: length 17825792 exceeds the limit of 16777216"),
            fault("/oversized-sha256", "sha256: length "),
            fault("/oversized-ban", "ban expression: length 2000 exceeds the limit of 1024"),
            fault("/oversized-find", "header name: length 9000 exceeds the limit of 8192"),
            fault("/oversized-regex", "regex: length 5000 exceeds the limit of 4096"),
            fault("/oversized-regex-subject", "regex subject: length 2097152 exceeds the limit of 1048576"),
            fault("/oversized-b64", "base64 input: length 9437184 exceeds the limit of 8388608"),
            fault("/oversized-memcpy", "memcpy: length 0x40000000 exceeds 512 MiB"),
            fault("/oversized-memset", "memset: length 0xffffffff"),
            fault("/oversized-memcmp", "memcmp: length 0xffffffff"),
            fault("/oversized-fail", "message: length 20000 exceeds the limit of 16384"),
            fault("/oversized-decision-synth-body", "synth body: length 17825792 exceeds the limit of 16777216"),
            fault("/oversized-function-name", "register_func is only available while main() initialises"),
            // invalid where and index
            fault("/where-9", "no HTTP object 9 (where must be 0..5)"),
            fault("/where-obj", "HTTP object 3 (obj) is not supported"),
            fault("/where-negative", "no HTTP object -1"),
            fault("/where-bereq", "HTTP object 4 is not available in recv"),
            fault("/where-resp", "HTTP object 2 is not available in recv"),
            fault("/where-rollback", "no HTTP object 7"),
            fault("/unset-proto", "field 1 is not a header line and cannot be unset"),
            fault("/set-status-field", "set the status with the status call (528)"),
            // regexes
            fault("/regex-handle-99", "no regex with handle 99"),
            fault("/regex-handle-unused", "no regex with handle 15"),
            fault("/regex-freed", "no regex with handle 0"),
            fault("/regex-free-99", "no regex with handle 99"),
            fault("/regex-syntax", "invalid regex"),
            fault("/regex-unset-bad-handle", "no regex with handle 1234"),
            fault("/regex-subst-bad-handle", "no regex with handle 77"),
            fault("/too-many-regexes", "more than 16 regexes in one VM"),
            fault("/catastrophic", "exceeded 1000000 steps"),
            fault("/catastrophic-subst", "exceeded 1000000 steps"),
            fault("/catastrophic-unset", "exceeded 1000000 steps"),
            fault("/catastrophic-empty", "backtrack"), // refused at compile time, before any match
            // calls reserved for main()
            fault("/register-callback", "register_callback is only available while main() initialises the program"),
            fault("/register-func", "register_func is only available while main() initialises the program"),
            // the native heap and memory helpers
            fault("/double-free", "is not a live heap chunk (double or wild free)"),
            fault("/wild-free", "free: 0x1234 is not a live heap chunk"),
            fault("/wild-realloc", "realloc: not a heap chunk"),
            fault("/wild-memcpy", "store access fault"),
            fault("/wild-memmove", "store access fault"),
            fault("/wild-meminfo", "store access fault"),
            fault("/wild-strlen", "load access fault"),
            fault("/strlen-unterminated", "strlen: no terminator in 64000 bytes"),
            fault("/strncmp-long", "strncmp: strings longer than 64000 bytes"),
            // nested guest calls
            timeout("/foreach-loop", "instruction budget exhausted after 50000 instructions"),
            fault("/foreach-append", "header lines were added or removed during foreach"),
            fault("/foreach-unset", "header lines were added or removed during foreach"),
            fault("/foreach-recursive", "host calls nested more than"),
            fault("/signal-loop", "store access fault"),
            // the storage VM
            fault("/storage-crash", "storage call failed: load access fault"),
            fault("/storage-loop", "storage call failed: instruction budget exhausted"),
            fault("/storage-nested", "storage call is only available while handling a request"),
            fault("/storage-hash", "hash_data is only available while handling a request"),
            fault("/storage-wild-func", "storage call failed: execute access fault"),
            fault("/storage-no-stop", "returned without a result (end it with STOP)"),
            fault("/storage-wild-result", "storage call failed: load access fault"),
            fault("/storage-oversized", "storage call data: length 17825792 exceeds the limit of 16777216"),
            // cache hints
            fault("/too-many-bans", "more than 16 bans in one request"),
            fault("/no-such-route", "assertion failed: no such route"));

    /** Only the double-float RV64 build can pass a TTL. */
    static final List<Case> RECV_FAULTS_RV64 = List.of(
            fault("/ttl-negative", "ttl must be a finite number of seconds >= 0: -1.0"),
            fault("/ttl-nan", "ttl must be a finite number of seconds >= 0: NaN"));

    /** /forge?N: the forge callback misbehaves; the request fails with 500. */
    static final List<Case> FORGE_FAULTS = List.of(
            fault("/forge?1", "forged status 42 is not in 100..999"),
            fault("/forge?2", "forged status 1000 is not in 100..999"),
            fault("/forge?3", "the forge callback returned without a response"),
            timeout("/forge?4", "instruction budget exhausted after 20000000 instructions"),
            fault("/forge?5", "load access fault"),
            fault("/forge?6", "HTTP object 0 is not available in forge"),
            fault("/forge?7", "content type contains a control character"),
            fault("/forge?8", "load access fault"),
            fault("/forge?9", "body: length 2147483647 exceeds the limit of 16777216"),
            fault("/forge?10", "header line contains a control character"),
            fault("/forge?11", "content type: length 300 exceeds the limit of 256"),
            fault("/forge-wild-func", "execute access fault"));

    /** on_recv decides synth 200; on_synth misbehaves (503). */
    static final List<Case> SYNTH_FAULTS = List.of(
            fault("/onsynth-status-42", "synth status 42 is not in 100..999"),
            fault("/onsynth-set-status-1000", "status 1000 is not in 100..999"),
            fault("/onsynth-bereq", "HTTP object 4 is not available in synth"),
            fault("/onsynth-inject", "header line contains a control character"),
            fault("/onsynth-register-callback", "register_callback is only available while main() initialises"),
            timeout("/onsynth-loop", "instruction budget exhausted after 20000000 instructions"));

    /** on_recv lets these through; on_deliver misbehaves (503). */
    static final List<Case> DELIVER_FAULTS = List.of(
            fault("/deliver-status-42", "status 42 is not in 100..999"),
            fault("/deliver-status-1000", "status 1000 is not in 100..999"),
            fault("/deliver-synth", "synth is available in on_recv and on_synth only"),
            fault("/deliver-bereq", "HTTP object 4 is not available in deliver"),
            fault("/deliver-inject", "header line contains a control character"),
            fault("/deliver-reason-crlf", "reason contains a control character"),
            timeout("/deliver-loop", "instruction budget exhausted"));

    static Stream<Arguments> recvFaults() {
        return Stream.concat(
                Stream.of(RV64, RV32).flatMap(b -> RECV_FAULTS.stream().map(c -> Arguments.of(b, c))),
                RECV_FAULTS_RV64.stream().map(c -> Arguments.of(RV64, c)));
    }

    static Stream<Arguments> forgeFaults() {
        return Stream.of(RV64, RV32).flatMap(b -> FORGE_FAULTS.stream().map(c -> Arguments.of(b, c)));
    }

    static Stream<Arguments> synthFaults() {
        return Stream.of(RV64, RV32).flatMap(b -> SYNTH_FAULTS.stream().map(c -> Arguments.of(b, c)));
    }

    static Stream<Arguments> deliverFaults() {
        return Stream.of(RV64, RV32).flatMap(b -> DELIVER_FAULTS.stream().map(c -> Arguments.of(b, c)));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recvFaults")
    void faultsOnRecv(String bin, Case c) {
        TenantProgram p = Guests.program(bin);
        HookException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Guests.hookFailure(p, request(c.uri())));
        check(e, c, "on_recv", 503);
        Guests.assertHealthy(p);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("forgeFaults")
    void forgeFailures(String bin, Case c) {
        TenantProgram p = Guests.program(bin);
        HookException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Guests.hookFailure(p, request(c.uri())));
        check(e, c, "forge", 500);
        Guests.assertHealthy(p);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("synthFaults")
    void faultsOnSynth(String bin, Case c) {
        TenantProgram p = Guests.program(bin);
        HookException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Guests.hookFailure(p, request(c.uri())));
        check(e, c, "on_synth", 503);
        Guests.assertHealthy(p);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("deliverFaults")
    void faultsOnDeliver(String bin, Case c) {
        TenantProgram p = Guests.program(bin);
        HookException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (TenantVm vm = p.fork()) {
                assertInstanceOf(HookResult.Continue.class, vm.onRecv(request(c.uri())));
                HttpResponse r = vm.onDeliver(AbiGuestTest.appResponse());
                return fail(c.uri() + " should have failed in on_deliver, but gave " + r);
            } catch (HookException x) {
                return x;
            }
        });
        check(e, c, "on_deliver", 503);
        Guests.assertHealthy(p);
    }

    /** where = 9 for each call that takes one: the request faults, whichever call it is. */
    @ParameterizedTest(name = "{0} call {1}")
    @MethodSource("badWhereCalls")
    void badWhere(String bin, int call) {
        TenantProgram p = Guests.program(bin);
        HookException e = Guests.hookFailure(p, request("/bad-where?" + call));
        String fragment = call == HostCalls.HTTP_STATUS ? "only responses (2, 5) have a status, not 9"
                : "no HTTP object 9 (where must be 0..5)";
        check(e, fault("/bad-where?" + call, fragment), "on_recv", 503);
        Guests.assertHealthy(p);
    }

    static Stream<Arguments> badWhereCalls() {
        return Stream.of(RV64, RV32).flatMap(b -> Stream.of(519, 521, 522, 523, 524, 525, 526, 527, 528, 529, 530,
                534, 537).map(n -> Arguments.of(b, n)));
    }

    private static void check(HookException e, Case c, String hook, int status) {
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(hook, e.hook());
        assertTrue(e.tenant().startsWith("t-abi-misbehave-"), e.tenant());
        assertTrue(e.getMessage().contains(c.fragment()), "expected '" + c.fragment() + "' in: " + e.getMessage());
        switch (c.kind()) {
            case TIMEOUT -> {
                assertTrue(e.isTimeout(), e.getMessage());
                assertInstanceOf(GuestTimeoutException.class, e.getCause());
            }
            case EXIT -> {
                assertFalse(e.isTimeout());
                assertInstanceOf(GuestExitException.class, e.getCause());
            }
            default -> {
                assertFalse(e.isTimeout(), e.getMessage());
                assertInstanceOf(GuestFault.class, e.getCause());
            }
        }
    }

    private static HttpRequest request(String uri) {
        return Guests.get(uri, "Host", "misbehave.example", "X-Victim", "v");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Misuse that must not fail the request

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void nonFaultingMisuse(String bin) {
        TenantProgram p = Guests.program(bin);
        Guests.expect(report(p, "/unknown-syscall"), "s777", "-38", "s589", "-38");
        Guests.expect(report(p, "/bad-index"), "retrieve", "-1", "retrieve_huge", "-1", "set", "-1", "unset", "-1",
                "copy", "-1", "http_copy", "-1", "rstring", "-1");
        for (int round = 0; round < 2; round++) { // the next request gets the whole arena again
            long chunks = Long.parseLong(report(p, "/heap-exhaust").get("chunks"));
            assertTrue(chunks >= 500 && chunks < 512, "1 MiB chunks of the 512 MiB arena: " + chunks);
        }
        try (TenantVm vm = p.fork()) {
            HookResult.Continue c = assertInstanceOf(HookResult.Continue.class, vm.onRecv(request("/deliver-hash")));
            assertEquals(CacheHints.NONE, c.cacheHints());
            assertEquals(200, vm.onDeliver(AbiGuestTest.appResponse()).status());
        }
        Guests.assertHealthy(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void callsWithoutErrorsIgnoreGarbage(String bin) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            HookResult.Synthetic s = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(request("/garbage-args")));
            Guests.expect(Guests.report(s.response().body()), "breakpoint", "0", "is_storage", "0", "purge", "0",
                    "field_get", "-1");
            assertTrue(s.cacheHints().purge());
        }
        Guests.assertHealthy(Guests.program(bin));
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void headerTableFullReturnsInvalid(String bin) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            HookResult.Synthetic s = assertInstanceOf(HookResult.Synthetic.class,
                    vm.onRecv(InMemoryRequest.get("/too-many-headers")));
            Guests.expect(Guests.report(s.response().body()), "appended", "128", "last", "-1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void logFloodIsCappedPerVm(String bin) {
        TenantProgram p = Guests.program(bin);
        List<String> lines = Guests.captureGuestLog(() -> Guests.expect(report(p, "/log-flood"),
                "logged", Integer.toString(130 * 16000)));
        long logged = lines.stream().mapToLong(String::length).sum();
        assertTrue(logged <= (1 << 20) + lines.size() * 64L, "at most 1 MiB per VM (plus prefixes): " + logged);
        assertTrue(logged >= (1 << 20) - 16000, "the first MiB is logged: " + logged);
        List<String> next = Guests.captureGuestLog(() -> Guests.expect(report(p, "/log-flood"),
                "logged", Integer.toString(130 * 16000)));
        assertEquals(logged, next.stream().mapToLong(String::length).sum(), "the cap is per VM, not per tenant");
    }

    /**
     * Guest text must not forge log lines: every line a guest's print (502) or log (503) produces carries the tenant's
     * prefix (census §4.2: the prefix appears at the start of every line), and fault messages, which quote guest
     * bytes, stay on one line.
     */
    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void guestTextCannotForgeLogLines(String bin) {
        TenantProgram p = Guests.program(bin);
        List<String> lines = new ArrayList<>();
        for (String message : Guests.captureGuestLog(() -> report(p, "/print-multiline"))) {
            lines.addAll(List.of(message.split("\r\n|\r|\n")));
        }
        assertEquals(4, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.startsWith("[t-" + bin + "] "), "every logged line is attributed to the tenant: "
                    + lines);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void faultMessagesStayOnOneLine(String bin) {
        TenantProgram p = Guests.program(bin);
        for (String uri : List.of("/inject-url-crlf", "/inject-proto", "/inject-subst-field")) {
            String message = Guests.hookFailure(p, request(uri)).getMessage();
            assertFalse(message.contains("\r") || message.contains("\n"),
                    uri + ": guest CR/LF is quoted raw in the (logged) message: " + message);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Registered functions, the storage VM, concurrency

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void misbehavingFunctions(String bin) {
        TenantProgram p = Guests.program(bin);
        assertEquals(Set.of("ok", "loop", "wild_result", "unterminated", "req_url"), p.functions());
        assertEquals(0, p.exitAddress(), "wait_for_requests(on_recv, 0) sets no exit address");
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.call("loop", ""));
            assertTrue(e.isTimeout());
            assertEquals("loop", e.hook());
            assertEquals(503, e.status());
        }
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.call("wild_result", ""));
            assertTrue(e.getMessage().contains("load access fault"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.call("unterminated", ""));
            assertTrue(e.getMessage().contains("string longer than 16384 bytes"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.call("req_url", ""));
            assertTrue(e.getMessage().contains("HTTP object 0 is not available in call"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            vm.onRecv(request("/deliver-ok"));
            assertEquals("/deliver-ok", vm.call("req_url", ""));
            assertEquals("ok", vm.call("ok", ""), "the VM serves further calls after its request");
        }
        Guests.assertHealthy(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void storageSurvivesItsFailures(String bin) throws Exception {
        TenantProgram p = Guests.load(bin);
        int expected = 0;
        String previous = "(none)";
        // a storage function that exits (exit_group) is a failure like any other: it fails its request only
        for (String failing : List.of("/storage-crash", "/storage-loop", "/storage-nested", "/storage-hash",
                "/storage-wild-func", "/storage-no-stop", "/storage-wild-result", "/storage-exit", "/storage-crash")) {
            storageCount(p, ++expected, previous);
            HookException e = Guests.hookFailure(p, request(failing));
            assertEquals(503, e.status(), failing);
            assertTrue(e.getMessage().contains("storage call failed"), e.getMessage());
            previous = failing;
        }
        storageCount(p, ++expected, previous);
    }

    private static void storageCount(TenantProgram p, int expected, String after) {
        Map<String, String> r;
        try {
            r = report(p, "/storage-count");
        } catch (HookException e) {
            throw new AssertionError("the storage VM no longer works after " + after + ": " + e.getMessage(), e);
        }
        Guests.expect(r, "count", Integer.toString(expected));
    }

    @Test
    void misbehavingAndOrdinaryRequestsRunSideBySide() throws Exception {
        TenantProgram p = Guests.program(RV64);
        List<String> routes = List.of("/loop", "/ok", "/membomb", "/ok", "/wild-write", "/ok", "/catastrophic",
                "/ok", "/storage-loop", "/ok", "/foreach-loop", "/ok");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                for (String route : routes) {
                    results.add(pool.submit(() -> {
                        try (TenantVm vm = p.fork()) {
                            HookResult r = vm.onRecv(request(route));
                            return new String(((HookResult.Synthetic) r).response().body(), StandardCharsets.US_ASCII);
                        } catch (HookException e) {
                            return "503";
                        }
                    }));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                String route = routes.get(i % routes.size());
                assertEquals(route.equals("/ok") ? "counter=1;" : "503", results.get(i).get(), route);
            }
        } finally {
            pool.shutdownNow();
        }
        Guests.assertHealthy(p);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Initialisation

    static Stream<Arguments> initialisationFailures() {
        List<String[]> cases = List.of(
                new String[] {"init-remote-call", "storage call is only available while handling a request"},
                new String[] {"init-register-cb-12", "register_callback: index 12 is not below 12"},
                new String[] {"init-register-func-empty", "register_func: name length 0 is not in 1..256"},
                new String[] {"init-register-func-long", "register_func: name length 257 is not in 1..256"},
                new String[] {"init-too-many-funcs", "register_func: more than 1024 functions"},
                new String[] {"init-hash", "hash_data is only available while handling a request"},
                new String[] {"init-synth", "synth is available in on_recv and on_synth only"},
                new String[] {"init-set-backend", "set_backend is only available while handling a request"},
                new String[] {"init-cacheable", "set_cacheable is only available while handling a request"},
                new String[] {"init-too-many-regexes", "more than 16 regexes in one VM"},
                new String[] {"init-return", "main() returned (exit status 5) without calling wait_for_requests()"},
                new String[] {"init-loop", "without calling wait_for_requests()"},
                new String[] {"init-fault", "main() faulted before calling wait_for_requests(): load access fault"},
                new String[] {"init-fail", "assertion failed: refusing to start"});
        return Stream.of(RV64, RV32).flatMap(b -> cases.stream().map(c -> Arguments.of(b, c[0], c[1])));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource
    void initialisationFailures(String bin, String mode, String fragment) {
        TenantLoadException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(TenantLoadException.class, () -> Guests.load(bin, mode)));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("t-" + bin), "the message names the tenant: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void aBrokenTenantDoesNotAffectItsNeighbours(String bin) throws Exception {
        String path = Guests.dir().resolve(bin).toString().replace("\\", "\\\\");
        try (Sandbox s = Sandbox.fromJson("{ \"broken.example\": { \"filename\": \"" + path
                + "\", \"arguments\": [\"init-loop\"] }, \"fine.example\": { \"filename\": \"" + path + "\" } }")) {
            assertEquals(Set.of("broken.example"), s.loadErrors().keySet());
            assertEquals(Set.of("fine.example"), s.tenants().keySet());
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> s.fork("broken.example"));
            assertTrue(e.getMessage().contains("without calling wait_for_requests()"), e.getMessage());
            try (TenantVm vm = s.fork("fine.example")) {
                HookResult.Synthetic r = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(request("/ok")));
                assertEquals("counter=1;", new String(r.response().body(), StandardCharsets.US_ASCII));
            }
        }
    }

    private static Map<String, String> report(TenantProgram p, String uri) {
        try (TenantVm vm = p.fork()) {
            HookResult.Synthetic s = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(request(uri)), uri);
            assertEquals(200, s.response().status());
            return Guests.report(s.response().body());
        }
    }
}
