package dev.riscvsandbox.abi;

import dev.riscvsandbox.GuestException;
import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.SyscallHandler;
import dev.riscvsandbox.memory.Memory;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The host calls 500–548 (numbers and registers as in libvmod-riscv, ours from 540 on; see {@code docs/abi.md}, the
 * single source of truth). Every handler finds its VM's {@link VmState} through the machine's attachment, validates every pointer,
 * length, index and handle, and faults the request (never the host) on misuse.
 */
public final class HostCalls {
    public static final int FAIL = 500, ASSERT_FAIL = 501, PRINT = 502, LOG = 503, BREAKPOINT = 504, SIGNAL = 505,
            IS_STORAGE = 506, REMOTE_CALL = 507, REMOTE_STRING_CALL = 508, REGISTER_CALLBACK = 509,
            DECISION = 510, SET_BACKEND = 511, BACKEND_DECISION = 512, BAN = 513, HASH_DATA = 514, PURGE = 515,
            SYNTH = 516, CACHEABLE = 517, TTL = 518, FOREACH_FIELD = 519, FIELD_GET = 520, FIELD_RETRIEVE = 521,
            FIELD_APPEND = 522, FIELD_SET = 523, FIELD_COPY = 524, FIELD_UNSET = 525, HTTP_ROLLBACK = 526,
            HTTP_COPY = 527, HTTP_STATUS = 528, HTTP_UNSET_REGEX = 529, HTTP_FIND = 530, REGEX_COMPILE = 531,
            REGEX_MATCH = 532, REGEX_SUBST = 533, REGEX_SUBST_FIELD = 534, REGEX_FREE = 535, SHA256 = 536,
            FIELD_RETRIEVE_STRING = 537, BASE64_DECODE = 538, REGISTER_FUNCTION = 539, BASE64_ENCODE = 540,
            SET_BACKEND_NAME = 541, XML_PARSE = 542, XML_SET_ATTRIBUTE = 543, XML_GET_ATTRIBUTE = 544,
            XML_SERIALIZE = 545, XML_FREE = 546, XML_GET_TEXT = 547, XML_SET_TEXT = 548, JSON_VALIDATE = 549,
            JSON_EXTRACT = 550;

    /** Budgets of the nested calls host calls make into the guest. */
    static final long FOREACH_BUDGET = 50_000, SIGNAL_BUDGET = 60_000;
    /** What a call into the storage VM costs the caller, on top of the instructions the storage VM runs. */
    static final long REMOTE_CALL_COST = 4000;
    /** Most bytes one print or log call writes, and all of them together in one VM. */
    static final int MAX_LOG_MESSAGE = 16 << 10, MAX_LOG_PER_VM = 1 << 20;
    /** Longest C string argument, assertion texts, ban expressions, backend names. */
    static final int MAX_CSTRING = 16 << 10, MAX_BAN = 1024, MAX_BACKEND_NAME = 256;
    /** Longest buffer argument (hashing, regex subjects, base64 input). */
    static final int MAX_BUFFER = 16 << 20;
    private static final long RESULT_INVALID = -1;

    private HostCalls() {
    }

