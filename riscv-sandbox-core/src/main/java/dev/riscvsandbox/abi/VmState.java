package dev.riscvsandbox.abi;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.host.CacheHints;
import dev.riscvsandbox.host.Decision;
import dev.riscvsandbox.host.Header;
import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.HookResult;
import dev.riscvsandbox.host.HttpRequest;
import dev.riscvsandbox.host.HttpResponse;
import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.machine.Machine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The host side of one VM: its HTTP objects, decision, synthetic or forged response, cache hints, regex handles, XML
 * documents and heap, plus the request pipeline that runs the tenant's hooks. Attached to the machine
 * ({@link Machine#attachment()}), where the host-call handlers find it. One request, one thread.
 */
public final class VmState {
    /** Which hook is running; decides which HTTP objects and calls are available. */
    enum Phase { INIT, IDLE, RECV, SYNTH, FORGE, DELIVER, CALL, STORAGE }

    /** Callback indices (the original's numbering). */
    public static final int ON_RECV = 1, ON_HASH = 2, ON_SYNTH = 3, ON_BACKEND_FETCH = 4, ON_BACKEND_RESPONSE = 5,
            ON_BACKEND_ERROR = 6, ON_DELIVER = 7, ON_HIT = 8, ON_MISS = 9, ON_LIVE_UPDATE = 10, ON_RESUME_UPDATE = 11;
    /** {@code where} values. */
    static final int HDR_REQ = 0, HDR_REQ_TOP = 1, HDR_RESP = 2, HDR_OBJ = 3, HDR_BEREQ = 4, HDR_BERESP = 5;
    static final long INVALID = 0xFFFF_FFFFL;
    /** INVALID as a hook's {@code int} argument: sign-extended, as the calling convention passes an int. */
    private static final long NO_OBJECT = -1;
    /** Regex handles per VM, including those inherited from initialisation. */
    static final int MAX_REGEXES = 16;
    /** Largest body a guest may hand back (synth, forge). */
    static final int MAX_BODY = 16 << 20;
    /** Longest content type and decision name. */
    static final int MAX_CONTENT_TYPE = 256, MAX_DECISION_NAME = 64;
    /** Most bans per request. */
    static final int MAX_BANS = 16;
    /** Longest string a named function may return. */
    static final int MAX_RESULT_STRING = 16 << 10;

    final ProgramContext ctx;
    final boolean storage;
    final NativeHeap heap;
    Phase phase;

    final HttpFields req = new HttpFields();
    final HttpFields resp = new HttpFields();
    final HttpFields bereq = new HttpFields();
    final HttpFields beresp = new HttpFields();
    private HttpRequest request;
    private HttpResponse deliverResponse;
    private boolean received;

    String decisionName = "";
    long[] values = new long[3];
    boolean paused;

    boolean synthesized;
    /** The status on_synth's response started with (for rollback). */
    private int synthStart;
    /** Host → guest calls in progress inside host calls (foreach): decisions are refused there. */
    int nestedCalls;
    int synthStatus;
    String synthType;
    byte[] synthBody;
    String backend;

    List<String> bans;
    boolean purge;
    int cacheable = -1;
    double ttl = Double.NaN;
    private MessageDigest hash;

    final GuardedRegex.Compiled[] regexes = new GuardedRegex.Compiled[MAX_REGEXES];
    /** XML documents parsed in this request (542–548). */
    final XmlDocuments xml = new XmlDocuments();
    long signalHandler;
    long logged;

    private VmState(ProgramContext ctx, boolean storage, NativeHeap heap, Phase phase) {
        this.ctx = ctx;
        this.storage = storage;
        this.heap = heap;
        this.phase = phase;
    }

    /** The state of a program's initial machine, while {@code main()} runs. */
    static VmState forInit(ProgramContext ctx, NativeHeap heap) {
        return new VmState(ctx, false, heap, Phase.INIT);
    }

    /** The state of a request VM forked from the machine that owns {@code parent}. */
    public static VmState forRequest(VmState parent) {
        VmState s = new VmState(parent.ctx, false, parent.heap.forkChild(), Phase.IDLE);
        s.inheritRegexes();
        s.signalHandler = parent.signalHandler;
        return s;
    }

    static VmState forStorage(VmState parent) {
        VmState s = new VmState(parent.ctx, true, parent.heap.forkChild(), Phase.STORAGE);
        s.inheritRegexes();
        return s;
    }

    /** Makes this state as fresh as {@link #forRequest(VmState) forRequest(parent)} would, reusing its objects. */
    public void resetTo(VmState parent) {
        heap.resetTo(parent.heap);
        phase = Phase.IDLE;
        req.clear();
        resp.clear();
        bereq.clear();
        beresp.clear();
        request = null;
        deliverResponse = null;
        received = false;
        decisionName = "";
        if (values[0] != 0 || values[1] != 0 || values[2] != 0) {
            Arrays.fill(values, 0);
        }
        paused = false;
        synthesized = false;
        synthType = null;
        synthBody = null;
        backend = null;
        bans = null;
        purge = false;
        cacheable = -1;
        ttl = Double.NaN;
        hash = null;
        signalHandler = parent.signalHandler;
        logged = 0;
        nestedCalls = 0;
        synthStart = 0;
        inheritRegexes();
        xml.clear();
    }

    /** The regex handles initialisation left; a slot is written only when it differs (usually none does). */
    private void inheritRegexes() {
        GuardedRegex.Compiled[] init = ctx.initRegexes;
        for (int i = 0; i < MAX_REGEXES; i++) {
            GuardedRegex.Compiled r = i < init.length ? init[i] : null;
            if (regexes[i] != r) {
                regexes[i] = r;
            }
        }
    }

    public ProgramContext program() {
        return ctx;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The request pipeline

    /**
     * Runs the receive phase: on_recv; then on_synth if it decided {@code synth}, or the forge callback if it forged a
     * response. Once per VM.
     *
     * @throws HookException if a hook fails (503; 500 for the forge callback; 413 for a body over the limit)
     */
    public HookResult receive(Machine m, HttpRequest request, long maxRequestBody) {
        if (received) {
            throw new IllegalStateException("this VM already received a request");
        }
        received = true;
        this.request = request;
        req.setRequest(request);
        OptionalLong onRecv = ctx.callback(ON_RECV);
        if (onRecv.isPresent()) {
            phase = Phase.RECV;
            req.available = true;
            runHook(m, "on_recv", 503, onRecv.getAsLong(), HDR_REQ, NO_OBJECT, ctx.emptyString);
        }
        if (synthesized) {
            return new HookResult.Synthetic(synthResponse(null), decision(), cacheHints());
        }
        switch (decisionName) {
            case "synth":
                return synth(m);
            case "backend":
                if (values[1] != 0) { // forge (512); a plain decision named "backend" just continues
                    return forge(m, request.body(), maxRequestBody);
                }
                break;
            default:
                break;
        }
        return new HookResult.Continue(forwardedRequest(), req.changed(), Optional.ofNullable(backend), decision(),
                cacheHints());
    }

    private HookResult synth(Machine m) {
        int status = (int) values[0];
        if (status != values[0] || !HttpSyntax.isStatus(status)) {
            throw hookFailure("on_recv", 503, "decision 'synth' with status " + values[0] + " (not in 100..999)");
        }
        synthStart = status;
        resp.startResponse(status);
        OptionalLong onSynth = ctx.callback(ON_SYNTH);
        if (onSynth.isPresent()) {
            phase = Phase.SYNTH;
            req.available = true;
            resp.available = true;
            runHook(m, "on_synth", 503, onSynth.getAsLong(), HDR_REQ, HDR_RESP, ctx.emptyString);
        }
        return new HookResult.Synthetic(synthesized ? synthResponse(resp) : responseHead(resp, new byte[0]),
                decision(), cacheHints());
    }

    private HookResult forge(Machine m, byte[] body, long maxRequestBody) {
        boolean cached = values[0] != 0;
        long trampoline = values[1];
        long argument = values[2];
        bereq.copyFrom(req);
        beresp.startResponse(200);
        req.available = false;
        bereq.available = true;
        beresp.available = true;
        phase = Phase.FORGE;
        long post = 0;
        if (body.length > maxRequestBody) {
            throw hookFailure("forge", 413, "request body of " + body.length + " bytes exceeds the limit of "
                    + maxRequestBody);
        }
        if (body.length > 0) {
            try {
                post = heap.malloc(m, body.length);
                if (post != 0) {
                    m.memory().writeBytes(post, body, 0, body.length);
                }
            } catch (GuestException e) { // out of memory or mappings
                throw new HookException(ctx.tenant, "forge", 500, e);
            }
            if (post == 0) {
                throw hookFailure("forge", 500, "no heap left for a request body of " + body.length + " bytes");
            }
        }
        try {
            runHook(m, "forge", 500, trampoline, argument, post, body.length);
        } finally {
            // BEREQ may still be an untaken copy of the request, which later hooks may change: no hook sees it again
            bereq.available = false;
            beresp.available = false;
        }
        if (!m.callStopped()) {
            throw hookFailure("forge", 500, "the forge callback returned without a response (see docs/abi.md)");
        }
        int status = (int) m.callResult(0);
        if (status != m.callResult(0) || !HttpSyntax.isStatus(status)) {
            throw hookFailure("forge", 500, "forged status " + m.callResult(0) + " is not in 100..999");
        }
        String type;
        byte[] content;
        try {
            type = HostCalls.text(m, m.callResult(1), m.callResult(2), MAX_CONTENT_TYPE, "content type");
            content = HostCalls.bytes(m, m.callResult(3), m.callResult(4), MAX_BODY, "body");
        } catch (GuestException e) {
            throw new HookException(ctx.tenant, "forge", 500, e);
        }
        if (!HttpSyntax.isSafeText(type)) {
            throw hookFailure("forge", 500, "content type contains a control character (such as CR, LF or NUL)");
        }
        HttpResponse forged = new GuestMessages.GuestResponse(status, HttpSyntax.reasonPhrase(status),
                headersWithBody(beresp, type), content);
        return new HookResult.Forged(forged, cached, decision(), cacheHints());
    }

    /**
     * Runs on_deliver (if the program registered it) on the application's response head; returns the head as edited,
     * with {@code response}'s body, or {@code response} itself if nothing changed. Only after {@link #receive}.
     */
    public HttpResponse deliver(Machine m, HttpResponse response) {
        if (!received) {
            throw new IllegalStateException("on_deliver needs the request: call onRecv first");
        }
        OptionalLong onDeliver = ctx.callback(ON_DELIVER);
        if (onDeliver.isEmpty()) {
            return response;
        }
        resp.setResponse(response);
        deliverResponse = response;
        phase = Phase.DELIVER;
        req.available = true;
        resp.available = true;
        bereq.available = false;
        beresp.available = false;
        runHook(m, "on_deliver", 503, onDeliver.getAsLong(), HDR_REQ, HDR_RESP, ctx.emptyString);
        return resp.changed() ? responseHead(resp, response.body()) : response;
    }

    /**
     * Calls a function registered with {@code register_func} as {@code f(const char* arg, size_t len)} and returns
     * the C string it returns (null for a null pointer).
     */
    public String call(Machine m, String name, String argument) {
        OptionalLong f = ctx.function(name);
        if (f.isEmpty()) {
            throw new IllegalArgumentException("tenant '" + ctx.tenant + "' registered no function '" + name + "'");
        }
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        enterCallPhase();
        long ptr;
        try {
            ptr = heap.malloc(m, arg.length + 1L);
            if (ptr == 0) {
                throw new GuestFault(GuestFault.Kind.OUT_OF_MEMORY, 0, 0, "no heap left for the argument");
            }
            m.memory().writeBytes(ptr, arg, 0, arg.length);
            m.memory().store8(ptr + arg.length, 0);
        } catch (GuestException e) {
            throw new HookException(ctx.tenant, name, 503, e);
        }
        long r = runHook(m, name, 503, f.getAsLong(), ptr, arg.length);
        if (m.xlen() == 32) {
            r &= 0xFFFF_FFFFL;
        }
        try {
            return r == 0 ? null : m.memory().readCString(r, MAX_RESULT_STRING);
        } catch (GuestException e) {
            throw new HookException(ctx.tenant, name, 503, e);
        }
    }

    /** Runs callback {@code index} with raw arguments (no HTTP objects) and returns its a0. */
    public long callback(Machine m, int index, long... args) {
        OptionalLong address = ctx.callback(index);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("tenant '" + ctx.tenant + "' registered no callback " + index);
        }
        enterCallPhase();
        return runHook(m, "callback " + index, 503, address.getAsLong(), args);
    }

    /** Named functions and raw callbacks see the request (once received) and nothing else. */
    private void enterCallPhase() {
        phase = Phase.CALL;
        req.available = received;
        resp.available = false;
        bereq.available = false;
        beresp.available = false;
    }

    private long runHook(Machine m, String hook, int status, long address, long... args) {
        try {
            return m.call(address, ctx.maxInstructions, args);
        } catch (GuestException e) {
            runSignalHandler(m);
            throw new HookException(ctx.tenant, hook, status, e);
        } finally {
            phase = Phase.IDLE;
        }
    }

    /** The handler a guest installed with {@code signal} (505) runs once after a failure, on a small budget. */
    private void runSignalHandler(Machine m) {
        long handler = signalHandler;
        if (handler != 0) {
            signalHandler = 0;
            try {
                m.call(handler, HostCalls.SIGNAL_BUDGET, 11);
            } catch (GuestException ignored) {
                // the request has failed already; the handler's own failure changes nothing
            }
        }
    }

    private HookException hookFailure(String hook, int status, String why) {
        return new HookException(ctx.tenant, hook, status, new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0, why));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Results

    Decision decision() {
        return decisionName.isEmpty() ? Decision.NONE
                : new Decision(decisionName, values[0], values[1], values[2], paused);
    }

    CacheHints cacheHints() {
        if (bans == null && !purge && cacheable < 0 && Double.isNaN(ttl) && hash == null) {
            return CacheHints.NONE;
        }
        return new CacheHints(bans == null ? List.of() : bans, purge,
                cacheable < 0 ? Optional.empty() : Optional.of(cacheable == 1),
                Double.isNaN(ttl) ? OptionalDouble.empty() : OptionalDouble.of(ttl),
                hash == null ? Optional.empty() : Optional.of(hash.digest()));
    }

    /** The request as on_recv left it (the original object if unchanged), or null before {@link #receive}. */
    public HttpRequest editedRequest() {
        return request == null ? null : forwardedRequest();
    }

    private HttpRequest forwardedRequest() {
        if (!req.changed()) {
            return request;
        }
        return new GuestMessages.EditedRequest(req.get(HttpFields.METHOD), req.get(HttpFields.URL),
                req.get(HttpFields.PROTO), req.headerLines(), request);
    }

    private HttpResponse synthResponse(HttpFields head) {
        List<Header> headers = head == null ? contentType(synthType) : headersWithBody(head, synthType);
        return new GuestMessages.GuestResponse(synthStatus, HttpSyntax.reasonPhrase(synthStatus), headers, synthBody);
    }

    private static HttpResponse responseHead(HttpFields f, byte[] body) {
        String reason = f.get(HttpFields.REASON);
        return new GuestMessages.GuestResponse(f.status(), reason == null ? "" : reason,
                GuestMessages.withoutFraming(f.headers()), body);
    }

    private static List<Header> contentType(String type) {
        return type.isEmpty() ? List.of() : List.of(new Header("Content-Type", type));
    }

    /**
     * Headers of {@code f} except the ones that describe the body, then {@code Content-Type} (if not empty): the
     * forged or synthetic body replaces the object's.
     */
    private static List<Header> headersWithBody(HttpFields f, String type) {
        if (f.headerCount() == 0) {
            return contentType(type);
        }
        List<Header> all = f.headers();
        List<Header> out = new ArrayList<>(all.size() + 1);
        for (Header h : all) {
            if (!h.is("Content-Type") && !GuestMessages.isFraming(h)) {
                out.add(h);
            }
        }
        if (!type.isEmpty()) {
            out.add(new Header("Content-Type", type));
        }
        return Collections.unmodifiableList(out);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Used by the host calls

    /** The HTTP object {@code where} names, if the running hook may use it. */
    HttpFields http(int where) {
        HttpFields f;
        switch (where) {
            case HDR_REQ:
            case HDR_REQ_TOP:
                f = req;
                break;
            case HDR_RESP:
                f = resp;
                break;
            case HDR_BEREQ:
                f = bereq;
                break;
            case HDR_BERESP:
                f = beresp;
                break;
            case HDR_OBJ:
                throw HostCalls.fault("HTTP object 3 (obj) is not supported: there is no cache object");
            default:
                throw HostCalls.fault("no HTTP object " + where + " (where must be 0..5)");
        }
        if (!f.available) {
            throw HostCalls.fault("HTTP object " + where + " is not available in " + phase.name().toLowerCase());
        }
        return f;
    }

    /** Undoes the tenant's changes to an HTTP object in this request. */
    void rollback(int where) {
        switch (where) {
            case HDR_REQ:
            case HDR_REQ_TOP:
                req.setRequest(request);
                req.available = true;
                break;
            case HDR_RESP:
                if (deliverResponse != null) {
                    resp.setResponse(deliverResponse);
                } else {
                    resp.startResponse(synthStart);
                }
                resp.available = true;
                break;
            case HDR_BEREQ:
                bereq.copyFrom(req);
                bereq.available = true;
                break;
            default:
                beresp.startResponse(200);
                beresp.available = true;
                break;
        }
    }

    MessageDigest hash() {
        if (hash == null) {
            hash = sha256();
        }
        return hash;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    void addBan(String expression) {
        if (bans == null) {
            bans = new ArrayList<>(2);
        }
        if (bans.size() >= MAX_BANS) {
            throw HostCalls.fault("more than " + MAX_BANS + " bans in one request");
        }
        bans.add(expression);
    }
}
