package dev.riscvsandbox.abi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.host.CacheHints;
import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpMessage;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.host.InMemoryResponse;
import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.Sandbox;
import dev.riscvsandbox.tenant.TenantConfig;
import dev.riscvsandbox.tenant.TenantLoadException;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host-call ABI end to end: {@code guests/abi/abi_basic.c}, a freestanding C tenant built for RV64 (rv64gc, lp64d)
 * and RV32 (rv32imac, ilp32), runs every host call along its success paths and along the error paths that return an
 * error value; the tests assert what reaches HTTP (hook results, statuses, headers, bodies, decisions, cache hints)
 * plus the "key=value;" reports the guest writes into a synthetic body or an X-Report header.
 * {@link MisbehavingGuestTest} ({@code abi_misbehave.c}) covers the error paths that fault the request, and
 * {@link AbiPropertyTest} the header syntax, indices, handles, statuses and digests with random inputs.
 *
 * <pre>
 * Coverage: host call → test methods. S: success path, E: error path. Methods are in this class unless marked
 * "Mis" (MisbehavingGuestTest) or "Prop" (AbiPropertyTest). Calls that have no error condition are run with
 * garbage in every argument register instead.
 *
 * 500 FAIL                S failAndAssertFailFaultOnlyTheRequest; Mis initialisationFailures(init-fail)
 *                         E Mis faultsOnRecv(/oversized-fail)
 * 501 ASSERT_FAIL         S failAndAssertFailFaultOnlyTheRequest
 *                         E Mis faultsOnRecv(/wild-assert)
 * 502 PRINT               S printLogAndBreakpoint (captured log)
 *                         E Mis faultsOnRecv(/oversized-print); Mis guestTextCannotForgeLogLines
 * 503 LOG                 S printLogAndBreakpoint
 *                         E Mis faultsOnRecv(/oversized-log); Mis logFloodIsCappedPerVm
 * 504 BREAKPOINT          S printLogAndBreakpoint
 *                         E (no error condition) Mis callsWithoutErrorsIgnoreGarbage
 * 505 SIGNAL              S signalHandlerRunsOnceAfterAFault
 *                         E Mis faultsOnRecv(/signal-loop: the handler loops)
 * 506 IS_STORAGE          S storageVmKeepsStateAcrossRequests (0 in a request, 1 in storage)
 *                         E (no error condition) Mis callsWithoutErrorsIgnoreGarbage
 * 507 REMOTE_CALL         S storageVmKeepsStateAcrossRequests
 *                         E Mis faultsOnRecv(/storage-crash, -loop, -nested, -hash, -wild-func); Mis
 *                           initialisationFailures(init-remote-call); Mis storageSurvivesItsFailures
 * 508 REMOTE_STRING_CALL  S storageStringCall (+ empty result → (0, 0))
 *                         E Mis faultsOnRecv(/storage-no-stop, -wild-result, -oversized)
 * 509 REGISTER_CALLBACK   S registeredFunctionsAndCallbacks
 *                         E Mis faultsOnRecv(/register-callback); Mis faultsOnSynth(/onsynth-register-callback); Mis
 *                           initialisationFailures(init-register-cb-12)
 * 510 DECISION            S decisions; synthDecisionRunsOnSynth; every load (wait_for_requests)
 *                         E Mis faultsOnRecv(/inject-decision, /decision-empty, /decision-long, /decision-synth-42,
 *                           /decision-synth-1000)
 * 511 SET_BACKEND         S backendByIndexAndByName
 *                         E backendByIndexAndByName (256, -1 → -1); Mis initialisationFailures(init-set-backend)
 * 512 BACKEND_DECISION    S forgeRunsTheCallbackAndAnswersWithItsStopResponse; forgePassesThePostBody;
 *                           forgeFastResponse; decisions (/compute)
 *                         E Mis forgeFailures (500); forgeRefusesBodiesOverTheLimit (413)
 * 513 BAN                 S cacheHints
 *                         E Mis faultsOnRecv(/inject-ban, /oversized-ban, /too-many-bans)
 * 514 HASH_DATA           S cacheHints (key = SHA-256 of the data)
 *                         E Mis faultsOnRecv(/oversized-hash, /storage-hash); Mis initialisationFailures(init-hash)
 * 515 PURGE               S cacheHints
 *                         E (no error condition) Mis callsWithoutErrorsIgnoreGarbage
 * 516 SYNTH               S synthFromOnRecv; synthDecisionRunsOnSynth; Prop synthStatusIsAcceptedExactlyIn100To999
 *                         E Mis faultsOnRecv(/synth-42, -1000, -wrap, /inject-ctype,
 *                           /oversized-decision-synth-body); Mis faultsOnSynth(/onsynth-status-42); Mis
 *                           faultsOnDeliver(/deliver-synth); Mis initialisationFailures(init-synth); Prop
 *                           synthStatusIsAcceptedExactlyIn100To999
 * 517 CACHEABLE           S cacheHints
 *                         E Mis initialisationFailures(init-cacheable)
 * 518 TTL                 S cacheHints (RV64; the soft-float RV32 build cannot pass fa0)
 *                         E Mis faultsOnRecv(/ttl-negative, /ttl-nan)
 * 519 FOREACH_FIELD       S foreachUnsetsTheLinesMarkedDeleted (request and response)
 *                         E Mis faultsOnRecv(/foreach-loop, -append, -unset, -recursive, /wild-foreach); Mis
 *                           badWhere(519)
 * 520 FIELD_GET           S headerFieldCalls (a stub: -1)
 *                         E (no error condition) Mis callsWithoutErrorsIgnoreGarbage
 * 521 FIELD_RETRIEVE      S headerFieldCalls; Prop randomFieldCallsFaultOnlyTheRequest
 *                         E headerFieldCalls (too small, INVALID, beyond → -1); Mis faultsOnRecv(/wild-retrieve-buf,
 *                           /where-*); Mis badWhere(521)
 * 522 FIELD_APPEND        S headerFieldCalls (also as a dyncall); Prop headerLinesRoundTripOrAreRejected,
 *                           appendedHeadersReachTheForwardedRequest
 *                         E Mis faultsOnRecv(/inject-*, /oversized-append, /oversized-negative, /wild-append); Mis
 *                           headerTableFullReturnsInvalid; Mis badWhere(522); Prop
 *                           headerLinesUpTo8192BytesAreAccepted
 * 523 FIELD_SET           S headerFieldCalls (header, URL, method)
 *                         E headerFieldCalls (INVALID, 5, beyond → -1); Mis faultsOnRecv(/inject-lf-set,
 *                           /inject-url*, /inject-method, /inject-proto, /inject-set-nocolon, /set-status-field);
 *                           Mis badWhere(523); Prop randomFieldCallsFaultOnlyTheRequest
 * 524 FIELD_COPY          S fieldCopy
 *                         E fieldCopy (missing or INVALID source unsets, INVALID destination → -1); Mis
 *                           badWhere(524); Prop randomFieldCallsFaultOnlyTheRequest
 * 525 FIELD_UNSET         S headerFieldCalls
 *                         E headerFieldCalls (INVALID, beyond → -1); Mis faultsOnRecv(/unset-proto); Mis
 *                           badWhere(525); Prop randomFieldCallsFaultOnlyTheRequest
 * 526 HTTP_ROLLBACK       S rollbackUndoesTheTenantsEdits (request and response)
 *                         E Mis faultsOnRecv(/where-rollback); Mis badWhere(526)
 * 527 HTTP_COPY           S onDeliverEditsStatusAndHeaders; synthDecisionRunsOnSynth
 *                         E onDeliverEditsStatusAndHeaders (index < 6, missing → -1); Mis badWhere(527); Prop
 *                           randomFieldCallsFaultOnlyTheRequest
 * 528 HTTP_STATUS         S onDeliverEditsStatusAndHeaders; onSynthWithoutSynthAnswersItsHead; Prop
 *                           deliverStatusIsAppliedExactlyIn100To999
 *                         E Mis faultsOnRecv(/status-req); Mis faultsOnDeliver(/deliver-status-42, -1000); Mis
 *                           faultsOnSynth(/onsynth-set-status-1000); Mis badWhere(528)
 * 529 HTTP_UNSET_REGEX    S regexCalls
 *                         E Mis faultsOnRecv(/regex-unset-bad-handle, /catastrophic-unset); Mis badWhere(529)
 * 530 HTTP_FIND           S headerFieldCalls (case-insensitive)
 *                         E headerFieldCalls (missing, prefix → -1); Mis faultsOnRecv(/oversized-find,
 *                           /where-negative); Mis badWhere(530)
 * 531 REGEX_COMPILE       S regexCalls (deduplicated; compiled in main() and inherited)
 *                         E Mis faultsOnRecv(/regex-syntax, /too-many-regexes, /oversized-regex,
 *                           /catastrophic-empty); Mis initialisationFailures(init-too-many-regexes)
 * 532 REGEX_MATCH         S regexCalls (also as a dyncall)
 *                         E Mis faultsOnRecv(/regex-handle-*, /regex-freed, /catastrophic,
 *                           /oversized-regex-subject); Prop randomFieldCallsFaultOnlyTheRequest (match)
 * 533 REGEX_SUBST         S regexCalls (first, all, groups)
 *                         E regexCalls (too small → -1); Mis faultsOnRecv(/regex-subst-bad-handle,
 *                           /catastrophic-subst)
 * 534 REGEX_SUBST_FIELD   S regexCalls; Prop randomFieldCallsFaultOnlyTheRequest (substfield)
 *                         E regexCalls (INVALID → -1); Mis faultsOnRecv(/inject-subst-field); Mis badWhere(534)
 * 535 REGEX_FREE          S regexCalls
 *                         E regexCalls (twice → -1); Mis faultsOnRecv(/regex-free-99); Prop
 *                           randomFieldCallsFaultOnlyTheRequest (free)
 * 536 SHA256              S sha256KnownAnswers; Prop sha256MatchesTheJdk
 *                         E sha256KnownAnswers (destination < 32 → 0); Mis faultsOnRecv(/oversized-sha256,
 *                           /wild-sha256-dst)
 * 537 FIELD_RETRIEVE_STR. S headerFieldCalls (short: local buffer; long: heap)
 *                         E headerFieldCalls (missing → -1); Mis faultsOnRecv(/wild-rstring); Mis badWhere(537);
 *                           Prop randomFieldCallsFaultOnlyTheRequest
 * 538 BASE64_DECODE       S base64 (standard and URL alphabets); Prop base64RoundTrips
 *                         E base64 (invalid input, small buffer → -1)
 * 539 REGISTER_FUNCTION   S registeredFunctionsAndCallbacks
 *                         E Mis faultsOnRecv(/register-func, /oversized-function-name); Mis
 *                           initialisationFailures(init-register-func-empty, -long, init-too-many-funcs)
 * 540 BASE64_ENCODE       S base64; Prop base64RoundTrips
 *                         E base64 (small buffer → -1); Mis faultsOnRecv(/oversized-b64)
 * 541 SET_BACKEND_NAME    S backendByIndexAndByName
 *                         E Mis faultsOnRecv(/inject-backend: not a token)
 * 580 malloc              S nativeHeapAndMemoryHelpers
 *                         E nativeHeapAndMemoryHelpers (huge → 0); Mis nonFaultingMisuse(/heap-exhaust)
 * 581 calloc              S nativeHeapAndMemoryHelpers
 *                         E nativeHeapAndMemoryHelpers (overflow → 0)
 * 582 realloc             S nativeHeapAndMemoryHelpers (size 0 frees)
 *                         E Mis faultsOnRecv(/wild-realloc)
 * 583 free                S nativeHeapAndMemoryHelpers (also free(0))
 *                         E Mis faultsOnRecv(/double-free, /wild-free)
 * 584 meminfo             S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/wild-meminfo)
 * 585 memcpy              S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/oversized-memcpy, /wild-memcpy)
 * 586 memset              S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/oversized-memset, /membomb-memset)
 * 587 memmove             S nativeHeapAndMemoryHelpers (both overlaps)
 *                         E Mis faultsOnRecv(/wild-memmove)
 * 588 memcmp              S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/oversized-memcmp)
 * 589 (no call)           S nativeHeapAndMemoryHelpers, Mis nonFaultingMisuse: -ENOSYS (-38), the request goes on
 * 590 strlen              S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/strlen-unterminated, /wild-strlen)
 * 591 strncmp             S nativeHeapAndMemoryHelpers
 *                         E Mis faultsOnRecv(/strncmp-long)
 * STOP 0x7ff00073         S forgeRunsTheCallbackAndAnswersWithItsStopResponse; storageStringCall
 *                         E Mis forgeFailures(/forge?3: no STOP); Mis faultsOnRecv(/storage-no-stop)

 * </pre>
 */
