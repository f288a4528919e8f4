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

import dev.riscvsandbox.isa.InstructionHarness.I;
import dev.riscvsandbox.isa.InstructionHarness.R;
import dev.riscvsandbox.isa.InstructionHarness.RI;
import dev.riscvsandbox.isa.InstructionHarness.RR;
import dev.riscvsandbox.isa.InstructionHarness.RegCase;
import dev.riscvsandbox.isa.InstructionHarness.Run;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RV32I / RV64I register-register and register-immediate ALU instructions, including the RV64 W forms. */
class BaseIntegerAluTest {

    private static RR r64(String name, R op, long a, long b, long expected) {
        return new RR(64, name, op, a, b, expected);
    }

    private static RI i64(String name, I op, long a, int imm, long expected) {
        return new RI(64, name, op, a, imm, expected);
    }

    private static RR r32(String name, R op, long a, long b, long expected) {
        return new RR(32, name, op, a, b, expected);
    }

    private static RI i32(String name, I op, long a, int imm, long expected) {
        return new RI(32, name, op, a, imm, expected);
    }

    static Stream<RegCase> rv64Register() {
        return Stream.of(
                r64("add", Asm::add, 1, 2, 3),
                r64("add", Asm::add, MAX64, 1, MIN64),
                r64("add", Asm::add, -1, 1, 0),
                r64("add", Asm::add, ONES32, 1, 0x1_0000_0000L),
                r64("sub", Asm::sub, 3, 5, -2),
                r64("sub", Asm::sub, MIN64, 1, MAX64),
                r64("sub", Asm::sub, 0, MIN64, MIN64),
                r64("sll", Asm::sll, 1, 0, 1),
                r64("sll", Asm::sll, 1, 31, 0x8000_0000L),
                r64("sll", Asm::sll, 1, 32, 0x1_0000_0000L),
                r64("sll", Asm::sll, 1, 63, MIN64),
                r64("sll", Asm::sll, 1, 64, 1),
                r64("sll", Asm::sll, 3, 67, 24),
                r64("sll", Asm::sll, -1, 0xFFFF_FFFF_FFFF_FFC1L, -2),
                r64("srl", Asm::srl, MIN64, 63, 1),
                r64("srl", Asm::srl, MIN64, 1, 0x4000_0000_0000_0000L),
                r64("srl", Asm::srl, -1, 0, -1),
                r64("srl", Asm::srl, -1, 32, ONES32),
                r64("srl", Asm::srl, -1, 64, -1),
                r64("srl", Asm::srl, 0x8000_0000L, 31, 1),
                r64("sra", Asm::sra, MIN64, 63, -1),
                r64("sra", Asm::sra, MIN64, 32, 0xFFFF_FFFF_8000_0000L),
                r64("sra", Asm::sra, MAX64, 63, 0),
                r64("sra", Asm::sra, -16, 2, -4),
                r64("sra", Asm::sra, -16, 66, -4),
                r64("sra", Asm::sra, 0x8000_0000L, 31, 1),
                r64("slt", Asm::slt, -1, 0, 1),
                r64("slt", Asm::slt, 0, -1, 0),
                r64("slt", Asm::slt, MIN64, MAX64, 1),
                r64("slt", Asm::slt, MAX64, MIN64, 0),
                r64("slt", Asm::slt, 5, 5, 0),
                r64("sltu", Asm::sltu, -1, 0, 0),
                r64("sltu", Asm::sltu, 0, -1, 1),
                r64("sltu", Asm::sltu, MIN64, MAX64, 0),
                r64("sltu", Asm::sltu, MAX64, MIN64, 1),
                r64("sltu", Asm::sltu, 5, 5, 0),
                r64("xor", Asm::xor, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0xF0F0_F0F0_F0F0_F0F0L),
                r64("xor", Asm::xor, -1, 0x123, 0xFFFF_FFFF_FFFF_FEDCL),
                r64("or", Asm::or, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0xFFF0_FFF0_FFF0_FFF0L),
                r64("or", Asm::or, MIN64, 1, 0x8000_0000_0000_0001L),
                r64("and", Asm::and, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0x0F00_0F00_0F00_0F00L),
                r64("and", Asm::and, -1, 0x1234, 0x1234),
                // W forms: 32-bit operation, result sign-extended from bit 31
                r64("addw", Asm::addw, MAX32, 1, 0xFFFF_FFFF_8000_0000L),
                r64("addw", Asm::addw, ONES32, 1, 0),
                r64("addw", Asm::addw, 0x1_0000_0001L, 0x2_0000_0002L, 3),
                r64("addw", Asm::addw, MIN32, MIN32, 0),
                r64("addw", Asm::addw, 0x7FFF_FFFEL, 0xFFFF_FFFF_0000_0001L, MAX32),
                r64("subw", Asm::subw, MIN32, 1, MAX32),
                r64("subw", Asm::subw, 0, 1, -1),
                r64("subw", Asm::subw, 0x1_0000_0000L, 0, 0),
                r64("subw", Asm::subw, MAX32, ONES32, 0xFFFF_FFFF_8000_0000L),
                r64("sllw", Asm::sllw, 1, 31, 0xFFFF_FFFF_8000_0000L),
                r64("sllw", Asm::sllw, 1, 32, 1),
                r64("sllw", Asm::sllw, 1, 33, 2),
                r64("sllw", Asm::sllw, 0xFFFF_FFFF_0000_0001L, 0, 1),
                r64("sllw", Asm::sllw, 0x1234_5678L, 4, 0x2345_6780L),
                r64("sllw", Asm::sllw, 0x8765_4321L, 0, 0xFFFF_FFFF_8765_4321L),
                r64("srlw", Asm::srlw, MIN32, 0, 0xFFFF_FFFF_8000_0000L),
                r64("srlw", Asm::srlw, MIN32, 1, 0x4000_0000L),
                r64("srlw", Asm::srlw, 0xFFFF_FFFF_8000_0000L, 31, 1),
                r64("srlw", Asm::srlw, -1, 32, -1),
                r64("srlw", Asm::srlw, -1, 4, 0x0FFF_FFFFL),
                r64("srlw", Asm::srlw, 0x1_2345_6789L, 36, 0x0234_5678L),
                r64("sraw", Asm::sraw, MIN32, 31, -1),
                r64("sraw", Asm::sraw, MIN32, 4, 0xFFFF_FFFF_F800_0000L),
                r64("sraw", Asm::sraw, MAX32, 31, 0),
                r64("sraw", Asm::sraw, 0xFFFF_FFF0L, 2, -4),
                r64("sraw", Asm::sraw, MIN32, 63, -1),
                r64("sraw", Asm::sraw, 0xFFFF_FFFF_7FFF_FFFFL, 0, MAX32));
    }