    /** Installs every host call on {@code m}, a program's initial machine (forks inherit the table). */
    static void install(Machine m) {
        on(m, FAIL, HostCalls::fail);
        on(m, ASSERT_FAIL, HostCalls::assertFail);
        on(m, PRINT, m2 -> print(m2, "print"));
        on(m, LOG, m2 -> print(m2, "log"));
        on(m, BREAKPOINT, m2 -> m2.setReg(10, 0));
        on(m, SIGNAL, m2 -> {
            state(m2).signalHandler = ptr(m2, 1);
            m2.setReg(10, 0);
        });
        on(m, IS_STORAGE, m2 -> m2.setReg(10, state(m2).storage ? 1 : 0));
        on(m, REMOTE_CALL, StorageCalls::remoteCall);
        on(m, REMOTE_STRING_CALL, StorageCalls::remoteStringCall);
        on(m, REGISTER_CALLBACK, Initialisation::registerCallback);
        on(m, DECISION, HostCalls::decision);
        on(m, SET_BACKEND, HostCalls::setBackend);
        on(m, BACKEND_DECISION, HostCalls::backendDecision);
        on(m, BAN, m2 -> {
            requireRequest(state(m2), "ban");
            String ban = text(m2, ptr(m2, 0), len(m2, 1), MAX_BAN, "ban expression");
            requireSafe(ban, "ban expression");
            state(m2).addBan(ban);
            m2.setReg(10, 0);
        });
        on(m, HASH_DATA, HostCalls::hashData);
        on(m, PURGE, m2 -> {
            requireRequest(state(m2), "purge");
            state(m2).purge = true;
            m2.setReg(10, 0);
        });
        on(m, SYNTH, HostCalls::synth);
        on(m, CACHEABLE, HostCalls::cacheable);
        on(m, TTL, HostCalls::ttl);
        on(m, FOREACH_FIELD, HeaderCalls::foreach);
        on(m, FIELD_GET, m2 -> m2.setReg(10, RESULT_INVALID));
        on(m, FIELD_RETRIEVE, HeaderCalls::retrieve);
        on(m, FIELD_APPEND, HeaderCalls::append);
        on(m, FIELD_SET, HeaderCalls::set);
        on(m, FIELD_COPY, HeaderCalls::copy);
        on(m, FIELD_UNSET, HeaderCalls::unset);
        on(m, HTTP_ROLLBACK, HeaderCalls::rollback);
        on(m, HTTP_COPY, HeaderCalls::copyToOther);
        on(m, HTTP_STATUS, HeaderCalls::status);
        on(m, HTTP_UNSET_REGEX, RegexCalls::unsetMatching);
        on(m, HTTP_FIND, HeaderCalls::find);
        on(m, REGEX_COMPILE, RegexCalls::compile);
        on(m, REGEX_MATCH, RegexCalls::match);
        on(m, REGEX_SUBST, RegexCalls::substitute);
        on(m, REGEX_SUBST_FIELD, RegexCalls::substituteField);
        on(m, REGEX_FREE, RegexCalls::free);
        on(m, SHA256, HostCalls::sha256);
        on(m, FIELD_RETRIEVE_STRING, HeaderCalls::retrieveStdString);
        on(m, BASE64_DECODE, HostCalls::base64Decode);
        on(m, REGISTER_FUNCTION, Initialisation::registerFunction);
        on(m, BASE64_ENCODE, HostCalls::base64Encode);
        on(m, SET_BACKEND_NAME, m2 -> {
            requireRequest(state(m2), "set_backend_name");
            String name = text(m2, ptr(m2, 0), len(m2, 1), MAX_BACKEND_NAME, "backend name");
            if (!HttpSyntax.isToken(name)) {
                throw fault("backend name is not a token: " + HttpFields.abbreviate(name));
            }
            state(m2).backend = name;
            m2.setReg(10, 0);
        });
        on(m, XML_PARSE, XmlCalls::parse);
        on(m, XML_SET_ATTRIBUTE, XmlCalls::setAttribute);
        on(m, XML_GET_ATTRIBUTE, XmlCalls::getAttribute);
        on(m, XML_SERIALIZE, XmlCalls::serialize);
        on(m, XML_FREE, XmlCalls::free);
        on(m, XML_GET_TEXT, XmlCalls::getText);
        on(m, XML_SET_TEXT, XmlCalls::setText);
        on(m, JSON_VALIDATE, JsonCalls::validate);
        on(m, JSON_EXTRACT, JsonCalls::extract);
    }

    private static void on(Machine m, int number, SyscallHandler h) {
        m.setSyscallHandler(number, h);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Handlers

    private static void fail(Machine m) {
        throw fault("assertion failed: " + utf8(m, ptr(m, 0), len(m, 1), MAX_CSTRING, "message"));
    }

    private static void assertFail(Machine m) {
        Memory mem = m.memory();
        String expr = mem.readCString(ptr(m, 0), MAX_CSTRING);
        String file = mem.readCString(ptr(m, 1), MAX_CSTRING);
        String function = mem.readCString(ptr(m, 3), MAX_CSTRING);
        throw fault(file + ":" + (int) m.reg(12) + ": " + function + ": assertion '" + expr + "' failed");
    }

    private static void print(Machine m, String kind) {
        VmState s = state(m);
        long length = len(m, 1);
        if (length > MAX_BUFFER) {
            throw fault(kind + ": length " + length + " exceeds " + MAX_BUFFER);
        }
        int shown = (int) Math.min(length, Math.min(MAX_LOG_MESSAGE, Math.max(0, MAX_LOG_PER_VM - s.logged)));
        if (shown > 0) {
            String text = strip(utf8(m, ptr(m, 0), shown, MAX_LOG_MESSAGE, kind));
            s.logged += shown;
            // one log record per line, each tagged: guest text cannot forge lines of another tenant
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String tail = i == lines.length - 1 && shown < length ? " …" : "";
                s.ctx.log.log(Level.INFO, "[{0}] {1}{2}", s.ctx.tenant, GuestText.printable(lines[i]), tail);
            }
        }
        m.setReg(10, length);
    }

