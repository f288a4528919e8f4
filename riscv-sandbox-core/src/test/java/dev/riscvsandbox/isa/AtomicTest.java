package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.DATA;
import static dev.riscvsandbox.isa.InstructionHarness.MAX32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN64;
import static dev.riscvsandbox.isa.InstructionHarness.ONES32;
import static dev.riscvsandbox.isa.InstructionHarness.assertFault;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.hex;
import static dev.riscvsandbox.isa.InstructionHarness.hex32or64;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.isa.InstructionHarness.words64;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;
import static dev.riscvsandbox.testutil.Asm.A4;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The A extension: LR/SC reservations, every AMO in .w and .d form, misaligned atomics. */
class AtomicTest {

    /** Guard value around the word under test; must survive every .w operation. */
    private static final int GUARD = 0x5A5A_5A5A;

    /** {@code amo<op> rd, rs2, (rs1)}. */
    @FunctionalInterface
    interface Amo {
        void emit(Asm a, int rd, int rs2, int rs1);
    }

    record AmoCase(int xlen, String name, Amo op, boolean dword, long memory, long rs2, long newMemory) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + name + " mem=" + hex32or64(dword ? 64 : 32, memory) + " rs2="
                    + hex32or64(xlen, rs2) + " -> mem=" + hex32or64(dword ? 64 : 32, newMemory);
        }
    }

    private static AmoCase w(int xlen, String name, Amo op, long memory, long rs2, long newMemory) {
        return new AmoCase(xlen, name + ".w", op, false, memory, rs2, newMemory);
    }

    private static AmoCase d(String name, Amo op, long memory, long rs2, long newMemory) {
        return new AmoCase(64, name + ".d", op, true, memory, rs2, newMemory);
    }

    static Stream<AmoCase> amos() {
        Stream.Builder<AmoCase> s = Stream.builder();
        for (int xlen : new int[] {32, 64}) {
            s.add(w(xlen, "amoswap", Asm::amoswapW, MIN32, 0x1234_5678L, 0x1234_5678L));
            s.add(w(xlen, "amoswap", Asm::amoswapW, 0x1234_5678L, ONES32, ONES32));
            s.add(w(xlen, "amoadd", Asm::amoaddW, MAX32, 1, MIN32));
            s.add(w(xlen, "amoadd", Asm::amoaddW, ONES32, 1, 0));                // no carry into the next word
            s.add(w(xlen, "amoadd", Asm::amoaddW, 100, 0xFFFF_FF9CL, 0));
            s.add(w(xlen, "amoxor", Asm::amoxorW, 0xFF00_FF00L, 0x0FF0_0FF0L, 0xF0F0_F0F0L));
            s.add(w(xlen, "amoand", Asm::amoandW, 0xFF00_FF00L, 0x0FF0_0FF0L, 0x0F00_0F00L));
            s.add(w(xlen, "amoor", Asm::amoorW, 0xFF00_FF00L, 0x0FF0_0FF0L, 0xFFF0_FFF0L));
            s.add(w(xlen, "amomin", Asm::amominW, MIN32, 1, MIN32));
            s.add(w(xlen, "amomin", Asm::amominW, 5, ONES32, ONES32));
            s.add(w(xlen, "amomin", Asm::amominW, 5, 7, 5));
            s.add(w(xlen, "amomax", Asm::amomaxW, MIN32, 1, 1));
            s.add(w(xlen, "amomax", Asm::amomaxW, 5, ONES32, 5));
            s.add(w(xlen, "amomax", Asm::amomaxW, ONES32, MIN32, ONES32));
            s.add(w(xlen, "amominu", Asm::amominuW, MIN32, 1, 1));
            s.add(w(xlen, "amominu", Asm::amominuW, 5, ONES32, 5));
            s.add(w(xlen, "amominu", Asm::amominuW, ONES32, MAX32, MAX32));
            s.add(w(xlen, "amomaxu", Asm::amomaxuW, MIN32, 1, MIN32));
            s.add(w(xlen, "amomaxu", Asm::amomaxuW, 5, ONES32, ONES32));
            s.add(w(xlen, "amomaxu", Asm::amomaxuW, MAX32, MIN32, MIN32));
        }
        // RV64 .w forms look only at the low 32 bits of rs2
        s.add(w(64, "amoswap", Asm::amoswapW, 0, 0xAAAA_AAAA_1111_1111L, 0x1111_1111L));
        s.add(w(64, "amoadd", Asm::amoaddW, 1, 0xFFFF_FFFF_0000_0001L, 2));
        s.add(w(64, "amominu", Asm::amominuW, 2, 0x1_0000_0001L, 1));
        s.add(w(64, "amomin", Asm::amominW, 2, 0x0000_0000_FFFF_FFFFL, ONES32));
        s.add(w(64, "amomax", Asm::amomaxW, ONES32, 0x1_0000_0000L, 0));
        s.add(w(64, "amomaxu", Asm::amomaxuW, 2, 0xFFFF_FFFF_0000_0001L, 2));
        s.add(d("amoswap", Asm::amoswapD, MIN64, 1, 1));
        s.add(d("amoadd", Asm::amoaddD, ONES32, 1, 0x1_0000_0000L));
        s.add(d("amoadd", Asm::amoaddD, -1, 1, 0));
        s.add(d("amoxor", Asm::amoxorD, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0xF0F0_F0F0_F0F0_F0F0L));
        s.add(d("amoand", Asm::amoandD, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0x0F00_0F00_0F00_0F00L));
        s.add(d("amoor", Asm::amoorD, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0xFFF0_FFF0_FFF0_FFF0L));
        s.add(d("amomin", Asm::amominD, MIN64, 1, MIN64));
        s.add(d("amomin", Asm::amominD, 5, -1, -1));
        s.add(d("amomin", Asm::amominD, ONES32, 0x1_0000_0000L, ONES32));
        s.add(d("amomax", Asm::amomaxD, MIN64, 1, 1));
        s.add(d("amomax", Asm::amomaxD, 5, -1, 5));
        s.add(d("amomax", Asm::amomaxD, ONES32, 0x1_0000_0000L, 0x1_0000_0000L));
        s.add(d("amominu", Asm::amominuD, MIN64, 1, 1));
        s.add(d("amominu", Asm::amominuD, 5, -1, 5));
        s.add(d("amominu", Asm::amominuD, 0x1_0000_0000L, ONES32, ONES32));
        s.add(d("amomaxu", Asm::amomaxuD, MIN64, 1, MIN64));
        s.add(d("amomaxu", Asm::amomaxuD, 5, -1, -1));
        s.add(d("amomaxu", Asm::amomaxuD, 0x1_0000_0000L, ONES32, 0x1_0000_0000L));
        return s.build();
    }

    /** Runs {@code c} on the word/doubleword at DATA+8, with guards at DATA and DATA+16. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void amos(AmoCase c) {
        long guard64 = (GUARD & 0xFFFF_FFFFL) * 0x1_0000_0001L;
        long initial = c.dword ? c.memory : ((long) GUARD << 32) | (c.memory & 0xFFFF_FFFFL);
        Run r = exec(c.xlen, words64(guard64, initial, guard64), a -> {
            a.li(A1, DATA + 8).li(A2, c.rs2).li(A0, 0x777);
            c.op.emit(a, A0, A2, A1);
        });
        long oldValue = c.dword ? c.memory : (int) c.memory;          // .w results are sign-extended
        assertX(r, A0, oldValue, c + ": rd is the old memory value");
        assertX(r, A2, c.rs2, "rs2 unchanged");
        assertX(r, A1, DATA + 8, "rs1 unchanged");
        long expected = c.dword ? c.newMemory : ((long) GUARD << 32) | (c.newMemory & 0xFFFF_FFFFL);
        assertEquals(hex(expected), hex(r.mem64(DATA + 8)), c + ": memory");
        assertEquals(hex(guard64), hex(r.mem64(DATA)), "guard below");
        assertEquals(hex(guard64), hex(r.mem64(DATA + 16)), "guard above");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void amoWithAcquireReleaseBitsBehavesTheSame(int xlen) {
        Run r = exec(xlen, words64(10), a -> a
                .li(A1, DATA).li(A2, 5)
                .amoaddW(A0, A2, A1, true, false)
                .amoaddW(A3, A2, A1, false, true)
                .amoaddW(A4, A2, A1, true, true));
        assertX(r, A0, 10);
        assertX(r, A3, 15);
        assertX(r, A4, 20);
        assertEquals(25, r.mem32(DATA));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void amoDestinationAliasingSourceOrAddress(int xlen) {
        Run r = exec(xlen, words64(0x0000_0007_0000_0003L), a -> a
                .li(A1, DATA).li(A0, 10)
                .amoaddW(A0, A0, A1)            // rd = rs2: mem = 3 + 10, a0 = 3
                .li(A2, DATA + 4).li(A3, 100)
                .amoswapW(A2, A3, A2)           // rd = rs1: mem[4] = 100, a2 = 7
                .amoorW(ZERO, A0, A1));         // rd = x0: mem = 13 | 3
        assertX(r, A0, 3);
        assertX(r, A2, 7);
        assertX(r, ZERO, 0);
        assertEquals(15, r.mem32(DATA));
        assertEquals(100, r.mem32(DATA + 4));
    }

    // ---- LR / SC

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void lrScSucceeds(int xlen) {
        Run r = exec(xlen, words64(0x1111_1111_8000_0001L), a -> a
                .li(A1, DATA).li(A3, 0x2222)
                .lrW(A0, A1)
                .scW(A2, A3, A1));
        assertX(r, A0, 0xFFFF_FFFF_8000_0001L, "lr.w sign-extends");
        assertX(r, A2, 0, "sc.w success");
        assertEquals(hex(0x1111_1111_0000_2222L), hex(r.mem64(DATA)));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void scWithoutReservationFailsAndLeavesMemory(int xlen) {
        Run r = exec(xlen, words64(0x1234_5678L), a -> a
                .li(A1, DATA).li(A3, 0x2222).li(A2, 77)
                .scW(A2, A3, A1));
        assertX(r, A2, 1, "sc.w without a reservation fails with 1");
        assertEquals(0x1234_5678, r.mem32(DATA));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void secondScFailsBecauseTheFirstConsumedTheReservation(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A1, DATA).li(A3, 1).li(A4, 2)
                .lrW(A0, A1)
                .scW(A2, A3, A1)
                .scW(Asm.A5, A4, A1));
        assertX(r, A2, 0);
        assertX(r, Asm.A5, 1);
        assertEquals(1, r.mem32(DATA));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void scToAnotherAddressThanTheReservationFails(int xlen) {
        Run r = exec(xlen, words64(5, 6), a -> a
                .li(A1, DATA).li(A4, DATA + 8).li(A3, 99)
                .lrW(A0, A1)
                .scW(A2, A3, A4));
        assertX(r, A2, 1);
        assertEquals(5, r.mem32(DATA));
        assertEquals(6, r.mem32(DATA + 8));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void aSecondLrMovesTheReservation(int xlen) {
        Run moved = exec(xlen, words64(5, 6), a -> a
                .li(A1, DATA).li(A4, DATA + 8).li(A3, 99)
                .lrW(A0, A1)
                .lrW(A0, A4)
                .scW(A2, A3, A4));
        assertX(moved, A2, 0);
        assertEquals(5, moved.mem32(DATA));
        assertEquals(99, moved.mem32(DATA + 8));
        Run old = exec(xlen, words64(5, 6), a -> a
                .li(A1, DATA).li(A4, DATA + 8).li(A3, 99)
                .lrW(A0, A1)
                .lrW(A0, A4)
                .scW(A2, A3, A1));
        assertX(old, A2, 1);
        assertEquals(5, old.mem32(DATA));
        assertEquals(6, old.mem32(DATA + 8));
    }

    /** A extension: "Regardless of success or failure, executing an SC instruction invalidates any reservation". */
    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void aFailedScAlsoInvalidatesTheReservation(int xlen) {
        Run r = exec(xlen, words64(5, 6), a -> a
                .li(A1, DATA).li(A4, DATA + 8).li(A3, 99)
                .lrW(A0, A1)
                .scW(A2, A3, A4)              // wrong address: fails
                .scW(Asm.A5, A3, A1));        // the reservation is gone
        assertX(r, A2, 1);
        assertX(r, Asm.A5, 1);
        assertEquals(5, r.mem32(DATA));
        assertEquals(6, r.mem32(DATA + 8));
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void lrScRetryLoopIncrementsAtomically(int xlen) {
        Run r = exec(xlen, words64(41), a -> a
                .li(A1, DATA)
                .label("retry")
                .lrW(A0, A1, true, false)
                .addi(A0, A0, 1)
                .scW(A2, A0, A1, false, true)
                .bnez(A2, "retry"));
        assertEquals(42, r.mem32(DATA));
        assertX(r, A2, 0);
    }

    @Test
    void lrDScD() {
        Run r = exec(64, words64(MIN64 + 5), a -> a
                .li(A1, DATA).li(A3, -2)
                .lrD(A0, A1)
                .scD(A2, A3, A1)
                .scD(A4, A0, A1));
        assertX(r, A0, MIN64 + 5);
        assertX(r, A2, 0);
        assertX(r, A4, 1);
        assertEquals(-2L, r.mem64(DATA));
    }

    // ---- misaligned atomics

    static Stream<Arguments> misaligned() {
        return Stream.of(
                Arguments.of(32, "amoadd.w", 2), Arguments.of(32, "amoswap.w", 1), Arguments.of(32, "lr.w", 2),
                Arguments.of(32, "amomaxu.w", 0xFFE),
                Arguments.of(64, "amoadd.w", 2), Arguments.of(64, "amoadd.d", 4), Arguments.of(64, "amoswap.d", 1),
                Arguments.of(64, "lr.w", 1), Arguments.of(64, "lr.d", 4),
                Arguments.of(64, "amominu.d", 0xFFC), Arguments.of(64, "amoor.w", 0xFFE));
    }

    @ParameterizedTest(name = "rv{0} {1} at DATA+{2}")
    @MethodSource
    void misaligned(int xlen, String op, int offset) {
        long address = DATA + offset;
        byte[] data = InstructionHarness.filled(0x33);
        Run r = run(xlen, data, a -> {
            a.li(A1, address).li(A2, 0x7F).li(A0, 1234);
            a.label("amo");
            switch (op) {
                case "amoadd.w" -> a.amoaddW(A0, A2, A1);
                case "amoswap.w" -> a.amoswapW(A0, A2, A1);
                case "amomaxu.w" -> a.amomaxuW(A0, A2, A1);
                case "amoor.w" -> a.amoorW(A0, A2, A1);
                case "lr.w" -> a.lrW(A0, A1);
                case "amoadd.d" -> a.amoaddD(A0, A2, A1);
                case "amoswap.d" -> a.amoswapD(A0, A2, A1);
                case "amominu.d" -> a.amominuD(A0, A2, A1);
                case "lr.d" -> a.lrD(A0, A1);
                default -> throw new IllegalArgumentException(op);
            }
            a.ebreak();
        });
        assertFault(r, GuestFault.Kind.MISALIGNED_ATOMIC, r.addr("amo"));
        assertEquals(hex(address), hex(r.fault().address()), "fault address");
        assertX(r, A0, 1234, "rd unchanged");
        assertArrayEquals(data, r.dataBytes(), "memory unchanged");
    }

    // ---- access faults: AMOs and SC are stores for exception purposes

    static Stream<Arguments> amoAccessFaults() {
        return Stream.of(
                Arguments.of(32, "amoadd.w"), Arguments.of(32, "amoswap.w"), Arguments.of(32, "amomaxu.w"),
                Arguments.of(64, "amoadd.w"), Arguments.of(64, "amoor.d"), Arguments.of(64, "amoswap.d"));
    }

    private static void emitAmo(Asm a, String op) {
        switch (op) {
            case "amoadd.w" -> a.amoaddW(A0, A2, A1);
            case "amoswap.w" -> a.amoswapW(A0, A2, A1);
            case "amomaxu.w" -> a.amomaxuW(A0, A2, A1);
            case "amoor.d" -> a.amoorD(A0, A2, A1);
            case "amoswap.d" -> a.amoswapD(A0, A2, A1);
            default -> throw new IllegalArgumentException(op);
        }
    }

    /**
     * An AMO on an unmapped address raises a store/AMO access fault (exception code 7), never a load access fault,
     * even though an AMO reads before it writes (privileged spec, mcause table: "Store/AMO access fault").
     */
    @ParameterizedTest(name = "rv{0} {1} on an unmapped address")
    @MethodSource("amoAccessFaults")
    void amoOnUnmappedMemoryIsAStoreAccessFault(int xlen, String op) {
        Run r = run(xlen, a -> {
            a.li(A1, 0x1000).li(A2, 1).li(A0, 1234);
            a.label("amo");
            emitAmo(a, op);
            a.ebreak();
        });
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("amo"));
        assertEquals(0x1000, r.fault().address());
        assertX(r, A0, 1234, "rd unchanged");
    }

    @ParameterizedTest(name = "rv{0} {1} on code")
    @MethodSource("amoAccessFaults")
    void amoOnReadOnlyMemoryIsAStoreAccessFault(int xlen, String op) {
        Run r = run(xlen, a -> {
            a.label("top").auipc(A1, 0).li(A2, 1).li(A0, 1234);
            a.label("amo");
            emitAmo(a, op);
            a.ebreak();
        });
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("amo"));
        assertEquals(r.addr("top"), r.fault().address());
        assertX(r, A0, 1234, "rd unchanged");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void lrOnUnmappedMemoryIsALoadAccessFault(int xlen) {
        Run r = run(xlen, a -> a.li(A1, 0x1000).li(A0, 1234).label("lr").lrW(A0, A1).ebreak());
        assertFault(r, GuestFault.Kind.LOAD_ACCESS, r.addr("lr"));
        assertX(r, A0, 1234, "rd unchanged");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void scAfterLrOnReadOnlyMemoryIsAStoreAccessFault(int xlen) {
        Run r = run(xlen, a -> a
                .label("top").auipc(A1, 0).li(A2, 1).li(A0, 1234)
                .lrW(A3, A1)
                .label("sc").scW(A0, A2, A1)
                .ebreak());
        assertFault(r, GuestFault.Kind.STORE_ACCESS, r.addr("sc"));
        assertX(r, A0, 1234, "rd unchanged");
    }
}