    static Stream<RegCase> rv64Immediate() {
        return Stream.of(
                i64("addi", Asm::addi, 1, -1, 0),
                i64("addi", Asm::addi, 0, 2047, 2047),
                i64("addi", Asm::addi, 0, -2048, -2048),
                i64("addi", Asm::addi, MAX64, 1, MIN64),
                i64("addi", Asm::addi, ONES32, 1, 0x1_0000_0000L),
                i64("addi", Asm::addi, 0x1234_5678_9ABC_DEF0L, 0, 0x1234_5678_9ABC_DEF0L),
                i64("slti", Asm::slti, -1, 0, 1),
                i64("slti", Asm::slti, 0, -1, 0),
                i64("slti", Asm::slti, -2049, -2048, 1),
                i64("slti", Asm::slti, 2047, 2047, 0),
                i64("slti", Asm::slti, MIN64, 0, 1),
                i64("sltiu", Asm::sltiu, 0, 1, 1),
                i64("sltiu", Asm::sltiu, 1, 1, 0),
                i64("sltiu", Asm::sltiu, 5, -1, 1),
                i64("sltiu", Asm::sltiu, -1, -1, 0),
                i64("sltiu", Asm::sltiu, -2, -1, 1),
                i64("sltiu", Asm::sltiu, 0x800, 0x7FF, 0),
                i64("xori", Asm::xori, 0x1234, -1, 0xFFFF_FFFF_FFFF_EDCBL),
                i64("xori", Asm::xori, 0xFF, 0x0F, 0xF0),
                i64("xori", Asm::xori, -1, -2048, 0x7FF),
                i64("ori", Asm::ori, MIN64, 1, 0x8000_0000_0000_0001L),
                i64("ori", Asm::ori, 0, -2048, 0xFFFF_FFFF_FFFF_F800L),
                i64("andi", Asm::andi, -1, -16, 0xFFFF_FFFF_FFFF_FFF0L),
                i64("andi", Asm::andi, 0x1234_5678_9ABC_DEF0L, 0x7FF, 0x6F0),
                i64("andi", Asm::andi, 0x1234_5678_9ABC_DEF0L, -1, 0x1234_5678_9ABC_DEF0L),
                i64("slli", Asm::slli, 1, 0, 1),
                i64("slli", Asm::slli, 1, 31, 0x8000_0000L),
                i64("slli", Asm::slli, 1, 32, 0x1_0000_0000L),
                i64("slli", Asm::slli, 1, 63, MIN64),
                i64("slli", Asm::slli, 0xFF, 60, 0xF000_0000_0000_0000L),
                i64("srli", Asm::srli, -1, 0, -1),
                i64("srli", Asm::srli, -1, 1, MAX64),
                i64("srli", Asm::srli, -1, 31, 0x1_FFFF_FFFFL),
                i64("srli", Asm::srli, -1, 32, ONES32),
                i64("srli", Asm::srli, -1, 63, 1),
                i64("srai", Asm::srai, MIN64, 0, MIN64),
                i64("srai", Asm::srai, MIN64, 31, 0xFFFF_FFFF_0000_0000L),
                i64("srai", Asm::srai, MIN64, 32, 0xFFFF_FFFF_8000_0000L),
                i64("srai", Asm::srai, MIN64, 63, -1),
                i64("srai", Asm::srai, MAX64, 63, 0),
                i64("srai", Asm::srai, 0x4000_0000_0000_0000L, 62, 1),
                i64("addiw", Asm::addiw, MAX32, 1, 0xFFFF_FFFF_8000_0000L),
                i64("addiw", Asm::addiw, 0x1_2345_6789L, 0, 0x2345_6789L),
                i64("addiw", Asm::addiw, ONES32, 0, -1),
                i64("addiw", Asm::addiw, MIN32, -1, MAX32),
                i64("addiw", Asm::addiw, 0, -2048, -2048),
                i64("slliw", Asm::slliw, 1, 31, 0xFFFF_FFFF_8000_0000L),
                i64("slliw", Asm::slliw, 0xFFFF_FFFF_0000_0003L, 0, 3),
                i64("slliw", Asm::slliw, 0x1234_5678L, 8, 0x3456_7800L),
                i64("slliw", Asm::slliw, 3, 31, 0xFFFF_FFFF_8000_0000L),
                i64("srliw", Asm::srliw, MIN32, 0, 0xFFFF_FFFF_8000_0000L),
                i64("srliw", Asm::srliw, MIN32, 31, 1),
                i64("srliw", Asm::srliw, 0xFFFF_FFFF_8000_0000L, 1, 0x4000_0000L),
                i64("srliw", Asm::srliw, -1, 0, -1),
                i64("srliw", Asm::srliw, -1, 31, 1),
                i64("srliw", Asm::srliw, 0xABCD_EF00_1234_5678L, 4, 0x0123_4567L),
                i64("sraiw", Asm::sraiw, MIN32, 31, -1),
                i64("sraiw", Asm::sraiw, MIN32, 4, 0xFFFF_FFFF_F800_0000L),
                i64("sraiw", Asm::sraiw, 0xFFFF_FFF0L, 2, -4),
                i64("sraiw", Asm::sraiw, MAX32, 31, 0),
                i64("sraiw", Asm::sraiw, 0x1_7FFF_FFFFL, 0, MAX32),
                i64("sraiw", Asm::sraiw, MIN32, 0, 0xFFFF_FFFF_8000_0000L),
                i64("sraiw", Asm::sraiw, -64, 3, -8));
    }