    private static String strip(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    private static void decision(Machine m) {
        VmState s = state(m);
        if (s.phase == VmState.Phase.INIT) {
            Initialisation.waitForRequests(m);
            return;
        }
        requireRequest(s, "decision");
        requireOutermost(s, "decision");
        String name = text(m, ptr(m, 0), len(m, 1), VmState.MAX_DECISION_NAME, "decision");
        if (name.isEmpty() || !HttpSyntax.isSafeText(name)) {
            throw fault("decision name must be non-empty text without control characters such as CR, LF or NUL");
        }
        s.decisionName = name;
        s.values[0] = m.reg(12);
        s.values[1] = 0;
        s.values[2] = 0;
        s.paused = m.reg(13) != 0;
        m.setReg(10, 0);
        m.stop();
    }

    private static void setBackend(Machine m) {
        VmState s = state(m);
        requireRequest(s, "set_backend");
        long index = m.reg(10);
        if (index < 0 || index > 255) {
            m.setReg(10, RESULT_INVALID);
            return;
        }
        s.backend = Long.toString(index);
        m.setReg(10, 0);
    }

    private static void backendDecision(Machine m) {
        VmState s = state(m);
        if (s.phase == VmState.Phase.FORGE) {
            m.stop(); // the "fast response": status, content type and body are already in a0..a4
            return;
        }
        requireRequest(s, "forge");
        requireOutermost(s, "forge");
        long caching = m.reg(10) & 0xFFFF_FFFFL;
        long function = ptr(m, 1);
        s.values[0] = caching;
        if (function != 0) {
            s.decisionName = "backend";
            s.values[1] = function;
            s.values[2] = ptr(m, 2);
        } else {
            s.decisionName = "compute";
            s.values[1] = ptr(m, 2);
            s.values[2] = len(m, 3);
        }
        s.paused = true;
        m.setReg(10, 0);
        m.stop();
    }

    private static void hashData(Machine m) {
        VmState s = state(m);
        requireRequest(s, "hash_data");
        byte[] data = chargedBytes(m, ptr(m, 0), len(m, 1), MAX_BUFFER, "hash_data");
        s.hash().update(data);
        m.setReg(10, 0);
    }

    private static void synth(Machine m) {
        VmState s = state(m);
        if (s.phase != VmState.Phase.RECV && s.phase != VmState.Phase.SYNTH) {
            throw fault("synth is available in on_recv and on_synth only");
        }
        requireOutermost(s, "synth");
        int status = (int) (m.reg(10) & 0xFFFF);
        if (!HttpSyntax.isStatus(status) || (m.reg(10) & 0xFFFF_FFFFL) != status) {
            throw fault("synth status " + m.reg(10) + " is not in 100..999");
        }
        String type = text(m, ptr(m, 1), len(m, 2), VmState.MAX_CONTENT_TYPE, "content type");
        requireSafe(type, "content type");
        byte[] body = bytes(m, ptr(m, 3), len(m, 4), VmState.MAX_BODY, "synth body");
        s.synthesized = true;
        s.synthStatus = status;
        s.synthType = type;
        s.synthBody = body;
        m.setReg(10, 0);
        m.stop();
    }

    private static void cacheable(Machine m) {
        VmState s = state(m);
        if (m.reg(10) != 0) {
            requireRequest(s, "set_cacheable");
            s.cacheable = m.reg(11) != 0 ? 1 : 0;
        }
        m.setReg(10, s.cacheable != 0 ? 1 : 0);
    }

    private static void ttl(Machine m) {
        VmState s = state(m);
        if (m.reg(10) != 0) {
            requireRequest(s, "set_ttl");
            double ttl = Double.longBitsToDouble(m.fpr(10));
            if (!(ttl >= 0) || Double.isInfinite(ttl)) {
                throw fault("ttl must be a finite number of seconds >= 0: " + ttl);
            }
            s.ttl = ttl;
        }
        m.setFpr(10, Double.doubleToRawLongBits(Double.isNaN(s.ttl) ? 0.0 : s.ttl));
    }

    private static void sha256(Machine m) {
        long dst = ptr(m, 2);
        if (len(m, 3) < 32) {
            m.setReg(10, 0);
            return;
        }
        byte[] data = chargedBytes(m, ptr(m, 0), len(m, 1), MAX_BUFFER, "sha256");
        byte[] digest = VmState.sha256().digest(data);
        m.memory().writeBytes(dst, digest, 0, 32);
        m.setReg(10, 32);
    }

    private static void base64Decode(Machine m) {
        String src = new String(chargedBytes(m, ptr(m, 0), len(m, 1), MAX_BUFFER, "base64 input"),
                StandardCharsets.ISO_8859_1);
        byte[] out;
        try {
            out = src.indexOf('-') >= 0 || src.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(src)
                    : Base64.getDecoder().decode(src);
        } catch (IllegalArgumentException e) {
            m.setReg(10, RESULT_INVALID);
            return;
        }
        writeResult(m, out, ptr(m, 2), len(m, 3), false);
    }

    private static void base64Encode(Machine m) {
        byte[] src = chargedBytes(m, ptr(m, 0), len(m, 1), MAX_BUFFER / 2, "base64 input");
        writeResult(m, Base64.getEncoder().encode(src), ptr(m, 2), len(m, 3), true);
    }

    /** Writes {@code out} to the guest buffer if it fits (and a NUL after it, when asked and room allows). */
    static void writeResult(Machine m, byte[] out, long dst, long capacity, boolean terminate) {
        if (out.length > capacity) {
            m.setReg(10, RESULT_INVALID);
            return;
        }
        m.memory().writeBytes(dst, out, 0, out.length);
        if (terminate && out.length < capacity) {
            m.memory().store8(dst + out.length, 0);
        }
        m.setReg(10, out.length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Argument access and validation, shared by the host-call classes

    static VmState state(Machine m) {
        Object a = m.attachment();
        if (!(a instanceof VmState s)) {
            throw fault("host calls need a tenant VM");
        }
        return s;
    }

    /** Argument register {@code a<i>} as an address: RV32 registers are zero-extended. */
    static long ptr(Machine m, int i) {
        long v = m.reg(10 + i);
        return m.xlen() == 32 ? v & 0xFFFF_FFFFL : v;
    }

    /** Argument register {@code a<i>} as an unsigned length (negative values become huge and fail the caps). */
    static long len(Machine m, int i) {
        return ptr(m, i);
    }

    /** Argument register {@code a<i>} as a 32-bit field index ({@code 0xFFFFFFFF} is INVALID). */
    static long index(Machine m, int i) {
        return m.reg(10 + i) & 0xFFFF_FFFFL;
    }

    static byte[] bytes(Machine m, long ptr, long len, int max, String what) {
        if (m.xlen() == 32) {
            ptr &= 0xFFFF_FFFFL;
            len &= 0xFFFF_FFFFL;
        }
        if (len < 0 || len > max) {
            throw fault(what + ": length " + Long.toUnsignedString(len) + " exceeds the limit of " + max);
        }
        return m.memory().readBytes(ptr, (int) len);
    }

    /** Like {@link #bytes}, charging one instruction per 8 bytes before reading them. */
    static byte[] chargedBytes(Machine m, long ptr, long len, int max, String what) {
        long n = m.xlen() == 32 ? len & 0xFFFF_FFFFL : len;
        if (n < 0 || n > max) {
            throw fault(what + ": length " + Long.toUnsignedString(n) + " exceeds the limit of " + max);
        }
        m.charge(n >>> 3);
        return bytes(m, ptr, n, max, what);
    }

    /** Guest bytes as text, one char per byte (ISO-8859-1, as HTTP fields are), so bytes round-trip exactly. */
    static String text(Machine m, long ptr, long len, int max, String what) {
        return new String(bytes(m, ptr, len, max, what), StandardCharsets.ISO_8859_1);
    }

    static String utf8(Machine m, long ptr, long len, int max, String what) {
        return new String(bytes(m, ptr, len, max, what), StandardCharsets.UTF_8);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void requireSafe(String text, String what) {
        if (!HttpSyntax.isSafeText(text)) {
            throw fault(what + " contains a control character (such as CR, LF or NUL)");
        }
    }

    /** Calls that describe the current request are refused while the program initialises or in the storage VM. */
    static void requireRequest(VmState s, String call) {
        if (s.phase == VmState.Phase.INIT || s.storage) {
            throw fault(call + " is only available while handling a request");
        }
    }

    /** A fault for this request; guest text in the message is escaped, as the message is logged. */
    /** Decisions end the hook, so they are refused inside a callback the host runs from a host call (foreach). */
    static void requireOutermost(VmState s, String call) {
        if (s.nestedCalls > 0) {
            throw fault(call + " is not available inside a foreach callback");
        }
    }

    static GuestFault fault(String message) {
        return new GuestFault(GuestFault.Kind.SYSCALL_ERROR, 0, 0, GuestText.printable(message));
    }

    static GuardedRegex.Compiled regex(VmState s, long handle) {
        if (handle < 0 || handle >= VmState.MAX_REGEXES || s.regexes[(int) handle] == null) {
            throw fault("no regex with handle " + handle);
        }
        return s.regexes[(int) handle];
    }

    static GuestException rethrow(RuntimeException e) {
        return ProgramContext.unwrap(e);
    }
}
