package dev.riscvsandbox.abi;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A7;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.GuestTimeoutException;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.machine.Program;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Guest functions that make each host call (a7 = number), called from the host with {@link Machine#call}. */
class NativeCallsTest {
    static final long TEXT = TestElf.DEFAULT_TEXT_ADDRESS;
    static final long DATA = 0x20000;
    static final long DATA_END = DATA + 4096;
    static final long HELLO = DATA;        // "hello"
    static final long HELP = DATA + 16;    // "help"
    static final long HIGH = DATA + 32;    // {0x80}
    static final long LOW = DATA + 48;     // {0x01}
    static final long SCRATCH = DATA + 256;
    static final int NOOP = 597;
    static final int ARENA = 1 << 20;

    static final Map<String, Integer> CALLS = Map.ofEntries(Map.entry("malloc", NativeCalls.MALLOC),
            Map.entry("calloc", NativeCalls.CALLOC), Map.entry("realloc", NativeCalls.REALLOC),
            Map.entry("free", NativeCalls.FREE), Map.entry("meminfo", NativeCalls.MEMINFO),
            Map.entry("memcpy", NativeCalls.MEMCPY), Map.entry("memset", NativeCalls.MEMSET),
            Map.entry("memmove", NativeCalls.MEMMOVE), Map.entry("memcmp", NativeCalls.MEMCMP),
            Map.entry("strlen", NativeCalls.STRLEN), Map.entry("strncmp", NativeCalls.STRNCMP),
            Map.entry("noop", NOOP));
    static final Program RV64 = program(64);
    static final Program RV32 = program(32);

    static Program program(int xlen) {
        Asm a = xlen == 64 ? Asm.rv64() : Asm.rv32();
        a.label("_start").li(A0, 0).li(A7, 93).ecall();
        CALLS.forEach((name, nr) -> a.label(name).li(A7, nr).ecall().ret());
        byte[] data = new byte[64];
        put(data, 0, "hello\0");
        put(data, 16, "help\0");
        data[32] = (byte) 0x80;
        data[48] = 1;
        try {
            return Program.load(TestElf.builder(xlen).text(a).data(DATA, data, 4096).build());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void put(byte[] data, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, data, at, b.length);
    }

    /** A machine with a heap attached and the calls installed, plus a no-op call 597 to measure overhead. */
    static Machine machine(Program p) {
        Machine m = Machine.builder(p).build();
        m.attach(new NativeHeap(m.reserveAddressSpace(ARENA), ARENA));
        NativeCalls.install(m, mm -> (NativeHeap) mm.attachment());
        m.setSyscallHandler(NOOP, mm -> { });
        return m;
    }

    private final Machine m = machine(RV64);
    private final NativeHeap heap = (NativeHeap) m.attachment();
    private long lastCost;

    /** Calls guest function {@code fn} and records the instructions charged beyond those of an empty host call. */
    private long call(Machine machine, String fn, long... args) {
        long t0 = machine.instructions();
        machine.call("noop");
        long overhead = machine.instructions() - t0;
        long t1 = machine.instructions();
        long result = machine.call(fn, args);
        lastCost = machine.instructions() - t1 - overhead;
        return result;
    }

    private long call(String fn, long... args) {
        return call(m, fn, args);
    }

    private GuestFault fault(GuestFault.Kind kind, Executable e) {
        GuestFault f = assertThrows(GuestFault.class, e);
        assertEquals(kind, f.kind(), f.getMessage());
        return f;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Heap calls

    @Test
    void mallocAndFreeCost2000AndADoubleFreeFaults() {
        long p = call("malloc", 100);
        assertEquals(2000, lastCost);
        assertTrue(p != 0 && p % 16 == 0);
        assertEquals(112, heap.chunkSize(p));
        assertEquals(0, call("malloc", ARENA + 1));
        assertEquals(0, call("malloc", -1)); // a huge unsigned size
        assertEquals(0, call("free", p));
        assertEquals(2000, lastCost);
        GuestFault f = fault(GuestFault.Kind.SYSCALL_ERROR, () -> call("free", p));
        assertEquals(p, f.address());
        assertTrue(f.symbol().startsWith("free"), f.symbol());
        assertEquals(0, call("free", 0));
    }

    @Test
    void callocZeroesAndChargesForTheBytes() {
        long p = call("malloc", 160);
        call("memset", p, 0xFF, 160);
        call("malloc", 16);
        call("free", p);
        assertEquals(p, call("calloc", 10, 16));
        assertEquals(2000 + 160, lastCost);
        assertArrayEquals(new byte[160], m.memory().readBytes(p, 160));
        assertEquals(0, call("calloc", 1L << 40, 1L << 40));
        assertEquals(2000, lastCost);
        assertEquals(0, call("calloc", 2, ARENA));
        assertEquals(2000, lastCost);
    }

    @Test
    void reallocChargesForTheCopyOnlyWhenItMoves() {
        long p = call("malloc", 100);
        m.memory().writeBytes(p, NativeHeapTest.bytes(100, 5), 0, 100);
        assertEquals(p, call("realloc", p, 2000)); // the topmost chunk grows in place
        assertEquals(2000, lastCost);
        call("malloc", 16);
        long old = heap.chunkSize(p);
        long q = call("realloc", p, 5000);
        assertNotEquals(p, q);
        assertEquals(2000 + 2 * old, lastCost);
        assertArrayEquals(NativeHeapTest.bytes(100, 5), m.memory().readBytes(q, 100));
        assertEquals(0, call("realloc", q, 0));
        fault(GuestFault.Kind.SYSCALL_ERROR, () -> call("realloc", q, 10));
    }

    @Test
    void meminfoWritesFreeUsedAndChunks() {
        call("malloc", 100);
        call("malloc", 16);
        assertEquals(0, call("meminfo", SCRATCH));
        assertEquals(2000, lastCost);
        ByteBuffer b = ByteBuffer.wrap(m.memory().readBytes(SCRATCH, 24)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ARENA - 128, b.getLong());
        assertEquals(128, b.getLong());
        assertEquals(2, b.getLong());
        fault(GuestFault.Kind.STORE_ACCESS, () -> call("meminfo", TEXT));
    }

    @Test
    void heapCallsFaultOnAMachineWithoutAHeapButMemoryCallsWork() {
        Machine bare = Machine.builder(RV64).build();
        NativeCalls.install(bare, mm -> null);
        bare.setSyscallHandler(NOOP, mm -> { });
        GuestFault f = fault(GuestFault.Kind.SYSCALL_ERROR, () -> call(bare, "malloc", 1));
        assertTrue(f.detail().contains("malloc"));
        assertEquals(SCRATCH, call(bare, "memcpy", SCRATCH, HELLO, 6));
        assertEquals(5, call(bare, "strlen", SCRATCH));
    }

    @Test
    void forksInheritTheHandlersAndUseTheirOwnHeap() {
        long p = call("malloc", 100);
        m.freeze();
        Machine child = m.fork();
        child.attach(heap.forkChild());
        assertEquals(0, call(child, "free", p)); // inherited: a no-op
        long q = call(child, "malloc", 100);
        assertTrue(q > p);
        assertEquals(1, ((NativeHeap) child.attachment()).chunks());
        assertEquals(1, heap.chunks());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Memory and string calls

    @Test
    void memcpyMemsetAndTheirCosts() {
        assertEquals(SCRATCH, call("memcpy", SCRATCH, HELLO, 6));
        assertEquals(12, lastCost);
        assertEquals("hello", m.memory().readCString(SCRATCH, 100));
        assertEquals(SCRATCH, call("memset", SCRATCH, 0x141, 3)); // only the low byte counts
        assertEquals(3, lastCost);
        assertEquals("AAAlo", m.memory().readCString(SCRATCH, 100));
        assertEquals(SCRATCH, call("memcpy", SCRATCH, 0, 0)); // nothing to copy: no access
        assertEquals(0, lastCost);
    }

    @Test
    void memmoveHandlesOverlapInBothDirectionsAcrossBufferChunks() {
        int n = 200 << 10;
        long p = call("malloc", n + 2000);
        byte[] model = NativeHeapTest.bytes(n + 2000, 1);
        m.memory().writeBytes(p, model, 0, model.length);
        long[][] moves = {{1000, 0, n}, {0, 1000, n}, {7, 3, 100}, {3, 7, 100}, {10, 10, 50}};
        for (long[] mv : moves) {
            assertEquals(p + mv[0], call("memmove", p + mv[0], p + mv[1], mv[2]));
            assertEquals(2 * mv[2], lastCost);
            System.arraycopy(model, (int) mv[1], model, (int) mv[0], (int) mv[2]);
            assertArrayEquals(model, m.memory().readBytes(p, model.length));
        }
    }

    @Test
    void memcmpComparesUnsignedBytesAndStopsAtTheFirstDifference() {
        assertTrue(call("memcmp", HELLO, HELP, 4) < 0);
        assertEquals(8, lastCost);
        assertEquals(0, call("memcmp", HELLO, HELP, 3));
        assertTrue(call("memcmp", HIGH, LOW, 1) > 0);
        assertTrue(call("memcmp", LOW, HIGH, 1) < 0);
        // The difference comes before the end of the mapping: bytes beyond it are never read.
        m.memory().writeBytes(DATA_END - 2, new byte[] {'a', 'b'}, 0, 2);
        m.memory().writeBytes(SCRATCH, new byte[] {'a', 'c'}, 0, 2);
        assertTrue(call("memcmp", DATA_END - 2, SCRATCH, 100) < 0);
        m.memory().writeBytes(SCRATCH, new byte[] {'a', 'b'}, 0, 2);
        GuestFault f = fault(GuestFault.Kind.LOAD_ACCESS, () -> call("memcmp", DATA_END - 2, SCRATCH, 100));
        assertEquals(DATA_END, f.address());
    }

    @Test
    void strlenAndStrncmp() {
        assertEquals(5, call("strlen", HELLO));
        assertEquals(10, lastCost);
        assertEquals(0, call("strlen", DATA + 5));
        assertEquals('l' - 'p', call("strncmp", HELLO, HELP, 10));
        assertEquals(2 + 2 * 3, lastCost);
        assertEquals(0, call("strncmp", HELLO, HELP, 3));
        assertEquals(0, call("strncmp", HELLO, HELLO, -1)); // a huge limit: stops at the terminator
        assertEquals(2 + 2 * 5, lastCost);
        assertEquals(0, call("strncmp", HELLO, HELP, 0));
        assertEquals(2, lastCost);
        assertEquals(0x80 - 1, call("strncmp", HIGH, LOW, 5));
    }

    @Test
    void stringsAreLimitedTo64000Bytes() {
        long p = call("malloc", 70_000);
        m.memory().fill(p, 'x', 70_000);
        GuestFault f = fault(GuestFault.Kind.SYSCALL_ERROR, () -> call("strlen", p));
        assertTrue(f.detail().startsWith("strlen"));
        fault(GuestFault.Kind.SYSCALL_ERROR, () -> call("strncmp", p, p, 100_000));
        assertEquals(0, call("strncmp", p, p, 64_000));
        m.memory().fill(p + 63_999, 0, 1);
        assertEquals(63_999, call("strlen", p));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Faults and limits

    @Test
    void badPointersFaultLikeGuestAccesses() {
        byte[] text = m.memory().readBytes(TEXT, 16);
        GuestFault f = fault(GuestFault.Kind.STORE_ACCESS, () -> call("memcpy", TEXT, HELLO, 4));
        assertEquals(TEXT, f.address());
        assertArrayEquals(text, m.memory().readBytes(TEXT, 16)); // nothing was written
        fault(GuestFault.Kind.STORE_ACCESS, () -> call("memset", TEXT + 8, 0, 1));
        fault(GuestFault.Kind.STORE_ACCESS, () -> call("memmove", DATA_END - 2, HELLO, 4));
        fault(GuestFault.Kind.LOAD_ACCESS, () -> call("memcpy", SCRATCH, 0x1000, 4));
        fault(GuestFault.Kind.LOAD_ACCESS, () -> call("memcmp", 0x1000, HELLO, 1));
        fault(GuestFault.Kind.LOAD_ACCESS, () -> call("strlen", -1));
        m.memory().fill(DATA_END - 3, 'z', 3);
        f = fault(GuestFault.Kind.LOAD_ACCESS, () -> call("strlen", DATA_END - 3));
        assertEquals(DATA_END, f.address());
        fault(GuestFault.Kind.LOAD_ACCESS, () -> call("strncmp", DATA_END - 3, DATA_END - 3, 10));
    }

    @Test
    void lengthsOver512MiBFaultNamingTheCall() {
        long tooBig = (512L << 20) + 1;
        for (String fn : new String[] {"memcpy", "memset", "memmove", "memcmp"}) {
            long len = fn.equals("memset") ? -1 : tooBig;
            GuestFault f = fault(GuestFault.Kind.SYSCALL_ERROR,
                    () -> call(fn, SCRATCH, fn.equals("memset") ? 0 : HELLO, len));
            assertTrue(f.detail().startsWith(fn + ":"), f.detail());
        }
    }

    @Test
    void bigRequestsAreChargedBeforeTheyRun() {
        long p = call("malloc", 256 << 10);
        long memset = m.program().symbol("memset").getAsLong();
        assertThrows(GuestTimeoutException.class, () -> m.call(memset, 10_000, p, 0, 256 << 10));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RV32

    @Test
    void rv32TakesUnsignedArgumentsAndWritesWordSizedMeminfo() {
        Machine m32 = machine(RV32);
        long p = call(m32, "malloc", 40);
        assertTrue(p > 0 && p < 1L << 32 && p % 16 == 0);
        assertEquals(p, call(m32, "memcpy", p, HELLO, 6) & 0xFFFF_FFFFL);
        assertEquals(5, call(m32, "strlen", p));
        assertTrue(call(m32, "memcmp", HIGH, LOW, 1) > 0);
        assertEquals(0, call(m32, "meminfo", SCRATCH));
        ByteBuffer b = ByteBuffer.wrap(m32.memory().readBytes(SCRATCH, 12)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(ARENA - 48, b.getInt());
        assertEquals(48, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(0, call(m32, "calloc", 0xFFFF_FFFFL, 2));
        GuestFault f = fault(GuestFault.Kind.SYSCALL_ERROR, () -> call(m32, "memset", p, 0, 0xFFFF_FFFFL));
        assertEquals(0xFFFF_FFFFL, f.address()); // zero-extended, not -1
    }
}