    static Stream<RegCase> rv32Register() {
        return Stream.of(
                r32("add", Asm::add, 1, 2, 3),
                r32("add", Asm::add, MAX32, 1, MIN32),
                r32("add", Asm::add, ONES32, 1, 0),
                r32("sub", Asm::sub, 0, 1, ONES32),
                r32("sub", Asm::sub, MIN32, 1, MAX32),
                r32("sll", Asm::sll, 1, 0, 1),
                r32("sll", Asm::sll, 1, 31, MIN32),
                r32("sll", Asm::sll, 1, 32, 1),
                r32("sll", Asm::sll, 1, 33, 2),
                r32("sll", Asm::sll, ONES32, 0xFFFF_FFE4L, 0xFFFF_FFF0L),
                r32("srl", Asm::srl, MIN32, 31, 1),
                r32("srl", Asm::srl, MIN32, 0, MIN32),
                r32("srl", Asm::srl, ONES32, 32, ONES32),
                r32("srl", Asm::srl, ONES32, 1, MAX32),
                r32("srl", Asm::srl, ONES32, 35, 0x1FFF_FFFFL),
                r32("sra", Asm::sra, MIN32, 31, ONES32),
                r32("sra", Asm::sra, MIN32, 1, 0xC000_0000L),
                r32("sra", Asm::sra, MAX32, 31, 0),
                r32("sra", Asm::sra, MIN32, 32, MIN32),
                r32("sra", Asm::sra, 0xFFFF_FFF0L, 34, 0xFFFF_FFFCL),
                r32("slt", Asm::slt, ONES32, 0, 1),
                r32("slt", Asm::slt, 0, ONES32, 0),
                r32("slt", Asm::slt, MIN32, MAX32, 1),
                r32("slt", Asm::slt, MAX32, MIN32, 0),
                r32("sltu", Asm::sltu, ONES32, 0, 0),
                r32("sltu", Asm::sltu, 0, ONES32, 1),
                r32("sltu", Asm::sltu, MIN32, MAX32, 0),
                r32("sltu", Asm::sltu, MAX32, MIN32, 1),
                r32("xor", Asm::xor, 0xFF00_FF00L, 0x0FF0_0FF0L, 0xF0F0_F0F0L),
                r32("or", Asm::or, 0xFF00_FF00L, 0x0FF0_0FF0L, 0xFFF0_FFF0L),
                r32("and", Asm::and, 0xFF00_FF00L, 0x0FF0_0FF0L, 0x0F00_0F00L));
    }

