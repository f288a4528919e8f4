package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.MAX32;
import static dev.riscvsandbox.isa.InstructionHarness.MAX64;
import static dev.riscvsandbox.isa.InstructionHarness.MIN32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN64;
import static dev.riscvsandbox.isa.InstructionHarness.ONES32;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A3;

import dev.riscvsandbox.isa.InstructionHarness.R;
import dev.riscvsandbox.isa.InstructionHarness.RR;
import dev.riscvsandbox.isa.InstructionHarness.RegCase;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The M extension: multiplication high halves, division by zero and signed overflow, the RV64 W forms. */
class MulDivTest {

    private static RR r64(String name, R op, long a, long b, long expected) {
        return new RR(64, name, op, a, b, expected);
    }

    private static RR r32(String name, R op, long a, long b, long expected) {
        return new RR(32, name, op, a, b, expected);
    }

    static Stream<RegCase> rv64() {
        return Stream.of(
                r64("mul", Asm::mul, 3, 4, 12),
                r64("mul", Asm::mul, -1, -1, 1),
                r64("mul", Asm::mul, MIN64, MIN64, 0),
                r64("mul", Asm::mul, MIN64, -1, MIN64),
                r64("mul", Asm::mul, 0x1_0000_0001L, 0x1_0000_0001L, 0x2_0000_0001L),
                r64("mul", Asm::mul, MAX64, 2, -2),
                r64("mulh", Asm::mulh, -1, -1, 0),
                r64("mulh", Asm::mulh, MIN64, MIN64, 0x4000_0000_0000_0000L),
                r64("mulh", Asm::mulh, MIN64, -1, 0),
                r64("mulh", Asm::mulh, -1, 1, -1),
                r64("mulh", Asm::mulh, MAX64, MAX64, 0x3FFF_FFFF_FFFF_FFFFL),
                r64("mulh", Asm::mulh, 0x1_0000_0000L, 0x1_0000_0000L, 1),
                r64("mulh", Asm::mulh, MIN64, MAX64, 0xC000_0000_0000_0000L),
                r64("mulhu", Asm::mulhu, -1, -1, 0xFFFF_FFFF_FFFF_FFFEL),
                r64("mulhu", Asm::mulhu, MIN64, MIN64, 0x4000_0000_0000_0000L),
                r64("mulhu", Asm::mulhu, MIN64, -1, MAX64),
                r64("mulhu", Asm::mulhu, 0x1_0000_0000L, 0x1_0000_0000L, 1),
                r64("mulhu", Asm::mulhu, -1, 2, 1),
                r64("mulhsu", Asm::mulhsu, -1, -1, -1),
                r64("mulhsu", Asm::mulhsu, MIN64, MIN64, 0xC000_0000_0000_0000L),
                r64("mulhsu", Asm::mulhsu, MIN64, -1, MIN64),
                r64("mulhsu", Asm::mulhsu, 1, -1, 0),
                r64("mulhsu", Asm::mulhsu, -1, 1, -1),
                r64("mulhsu", Asm::mulhsu, 2, MIN64, 1),
                r64("mulhsu", Asm::mulhsu, MAX64, -1, 0x7FFF_FFFF_FFFF_FFFEL),
                r64("div", Asm::div, 7, 2, 3),
                r64("div", Asm::div, -7, 2, -3),
                r64("div", Asm::div, 7, -2, -3),
                r64("div", Asm::div, -7, -2, 3),
                r64("div", Asm::div, MIN64, -1, MIN64),
                r64("div", Asm::div, MIN64, 1, MIN64),
                r64("div", Asm::div, 5, 0, -1),
                r64("div", Asm::div, -5, 0, -1),
                r64("div", Asm::div, 0, 0, -1),
                r64("divu", Asm::divu, 7, 2, 3),
                r64("divu", Asm::divu, -1, 2, MAX64),
                r64("divu", Asm::divu, 5, 0, -1),
                r64("divu", Asm::divu, MIN64, -1, 0),
                r64("divu", Asm::divu, -1, -1, 1),
                r64("rem", Asm::rem, 7, 2, 1),
                r64("rem", Asm::rem, -7, 2, -1),
                r64("rem", Asm::rem, 7, -2, 1),
                r64("rem", Asm::rem, -7, -2, -1),
                r64("rem", Asm::rem, MIN64, -1, 0),
                r64("rem", Asm::rem, 5, 0, 5),
                r64("rem", Asm::rem, -5, 0, -5),
                r64("rem", Asm::rem, MIN64, 0, MIN64),
                r64("remu", Asm::remu, 7, 2, 1),
                r64("remu", Asm::remu, -1, 10, 5),
                r64("remu", Asm::remu, 5, 0, 5),
                r64("remu", Asm::remu, -5, 0, -5),
                r64("remu", Asm::remu, MIN64, -1, MIN64),
                // W forms: operands are the low 32 bits, results sign-extended
                r64("mulw", Asm::mulw, MAX32, 2, -2),
                r64("mulw", Asm::mulw, 0x1_0000_0003L, 0x1_0000_0005L, 15),
                r64("mulw", Asm::mulw, MIN32, MIN32, 0),
                r64("mulw", Asm::mulw, -1, -1, 1),
                r64("mulw", Asm::mulw, 0x1_0000L, 0x1_0000L, 0),
                r64("mulw", Asm::mulw, 0xFFFFL, 0x1_0001L, -1),
                r64("mulw", Asm::mulw, 0x4000_0000L, 2, 0xFFFF_FFFF_8000_0000L),
                r64("divw", Asm::divw, 0xFFFF_FFF9L, 2, -3),
                r64("divw", Asm::divw, MIN32, -1, 0xFFFF_FFFF_8000_0000L),
                r64("divw", Asm::divw, MIN32, ONES32, 0xFFFF_FFFF_8000_0000L),
                r64("divw", Asm::divw, 5, 0, -1),
                r64("divw", Asm::divw, 5, 0x1_0000_0000L, -1),
                r64("divw", Asm::divw, 0x1_0000_0007L, 0x1_0000_0002L, 3),
                r64("divw", Asm::divw, ONES32, 1, -1),
                r64("divuw", Asm::divuw, ONES32, 1, -1),
                r64("divuw", Asm::divuw, MIN32, 2, 0x4000_0000L),
                r64("divuw", Asm::divuw, 5, 0, -1),
                r64("divuw", Asm::divuw, ONES32, ONES32, 1),
                r64("divuw", Asm::divuw, 0x1_0000_0004L, 0x1_0000_0002L, 2),
                r64("divuw", Asm::divuw, -2, 1, -2),
                r64("remw", Asm::remw, -7, 2, -1),
                r64("remw", Asm::remw, MIN32, -1, 0),
                r64("remw", Asm::remw, 5, 0, 5),
                r64("remw", Asm::remw, MIN32, 0, 0xFFFF_FFFF_8000_0000L),
                r64("remw", Asm::remw, 0x1_0000_0007L, 0xFFFF_FFFF_0000_0002L, 1),
                r64("remw", Asm::remw, 0x1_0000_0005L, 0x1_0000_0000L, 5),
                r64("remuw", Asm::remuw, ONES32, 10, 5),
                r64("remuw", Asm::remuw, MIN32, 0, 0xFFFF_FFFF_8000_0000L),
                r64("remuw", Asm::remuw, 7, 0x1_0000_0002L, 1),
                r64("remuw", Asm::remuw, ONES32, 0, -1),
                r64("remuw", Asm::remuw, 0x1_0000_0005L, 0, 5));
    }