class AbiGuestTest {
    static final String RV64 = "abi-basic-rv64";
    static final String RV32 = "abi-basic-rv32";

    // ---------------------------------------------------------------------------------------------------------------
    // Hooks, isolation, registration

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void hooksGetTheirWhereArgumentsAndTheSnapshotsState(String bin) {
        TenantProgram p = Guests.program(bin);
        for (int round = 0; round < 3; round++) { // every request starts from the snapshot: the counter is always 1
            Map<String, String> r = synthReport(p, Guests.get("/hookargs"));
            Guests.expect(r, "w1", "0", "empty_len", "0", "init_value", "1234", "counter", "1");
            // docs/abi.md: hooks are long hook(int where1, int where2, const char *arg), and on_recv's where2 is
            // INVALID; the RISC-V psABI passes an int sign-extended in its register, so `where2 == -1` must hold
            Guests.expect(r, "w2", "-1", "w2_is_invalid", "1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void argumentsFromTheConfigurationReachMain(String bin) throws Exception {
        TenantProgram p = Guests.load(bin, "one", "two");
        Guests.expect(synthReport(p, Guests.get("/hookargs")), "init_value", "1236");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void registeredFunctionsAndCallbacks(String bin) {
        TenantProgram p = Guests.program(bin);
        assertEquals(Set.of("echo", "sha256", "b64enc", "b64dec", "append_header", "index_op", "storage_total",
                "is_storage", "null"), p.functions());
        assertTrue(p.callback(TenantProgram.ON_RECV).isPresent(), "set by wait_for_requests");
        assertTrue(p.callback(TenantProgram.ON_SYNTH).isPresent(), "set by register_callback(3)");
        assertTrue(p.callback(TenantProgram.ON_DELIVER).isPresent(), "set by register_callback(7)");
        assertTrue(p.callback(2).isEmpty());
        assertNotEquals(0, p.exitAddress(), "wait_for_requests(on_recv, on_exit) sets the exit address");
        try (TenantVm vm = p.fork()) {
            assertEquals("héllo wörld ✓", vm.call("echo", "héllo wörld ✓"));
            assertEquals("", vm.call("echo", ""));
            assertNull(vm.call("null", "x"), "a null result is null");
            assertThrows(IllegalArgumentException.class, () -> vm.call("no_such_function", "x"));
            HookException e = assertThrows(HookException.class, () -> vm.call("append_header", "X-A: b"));
            assertEquals(503, e.status());
            assertEquals("append_header", e.hook());
            assertTrue(e.getMessage().contains("HTTP object 0 is not available"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) {
            vm.onRecv(Guests.get("/decision/pass"));
            assertEquals("X-Fn: 1", vm.call("append_header", "X-Fn: 1"), "after onRecv the request is there");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void tenantsLoadFromJsonConfiguration(String bin) throws Exception {
        String path = Guests.dir().resolve(bin).toString().replace("\\", "\\\\");
        try (Sandbox s = Sandbox.fromJson("{ \"edge\": { \"max_instructions\": 5000000, \"max_memory\": \"16MiB\" },"
                + " \"basic.example\": { \"filename\": \"" + path + "\", \"group\": \"test\", \"arguments\": [\"x\"] },"
                + " \"edge.example\": { \"filename\": \"" + path + "\", \"group\": \"edge\" } }")) {
            assertEquals(Map.of(), s.loadErrors());
            try (TenantVm vm = s.fork("basic.example")) {
                HookResult.Synthetic r = assertInstanceOf(HookResult.Synthetic.class,
                        vm.onRecv(Guests.get("/hookargs")));
                Guests.expect(Guests.report(r.response().body()), "init_value", "1235");
            }
            try (TenantVm vm = s.fork("edge.example")) {
                assertEquals(200, ((HookResult.Synthetic) vm.onRecv(Guests.get("/ok"))).response().status());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP fields

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void headerFieldCalls(String bin) {
        HttpRequest in = Guests.get("/headers", "Host", "example.com", "X-Remove", "bye", "X-Echo", "echo-me");
        HookResult.Continue c = onRecv(bin, in, HookResult.Continue.class);
        Guests.expect(Guests.report(c.request()),
                "append", "9", "find", "9", "find_missing", "-1", "find_prefix", "-1",
                "retrieve_len", "12", "retrieve", "X-Added: one", "retrieve_nul", "1", "retrieve_size_only", "12",
                "retrieve_small", "-1", "retrieve_exact", "12", "retrieve_exact_untouched", "1",
                "retrieve_invalid", "-1", "retrieve_beyond", "-1", "retrieve_unused", "-1",
                "method", "GET", "proto", "HTTP/1.1", "status_field", "-1", "first", "Host: example.com",
                "set", "12", "after_set", "X-Added: two", "set_invalid", "-1", "set_unused", "-1", "set_beyond", "-1",
                "remove_at", "7", "unset", "7", "unset_find", "-1", "unset_invalid", "-1", "unset_beyond", "-1",
                "added_moved", "8", "field_get", "-1",
                "rs_short", "8", "rs_short_local", "1", "rs_short_text", "X-S: abc", "rs_short_nul", "1",
                "rs_long", "31", "rs_long_local", "0", "rs_long_cap", "31",
                "rs_long_text", "X-Long-Header: 0123456789abcdef", "rs_invalid", "-1",
                "dyn_append", "11", "set_url", "18", "set_method", "3");
        assertTrue(c.changed());
        assertEquals("PUT", c.request().method());
        assertEquals("/headers?rewritten", c.request().uri());
        assertEquals("HTTP/1.1", c.request().protocol());
        assertEquals(List.of(new Header("Host", "example.com"), new Header("X-Echo", "echo-me"),
                new Header("X-Added", "two"), new Header("X-S", "abc"),
                new Header("X-Long-Header", "0123456789abcdef"), new Header("X-Dyn", "1")), withoutReport(c.request()));
        assertEquals("pass", c.decision().name());
        assertEquals(3, in.headers().size(), "the host's request object is never modified");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void fieldCopy(String bin) {
        HookResult.Continue c = onRecv(bin, Guests.get("/copy", "X-Src", "source", "X-Dst", "dest", "X-Gone", "bye"),
                HookResult.Continue.class);
        // copy(dst, src) replaces the whole destination line; an INVALID or missing source unsets the destination
        Guests.expect(Guests.report(c.request()), "copy", "13", "copy_dst_invalid", "-1", "copy_src_invalid", "-1",
                "gone_after", "-1", "copy_src_missing", "-1");
        assertEquals(List.of(new Header("X-Src", "source")), withoutReport(c.request()));
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void foreachUnsetsTheLinesMarkedDeleted(String bin) {
        HookResult.Continue c = onRecv(bin, Guests.get("/foreach", "X-Del-1", "a", "X-Keep", "b", "X-Del-2", "c"),
                HookResult.Continue.class);
        Guests.expect(Guests.report(c.request()), "foreach", "3", "calls", "1", "count", "3", "where_ok", "1",
                "flags_ok", "1", "seen", "X-Del-1,X-Keep,X-Del-2,", "del1_after", "-1", "keep_after", "6");
        assertEquals(List.of(new Header("X-Keep", "b")), withoutReport(c.request()));

        // the same on a response, in on_deliver
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/deliver/foreach"));
            HttpResponse out = vm.onDeliver(appResponse());
            Guests.expect(Guests.report(out), "w1", "0", "w2", "2", "foreach", "3", "count", "3",
                    "seen", "Server,X-Internal-A,X-Keep,");
            assertEquals(List.of(new Header("Server", "app"), new Header("X-Keep", "k")), withoutReport(out));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void rollbackUndoesTheTenantsEdits(String bin) {
        HttpRequest in = Guests.get("/rollback", "X-Orig", "o");
        HookResult.Continue c = onRecv(bin, in, HookResult.Continue.class);
        assertEquals(new Decision("rolled-back", 1, 0, 0, false), c.decision(),
                "after rollback: X-Temp gone, URL restored, X-Orig still there");
        assertFalse(c.changed());
        assertSame(in, c.request(), "an unchanged request is passed on as is");

        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/deliver/rollback"));
            HttpResponse app = appResponse();
            assertSame(app, vm.onDeliver(app), "status and header edits rolled back: the response is unchanged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void regexCalls(String bin) {
        HookResult.Continue c = onRecv(bin, Guests.get("/regex"), HookResult.Continue.class);
        Map<String, String> r = Guests.report(c.request());
        Guests.expect(r, "compile_same", "1", "match_url", "1", "match_no", "0", "match_dyn", "1",
                "subst_len", "11", "subst", "hell0 world", "subst_all", "hell0 w0rld", "subst_small", "-1",
                "subst_nofit", "-1", "subst_groups", "mail example at bob now",
                "subst_field", "13", "subst_field_all", "11", "subst_field_invalid", "-1",
                "unset_regex", "2", "unset_regex_again", "0", "free", "0", "free_again", "-1", "recompile_ok", "1",
                "init_handle", "0", "init_handle_match", "1");
        assertTrue(Long.parseLong(r.get("compile")) > 0, "handle 0 is inherited from main(): " + r.get("compile"));
        assertEquals(List.of(new Header("X-Re", "xyz q"), new Header("X-Keep-Re", "b")),
                withoutReport(c.request()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decisions, synth, forge, deliver

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void decisions(String bin) {
        HttpRequest pass = Guests.get("/decision/pass");
        HookResult.Continue c = onRecv(bin, pass, HookResult.Continue.class);
        assertEquals(new Decision("pass", 0, 0, 0, false), c.decision());
        assertSame(pass, c.request());
        assertEquals(Optional.empty(), c.backend());
        assertEquals(CacheHints.NONE, c.cacheHints());

        c = onRecv(bin, Guests.get("/decision/custom"), HookResult.Continue.class);
        assertEquals(new Decision("my-choice", 7, 0, 0, true), c.decision());

        c = onRecv(bin, Guests.get("/compute"), HookResult.Continue.class);
        assertEquals(new Decision("compute", 1, 0x1234, 99, true), c.decision(),
                "forge with function 0: 'compute' with (caching, argument, length)");

        c = onRecv(bin, Guests.get("/nothing-decided"), HookResult.Continue.class);
        assertEquals(Decision.NONE, c.decision());
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void synthFromOnRecv(String bin) {
        HookResult.Synthetic s = onRecv(bin, Guests.get("/synth"), HookResult.Synthetic.class);
        assertEquals(201, s.response().status());
        assertEquals("Created", s.response().reason());
        assertEquals(List.of(new Header("Content-Type", "text/plain; charset=utf-8")), s.response().headers());
        assertEquals("created", new String(s.response().body(), StandardCharsets.UTF_8));
        assertEquals(Decision.NONE, s.decision());

        s = onRecv(bin, Guests.get("/synth/empty-type"), HookResult.Synthetic.class);
        assertEquals(204, s.response().status());
        assertEquals(List.of(), s.response().headers(), "an empty content type adds no header");
        assertEquals(0, s.response().body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void synthDecisionRunsOnSynth(String bin) {
        HookResult.Synthetic s = onRecv(bin, Guests.get("/decision/synth", "X-Echo", "echo-me"),
                HookResult.Synthetic.class);
        assertEquals(new Decision("synth", 404, 0, 0, false), s.decision());
        HttpResponse resp = s.response();
        assertEquals(404, resp.status());
        assertEquals("Not Found", resp.reason());
        assertEquals("<h1>not here</h1>", new String(resp.body(), StandardCharsets.UTF_8));
        Guests.expect(Guests.report(resp), "w1", "0", "w2", "2", "status", "404", "http_copy", "7");
        assertEquals(List.of(new Header("X-Synth", "yes"), new Header("X-Echo", "echo-me")), withoutReport(resp)
                .stream().filter(h -> !h.is("Content-Type")).toList());
        assertEquals(List.of("text/html"), resp.headerValues("Content-Type"),
                "the synth body's type replaces a Content-Type the tenant appended");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void onSynthWithoutSynthAnswersItsHead(String bin) {
        HookResult.Synthetic s = onRecv(bin, Guests.get("/decision/synth-nobody"), HookResult.Synthetic.class);
        HttpResponse resp = s.response();
        assertEquals(418, resp.status(), "on_synth set the status with 528");
        assertEquals("I'm a teapot", resp.reason());
        assertEquals(0, resp.body().length);
        Guests.expect(Guests.report(resp), "status", "404", "set_status", "418", "http_copy", "-1");
        assertEquals(List.of(new Header("X-Synth", "yes")), withoutReport(resp));
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void forgeRunsTheCallbackAndAnswersWithItsStopResponse(String bin) {
        HookResult.Forged f = onRecv(bin, Guests.get("/forge/hello"), HookResult.Forged.class);
        assertTrue(f.cached());
        assertEquals("backend", f.decision().name());
        assertEquals(1, f.decision().value0());
        assertNotEquals(0, f.decision().value1(), "value 1 is the callback's address");
        assertEquals(1, f.decision().value2(), "value 2 is its argument");
        assertTrue(f.decision().paused());
        HttpResponse resp = f.response();
        assertEquals(200, resp.status());
        assertEquals(List.of(new Header("X-Forged", "1"), new Header("Content-Type", "text/plain")), resp.headers(),
                "beresp headers are kept except Content-Type/Content-Length, which the STOP response sets");
        Guests.expect(Guests.report(resp.body()), "url", "/forge/hello", "from_recv", "1", "beresp_status", "200",
                "post_len", "0");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void forgePassesThePostBody(String bin) {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        HookResult.Forged f = onRecv(bin, InMemoryRequest.builder().method("POST").uri("/forge/echo").body(body)
                .build(), HookResult.Forged.class);
        assertFalse(f.cached());
        assertEquals(201, f.response().status());
        assertEquals(List.of("application/octet-stream"), f.response().headerValues("Content-Type"));
        byte[] prefix = "len=300;".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, expected, 0, prefix.length);
        System.arraycopy(body, 0, expected, prefix.length, body.length);
        assertArrayEquals(expected, f.response().body(), "the body reaches the callback byte for byte");

        f = onRecv(bin, InMemoryRequest.builder().method("POST").uri("/forge/echo").build(), HookResult.Forged.class);
        assertEquals("len=0;", new String(f.response().body(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void forgeRefusesBodiesOverTheLimit(String bin) throws Exception {
        TenantProgram p = TenantProgram.load(Guests.config(bin, Limits.DEFAULTS.withMaxRequestBody(16)),
                Guests.bytes(bin));
        try (TenantVm vm = p.fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.builder()
                    .method("POST").uri("/forge/echo").body(new byte[17]).build()));
            assertEquals(413, e.status());
            assertEquals("forge", e.hook());
        }
        try (TenantVm vm = p.fork()) {
            HookResult.Forged f = assertInstanceOf(HookResult.Forged.class, vm.onRecv(InMemoryRequest.builder()
                    .method("POST").uri("/forge/echo").body(new byte[16]).build()));
            assertEquals(16 + "len=16;".length(), f.response().body().length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void forgeFastResponse(String bin) {
        HookResult.Forged f = onRecv(bin, Guests.get("/forge/fast"), HookResult.Forged.class);
        assertEquals(404, f.response().status());
        assertEquals(List.of(new Header("Content-Type", "text/plain")), f.response().headers());
        assertEquals("Not found", new String(f.response().body(), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void onDeliverEditsStatusAndHeaders(String bin) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            assertInstanceOf(HookResult.Continue.class, vm.onRecv(Guests.get("/deliver", "X-Echo", "echo-me")));
            HttpResponse app = appResponse();
            HttpResponse out = vm.onDeliver(app);
            assertEquals(418, out.status());
            assertEquals("I'm a teapot", out.reason(), "a standard reason follows the status");
            assertEquals(List.of(new Header("X-Internal-A", "1"), new Header("X-Keep", "k"),
                    new Header("X-Delivered", "yes"), new Header("X-Echo", "echo-me")), withoutReport(out));
            Guests.expect(Guests.report(out), "w1", "0", "w2", "2", "status_get", "200", "status_set", "418",
                    "status_after", "418", "append", "9", "unset_server", "1", "http_copy", "9",
                    "http_copy_proto", "-1", "http_copy_missing", "-1");
            assertArrayEquals(app.body(), out.body());
        }
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/deliver/reason"));
            HttpResponse out = vm.onDeliver(appResponse());
            assertEquals(299, out.status());
            assertEquals("Fine Thanks", out.reason(), "a custom reason stays when the status changes");
            Guests.expect(Guests.report(out), "set_reason", "11", "status_set", "299");
        }
        try (TenantVm vm = Guests.program(bin).fork()) {
            vm.onRecv(Guests.get("/decision/pass"));
            HttpResponse app = appResponse();
            assertSame(app, vm.onDeliver(app), "on_deliver that changes nothing returns the response itself");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cache hints, backends, logging, failures

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void cacheHints(String bin) throws Exception {
        HookResult.Continue c = onRecv(bin, Guests.get("/hints"), HookResult.Continue.class);
        Map<String, String> r = Guests.report(c.request());
        Guests.expect(r, "ban1", "0", "ban2", "0", "purge", "0", "cacheable_set_false", "0",
                "cacheable_get_false", "0", "cacheable_set_true", "1", "cacheable_get_true", "1", "hash1", "0",
                "hash2", "0");
        assertEquals("hash", c.decision().name());
        CacheHints h = c.cacheHints();
        assertEquals(List.of("req.url ~ /old", "obj.http.x-tag == a"), h.bans());
        assertTrue(h.purge());
        assertEquals(Optional.of(true), h.cacheable());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest("abcdef".getBytes(StandardCharsets.US_ASCII)),
                h.hashKey().orElseThrow(), "the hash key is the SHA-256 of everything passed to hash_data");
        if (bin.endsWith("rv64")) {
            Guests.expect(r, "ttl_get0_ms", "0", "ttl_set_ms", "42500", "ttl_get_ms", "42500");
            assertEquals(42.5, h.ttl().orElseThrow());
        } else {
            assertTrue(h.ttl().isEmpty(), "the soft-float RV32 build never sets a TTL");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void backendByIndexAndByName(String bin) {
        HookResult.Continue c = onRecv(bin, Guests.get("/backend/index"), HookResult.Continue.class);
        Guests.expect(Guests.report(c.request()), "set3", "0", "set256", "-1", "set_neg", "-1");
        assertEquals(Optional.of("3"), c.backend(), "a refused index leaves the earlier choice");
        c = onRecv(bin, Guests.get("/backend/name"), HookResult.Continue.class);
        Guests.expect(Guests.report(c.request()), "set", "0");
        assertEquals(Optional.of("origin_2"), c.backend());
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void printLogAndBreakpoint(String bin) {
        TenantProgram p = Guests.program(bin);
        List<String> logs = Guests.captureGuestLog(() -> Guests.expect(synthReport(p, Guests.get("/print")),
                "print", "17", "print_empty", "0", "log", "19", "breakpoint", "0"));
        assertTrue(logs.contains("[t-" + bin + "] hello from guest"), logs.toString());
        assertTrue(logs.contains("[t-" + bin + "] log line from guest"), logs.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void failAndAssertFailFaultOnlyTheRequest(String bin) {
        TenantProgram p = Guests.program(bin);
        HookException e = Guests.hookFailure(p, Guests.get("/fail"));
        assertEquals(503, e.status());
        assertEquals("on_recv", e.hook());
        assertFalse(e.isTimeout());
        assertInstanceOf(GuestFault.class, e.getCause());
        assertTrue(e.getMessage().contains("assertion failed: boom"), e.getMessage());
        Guests.assertHealthy(p);

        e = Guests.hookFailure(p, Guests.get("/assert"));
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("abi_basic.c:42: on_recv: assertion 'x == 1' failed"), e.getMessage());
        Guests.assertHealthy(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void signalHandlerRunsOnceAfterAFault(String bin) {
        TenantProgram p = Guests.program(bin);
        List<String> logs = Guests.captureGuestLog(() -> {
            HookException e = Guests.hookFailure(p, Guests.get("/signal"));
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("store access fault"), "the original failure is reported: "
                    + e.getMessage());
        });
        assertEquals(1, logs.stream().filter(l -> l.endsWith("signal handler ran: 11")).count(), logs.toString());
        Guests.assertHealthy(p);
        List<String> later = Guests.captureGuestLog(() -> Guests.assertHealthy(p));
        assertTrue(later.stream().noneMatch(l -> l.contains("signal handler")), "the handler was per request");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Storage VM, digests, base64, native heap

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void storageVmKeepsStateAcrossRequests(String bin) throws Exception {
        TenantProgram p = Guests.load(bin);
        Guests.expect(synthReport(p, Guests.get("/storage?5")), "total", "5", "storage_is_storage", "1",
                "is_storage", "0", "request_total", "0");
        Guests.expect(synthReport(p, Guests.get("/storage?7")), "total", "12", "request_total", "0");
        try (TenantVm vm = p.fork()) {
            assertEquals("12", vm.call("storage_total", "0"));
            assertEquals("0", vm.call("is_storage", ""));
        }
        TenantProgram other = Guests.load(bin);
        Guests.expect(synthReport(other, Guests.get("/storage?1")), "total", "1");
        Guests.expect(synthReport(p, Guests.get("/storage?1")), "total", "13");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void storageStringCall(String bin) throws Exception {
        TenantProgram p = Guests.load(bin);
        Guests.expect(synthReport(p, Guests.get("/storage/string?abc")), "len", "4", "result", "abc|", "free", "0",
                "empty_ptr", "0", "empty_len", "0", "storage_log_here", "0");
        Guests.expect(synthReport(p, Guests.get("/storage/string?def")), "len", "8", "result", "abc|def|");
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void sha256KnownAnswers(String bin) throws Exception {
        TenantProgram p = Guests.program(bin);
        Guests.expect(synthReport(p, Guests.get("/sha256")), "empty", "32",
                "empty_hex", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "abc", "32",
                "abc_hex", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "two_block_hex", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                "short_dst", "0", "big_dst", "32");
        String million = "a".repeat(1_000_000);
        try (TenantVm vm = p.fork()) {
            assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                    vm.call("sha256", million));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void base64(String bin) {
        TenantProgram p = Guests.program(bin);
        Guests.expect(synthReport(p, Guests.get("/base64")), "enc_len", "16", "enc", "aGVsbG8sIHdvcmxk",
                "enc_nul", "1", "enc_small", "-1", "enc_empty", "0", "dec_len", "12", "dec", "hello, world",
                "dec_url_len", "2", "dec_url_hex", "fbff", "dec_invalid", "-1", "dec_small", "-1");
        try (TenantVm vm = p.fork()) {
            assertEquals("4pyTIMO8", vm.call("b64enc", "✓ ü"));
            assertEquals("✓ ü", vm.call("b64dec", "4pyTIMO8"));
            assertEquals("ERR", vm.call("b64dec", "not base64!"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {RV64, RV32})
    void nativeHeapAndMemoryHelpers(String bin) {
        Guests.expect(synthReport(Guests.program(bin), Guests.get("/heap")),
                "meminfo", "0", "malloc_ok", "1", "malloc_align", "1", "memset_ret", "1", "memset", "1",
                "calloc_zero", "1", "memcpy_ret", "1", "memcpy", "1", "memcmp_eq", "0", "memcmp_lt", "1",
                "memcmp_gt", "1", "memcmp_zero_len", "0", "realloc_keeps", "1", "chunks_delta", "2", "used_grew", "1",
                "free_shrank", "1", "memmove_fwd", "0101234567", "memmove_back", "2345678989", "strlen", "5",
                "strlen_empty", "0", "strncmp_prefix", "0", "strncmp_lt", "1", "strncmp_gt", "1", "strncmp_nul", "0",
                "strncmp_zero", "0", "malloc_huge", "0", "calloc_overflow", "0", "realloc_zero", "0", "free", "0",
                "free_null", "0", "chunks_back", "1", "malloc_zero_unique", "1", "syscall_589", "-38");
    }

    @Test
    void bothBuildsAgreeOnEveryReport() {
        for (String uri : List.of("/heap", "/sha256", "/base64", "/print")) {
            assertEquals(synthReport(Guests.program(RV64), Guests.get(uri)),
                    synthReport(Guests.program(RV32), Guests.get(uri)), uri);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    private static <T extends HookResult> T onRecv(String bin, HttpRequest request, Class<T> type) {
        try (TenantVm vm = Guests.program(bin).fork()) {
            return assertInstanceOf(type, vm.onRecv(request));
        }
    }

    private static Map<String, String> synthReport(TenantProgram p, HttpRequest request) {
        try (TenantVm vm = p.fork()) {
            HookResult.Synthetic s = assertInstanceOf(HookResult.Synthetic.class, vm.onRecv(request));
            assertEquals(200, s.response().status());
            return Guests.report(s.response().body());
        }
    }

    private static List<Header> withoutReport(HttpMessage m) {
        return m.headers().stream().filter(h -> !h.is("X-Report")).toList();
    }

    static HttpResponse appResponse() {
        return InMemoryResponse.builder().status(200).header("Server", "app").header("X-Internal-A", "1")
                .header("X-Keep", "k").body("app body").build();
    }

    /** Finding, loading and talking to the ABI test guests; shared by the tests of this package. */
    static final class Guests {
        private static final Map<String, TenantProgram> PROGRAMS = new ConcurrentHashMap<>();
        /** The logger guest output and host-call logging go to (TenantProgram.GUEST_LOGGER). */
        static final String GUEST_LOGGER = "dev.riscvsandbox.tenant.guest";

        static {
            // Tests run on the module path and the core module does not read java.logging (it logs through
            // System.Logger); let it read it, so captureGuestLog can install a JUL handler.
            ModuleLayer.boot().findModule("java.logging").ifPresent(Guests.class.getModule()::addReads);
        }

        private Guests() {
        }

        static Path dir() {
            return dev.riscvsandbox.testutil.GuestBinaries.dir();
        }

        static byte[] bytes(String binary) {
            try {
                return Files.readAllBytes(dir().resolve(binary));
            } catch (IOException e) {
                throw new UncheckedIOException("build the ABI guests with `make -C guests abi`", e);
            }
        }

        static TenantConfig config(String binary, Limits limits, String... args) {
            return new TenantConfig("t-" + binary, dir().resolve(binary), "test", List.of(args), limits);
        }

        /** A freshly loaded program (main() runs again, with a storage VM of its own). */
        static TenantProgram load(String binary, String... args) throws TenantLoadException {
            return TenantProgram.load(config(binary, Limits.DEFAULTS, args), bytes(binary));
        }

        /** The program loaded once per binary and shared by the tests using it. */
        static TenantProgram program(String binary) {
            return PROGRAMS.computeIfAbsent(binary, b -> {
                try {
                    return load(b);
                } catch (TenantLoadException e) {
                    throw new AssertionError(e);
                }
            });
        }

        static HttpRequest get(String uri, String... headers) {
            InMemoryRequest.Builder b = InMemoryRequest.builder().uri(uri);
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return b.build();
        }

        /** Parses a guest report: {@code key=value;} pairs. */
        static Map<String, String> report(String text) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String pair : text.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    m.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            return m;
        }

        static Map<String, String> report(byte[] body) {
            return report(new String(body, StandardCharsets.ISO_8859_1));
        }

        /** The X-Report header of a request or response. */
        static Map<String, String> report(HttpMessage message) {
            return report(message.header("X-Report").orElseThrow(() -> new AssertionError("no X-Report in "
                    + message)));
        }

        /** Asserts {@code key, value, key, value, ...} pairs of a report (other keys are ignored). */
        static void expect(Map<String, String> report, String... keysAndValues) {
            Map<String, String> expected = new LinkedHashMap<>();
            Map<String, String> actual = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                expected.put(keysAndValues[i], keysAndValues[i + 1]);
                actual.put(keysAndValues[i], report.get(keysAndValues[i]));
            }
            assertEquals(expected, actual, "report: " + report);
        }

        /** The HookException a request ends with. */
        static HookException hookFailure(TenantProgram p, HttpRequest request) {
            try (TenantVm vm = p.fork()) {
                HookResult r = vm.onRecv(request);
                return fail(request.uri() + " should have failed, but gave " + r);
            } catch (HookException e) {
                return e;
            }
        }

        /** The tenant still answers an ordinary request, from a clean snapshot. */
        static void assertHealthy(TenantProgram p) {
            try (TenantVm vm = p.fork()) {
                HookResult r = vm.onRecv(get("/ok"));
                HookResult.Synthetic s = assertInstanceOf(HookResult.Synthetic.class, r, "/ok after a failure");
                assertEquals(200, s.response().status());
                String body = new String(s.response().body(), StandardCharsets.US_ASCII);
                assertTrue(body.equals("ok") || body.equals("counter=1;"), "/ok answered " + body);
            }
        }

        /** Runs {@code r} and returns the guest log lines it produced, formatted. */
        static List<String> captureGuestLog(Runnable r) {
            return LogCapture.capture(r);
        }

        static String sha256Hex(byte[] data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        static String base64(byte[] data) {
            return Base64.getEncoder().encodeToString(data);
        }
    }

    /**
     * A JUL handler on the guest logger. A class of its own, loaded only once {@link Guests} has made the module read
     * java.logging (the verifier would otherwise load the handler class with Guests, before that).
     */
    static final class LogCapture {
        private LogCapture() {
        }

        static List<String> capture(Runnable r) {
            Logger logger = Logger.getLogger(Guests.GUEST_LOGGER);
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            Handler h = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    lines.add(MessageFormat.format(record.getMessage(), record.getParameters()));
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            logger.addHandler(h);
            boolean parent = logger.getUseParentHandlers();
            logger.setUseParentHandlers(false);
            try {
                r.run();
            } finally {
                logger.removeHandler(h);
                logger.setUseParentHandlers(parent);
            }
            return lines;
        }
    }
}