    static Stream<RegCase> rv32Immediate() {
        return Stream.of(
                i32("addi", Asm::addi, MAX32, 1, MIN32),
                i32("addi", Asm::addi, ONES32, 1, 0),
                i32("addi", Asm::addi, 0, -2048, 0xFFFF_F800L),
                i32("addi", Asm::addi, 5, 0, 5),
                i32("slti", Asm::slti, ONES32, 0, 1),
                i32("slti", Asm::slti, MIN32, -2048, 1),
                i32("slti", Asm::slti, 0, -1, 0),
                i32("sltiu", Asm::sltiu, 0, 1, 1),
                i32("sltiu", Asm::sltiu, MAX32, -1, 1),
                i32("sltiu", Asm::sltiu, ONES32, -1, 0),
                i32("sltiu", Asm::sltiu, MIN32, -2048, 1),
                i32("xori", Asm::xori, 0x1234_5678L, -1, 0xEDCB_A987L),
                i32("ori", Asm::ori, MIN32, 0x7FF, 0x8000_07FFL),
                i32("andi", Asm::andi, ONES32, -16, 0xFFFF_FFF0L),
                i32("andi", Asm::andi, 0x1234_5678L, 0xFF, 0x78),
                i32("slli", Asm::slli, 1, 0, 1),
                i32("slli", Asm::slli, 1, 31, MIN32),
                i32("slli", Asm::slli, ONES32, 16, 0xFFFF_0000L),
                i32("slli", Asm::slli, 3, 31, MIN32),
                i32("srli", Asm::srli, MIN32, 31, 1),
                i32("srli", Asm::srli, ONES32, 0, ONES32),
                i32("srli", Asm::srli, ONES32, 1, MAX32),
                i32("srli", Asm::srli, ONES32, 31, 1),
                i32("srai", Asm::srai, MIN32, 31, ONES32),
                i32("srai", Asm::srai, MIN32, 0, MIN32),
                i32("srai", Asm::srai, MAX32, 31, 0),
                i32("srai", Asm::srai, MIN32, 1, 0xC000_0000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv64Register(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv64Immediate(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv32Register(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv32Immediate(RegCase c) {
        c.check();
    }

    // ---- operand aliasing: rd equal to a source register

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void destinationMayAliasSources(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 5).li(A1, 7)
                .add(A0, A0, A1)      // a0 = 12
                .sub(A1, A0, A1)      // a1 = 5
                .sll(A2, A1, A1)      // a2 = 5 << 5 = 160
                .xor(A2, A2, A2)      // a2 = 0
                .addi(A1, A1, 1)      // a1 = 6
                .slt(A1, A1, A0));    // a1 = 6 < 12 = 1
        assertX(r, A0, 12);
        assertX(r, A1, 1);
        assertX(r, A2, 0);
    }

    // ---- lui / auipc

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void lui(int xlen) {
        Run r = exec(xlen, a -> a
                .lui(A0, 0x12345)
                .lui(A1, 0x80000)
                .lui(A2, 0xFFFFF)
                .lui(Asm.A3, 0x7FFFF)
                .lui(Asm.A4, 0));
        assertX(r, A0, 0x1234_5000L);
        assertX(r, A1, 0xFFFF_FFFF_8000_0000L);   // sign-extended on RV64
        assertX(r, A2, 0xFFFF_FFFF_FFFF_F000L);
        assertX(r, Asm.A3, 0x7FFF_F000L);
        assertX(r, Asm.A4, 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void auipcIsPcRelative(int xlen) {
        Run r = exec(xlen, a -> a
                .nop()
                .label("p0").auipc(A0, 0)
                .label("p1").auipc(A1, 0x12345)
                .label("p2").auipc(A2, 0xFFFFF)           // pc - 4096
                .label("p3").auipc(Asm.A3, 0x80000)       // pc - 2^31 (RV64) / pc + 2^31 mod 2^32 (RV32)
                .label("p4").auipc(Asm.A4, 0x7FFFF));
        assertX(r, A0, r.addr("p0"));
        assertX(r, A1, r.addr("p1") + 0x1234_5000L);
        assertX(r, A2, r.addr("p2") - 4096);
        assertX(r, Asm.A3, r.addr("p3") + 0xFFFF_FFFF_8000_0000L);
        assertX(r, Asm.A4, r.addr("p4") + 0x7FFF_F000L);
    }

    @Test
    void auipcAfterCompressedInstructionUsesItsOwnPc() {
        Run r = exec(64, a -> a
                .cNop()
                .label("p").auipc(A0, 1)
                .cNop()
                .label("q").auipc(A1, 0));
        assertX(r, A0, r.addr("p") + 4096);
        assertX(r, A1, r.addr("q"));
    }
}