    static Stream<RegCase> rv32() {
        return Stream.of(
                r32("mul", Asm::mul, 3, 4, 12),
                r32("mul", Asm::mul, ONES32, ONES32, 1),
                r32("mul", Asm::mul, MIN32, MIN32, 0),
                r32("mul", Asm::mul, MIN32, ONES32, MIN32),
                r32("mul", Asm::mul, 0x1_0000L, 0x1_0000L, 0),
                r32("mul", Asm::mul, 0x1234_5678L, 0x10, 0x2345_6780L),
                r32("mulh", Asm::mulh, ONES32, ONES32, 0),
                r32("mulh", Asm::mulh, MIN32, MIN32, 0x4000_0000L),
                r32("mulh", Asm::mulh, MIN32, ONES32, 0),
                r32("mulh", Asm::mulh, ONES32, 1, ONES32),
                r32("mulh", Asm::mulh, MAX32, MAX32, 0x3FFF_FFFFL),
                r32("mulh", Asm::mulh, 0x1_0000L, 0x1_0000L, 1),
                r32("mulhu", Asm::mulhu, ONES32, ONES32, 0xFFFF_FFFEL),
                r32("mulhu", Asm::mulhu, MIN32, MIN32, 0x4000_0000L),
                r32("mulhu", Asm::mulhu, MIN32, ONES32, MAX32),
                r32("mulhu", Asm::mulhu, 0x1_0000L, 0x1_0000L, 1),
                r32("mulhsu", Asm::mulhsu, ONES32, ONES32, ONES32),
                r32("mulhsu", Asm::mulhsu, MIN32, MIN32, 0xC000_0000L),
                r32("mulhsu", Asm::mulhsu, MIN32, ONES32, MIN32),
                r32("mulhsu", Asm::mulhsu, 1, ONES32, 0),
                r32("mulhsu", Asm::mulhsu, 2, MIN32, 1),
                r32("div", Asm::div, 0xFFFF_FFF9L, 2, 0xFFFF_FFFDL),
                r32("div", Asm::div, 7, 0xFFFF_FFFEL, 0xFFFF_FFFDL),
                r32("div", Asm::div, MIN32, ONES32, MIN32),
                r32("div", Asm::div, 5, 0, ONES32),
                r32("div", Asm::div, 0, 0, ONES32),
                r32("divu", Asm::divu, ONES32, 2, MAX32),
                r32("divu", Asm::divu, 5, 0, ONES32),
                r32("divu", Asm::divu, MIN32, ONES32, 0),
                r32("rem", Asm::rem, 0xFFFF_FFF9L, 2, ONES32),
                r32("rem", Asm::rem, MIN32, ONES32, 0),
                r32("rem", Asm::rem, 5, 0, 5),
                r32("rem", Asm::rem, 0xFFFF_FFFBL, 0, 0xFFFF_FFFBL),
                r32("remu", Asm::remu, ONES32, 10, 5),
                r32("remu", Asm::remu, 5, 0, 5),
                r32("remu", Asm::remu, MIN32, 0, MIN32),
                r32("remu", Asm::remu, MIN32, ONES32, MIN32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv64(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv32(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void divisionByZeroDoesNotTrapAndQuotientTimesDivisorPlusRemainderHolds(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A1, -12345).li(A2, 0)
                .div(A0, A1, A2)
                .rem(A3, A1, A2)
                .mul(A2, A0, A2)
                .add(A2, A2, A3));
        assertX(r, A0, -1);
        assertX(r, A3, -12345);
        assertX(r, A2, -12345);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void destinationAliasingASource(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 100).li(A1, 7)
                .rem(A2, A0, A1)      // 2
                .div(A0, A0, A1)      // 14
                .mul(A1, A1, A0)      // 98
                .mulhu(A3, A1, A1));  // 0
        assertX(r, A0, 14);
        assertX(r, A1, 98);
        assertX(r, A2, 2);
        assertX(r, A3, 0);
    }
}
