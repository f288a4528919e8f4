package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.MAX32;
import static dev.riscvsandbox.isa.InstructionHarness.MAX64;
import static dev.riscvsandbox.isa.InstructionHarness.MIN32;
import static dev.riscvsandbox.isa.InstructionHarness.MIN64;
import static dev.riscvsandbox.isa.InstructionHarness.ONES32;

import dev.riscvsandbox.isa.InstructionHarness.I;
import dev.riscvsandbox.isa.InstructionHarness.R;
import dev.riscvsandbox.isa.InstructionHarness.RI;
import dev.riscvsandbox.isa.InstructionHarness.RR;
import dev.riscvsandbox.isa.InstructionHarness.RU;
import dev.riscvsandbox.isa.InstructionHarness.RegCase;
import dev.riscvsandbox.isa.InstructionHarness.U;
import dev.riscvsandbox.testutil.Asm;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Zba, Zbb, Zbc and Zbs on RV64 and (where defined) RV32. */
class BitManipTest {

    private static final long P = 0x0123_4567_89AB_CDEFL;

    private static RR r64(String name, R op, long a, long b, long expected) {
        return new RR(64, name, op, a, b, expected);
    }

    private static RI i64(String name, I op, long a, int imm, long expected) {
        return new RI(64, name, op, a, imm, expected);
    }

    private static RU u64(String name, U op, long a, long expected) {
        return new RU(64, name, op, a, expected);
    }

    private static RR r32(String name, R op, long a, long b, long expected) {
        return new RR(32, name, op, a, b, expected);
    }

    private static RI i32(String name, I op, long a, int imm, long expected) {
        return new RI(32, name, op, a, imm, expected);
    }

    private static RU u32(String name, U op, long a, long expected) {
        return new RU(32, name, op, a, expected);
    }

    static Stream<RegCase> zba64() {
        return Stream.of(
                r64("sh1add", Asm::sh1add, 5, 100, 110),
                r64("sh1add", Asm::sh1add, 0x8000_0000_0000_0001L, 0, 2),
                r64("sh1add", Asm::sh1add, -1, 0, -2),
                r64("sh2add", Asm::sh2add, 5, 100, 120),
                r64("sh2add", Asm::sh2add, 0x4000_0000_0000_0000L, 1, 1),
                r64("sh2add", Asm::sh2add, -1, 4, 0),
                r64("sh3add", Asm::sh3add, 5, 100, 140),
                r64("sh3add", Asm::sh3add, 0x2000_0000_0000_0000L, 7, 7),
                r64("sh3add", Asm::sh3add, ONES32, 1, 0x7_FFFF_FFF9L),
                r64("add.uw", Asm::addUw, -1, 1, 0x1_0000_0000L),
                r64("add.uw", Asm::addUw, 0x1234_5678_9ABC_DEF0L, 0x10, 0x9ABC_DF00L),
                r64("add.uw", Asm::addUw, MIN32, -1, MAX32),
                r64("sh1add.uw", Asm::sh1addUw, 0xFFFF_FFFF_8000_0000L, 1, 0x1_0000_0001L),
                r64("sh1add.uw", Asm::sh1addUw, ONES32, 0, 0x1_FFFF_FFFEL),
                r64("sh2add.uw", Asm::sh2addUw, -1, 0, 0x3_FFFF_FFFCL),
                r64("sh2add.uw", Asm::sh2addUw, 0xAAAA_AAAA_0000_0001L, 0x1000, 0x1004),
                r64("sh3add.uw", Asm::sh3addUw, 0x1_8000_0000L, 8, 0x4_0000_0008L),
                r64("sh3add.uw", Asm::sh3addUw, -1, -1, 0x7_FFFF_FFF7L),
                i64("slli.uw", Asm::slliUw, 0xFFFF_FFFF_8000_0001L, 0, 0x8000_0001L),
                i64("slli.uw", Asm::slliUw, -1, 32, 0xFFFF_FFFF_0000_0000L),
                i64("slli.uw", Asm::slliUw, 1, 63, MIN64),
                i64("slli.uw", Asm::slliUw, MIN32, 63, 0),
                i64("slli.uw", Asm::slliUw, ONES32, 31, 0x7FFF_FFFF_8000_0000L),
                i64("slli.uw", Asm::slliUw, 0x1_0000_0003L, 1, 6));
    }

    static Stream<RegCase> zbb64() {
        return Stream.of(
                r64("andn", Asm::andn, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0xF000_F000_F000_F000L),
                r64("andn", Asm::andn, -1, 0, -1),
                r64("orn", Asm::orn, 0, 0, -1),
                r64("orn", Asm::orn, 0xF0, -1, 0xF0),
                r64("xnor", Asm::xnor, P, P, -1),
                r64("xnor", Asm::xnor, 0xFF00_FF00_FF00_FF00L, 0x0FF0_0FF0_0FF0_0FF0L, 0x0F0F_0F0F_0F0F_0F0FL),
                u64("clz", Asm::clz, 0, 64),
                u64("clz", Asm::clz, -1, 0),
                u64("clz", Asm::clz, 1, 63),
                u64("clz", Asm::clz, MIN32, 32),
                u64("ctz", Asm::ctz, 0, 64),
                u64("ctz", Asm::ctz, -1, 0),
                u64("ctz", Asm::ctz, MIN64, 63),
                u64("ctz", Asm::ctz, 0x1_0000_0000L, 32),
                u64("cpop", Asm::cpop, 0, 0),
                u64("cpop", Asm::cpop, -1, 64),
                u64("cpop", Asm::cpop, 0xF0F0, 8),
                u64("cpop", Asm::cpop, MIN64 | 1, 2),
                u64("clzw", Asm::clzw, 0, 32),
                u64("clzw", Asm::clzw, -1, 0),
                u64("clzw", Asm::clzw, 0xFFFF_FFFF_0000_0001L, 31),
                u64("clzw", Asm::clzw, 0x8000, 16),
                u64("clzw", Asm::clzw, 0xFFFF_FFFF_0000_0000L, 32),
                u64("ctzw", Asm::ctzw, 0, 32),
                u64("ctzw", Asm::ctzw, -1, 0),
                u64("ctzw", Asm::ctzw, 0x1_0000_0000L, 32),
                u64("ctzw", Asm::ctzw, MIN32, 31),
                u64("cpopw", Asm::cpopw, 0, 0),
                u64("cpopw", Asm::cpopw, -1, 32),
                u64("cpopw", Asm::cpopw, 0xFFFF_FFFF_0000_000FL, 4),
                r64("max", Asm::max, -1, 1, 1),
                r64("max", Asm::max, MIN64, MAX64, MAX64),
                r64("max", Asm::max, 7, 7, 7),
                r64("min", Asm::min, -1, 1, -1),
                r64("min", Asm::min, MIN64, MAX64, MIN64),
                r64("maxu", Asm::maxu, -1, 1, -1),
                r64("maxu", Asm::maxu, MIN64, MAX64, MIN64),
                r64("minu", Asm::minu, -1, 1, 1),
                r64("minu", Asm::minu, MIN64, MAX64, MAX64),
                r64("minu", Asm::minu, 0, -1, 0),
                u64("sext.b", Asm::sextB, 0x80, -128),
                u64("sext.b", Asm::sextB, 0x7F, 127),
                u64("sext.b", Asm::sextB, 0xFFFF_FFFF_FFFF_FF00L, 0),
                u64("sext.b", Asm::sextB, 0x1234_5680L, -128),
                u64("sext.h", Asm::sextH, 0x8000, 0xFFFF_FFFF_FFFF_8000L),
                u64("sext.h", Asm::sextH, 0x7FFF, 0x7FFF),
                u64("sext.h", Asm::sextH, 0x1234_5678L, 0x5678),
                u64("zext.h", Asm::zextH, -1, 0xFFFF),
                u64("zext.h", Asm::zextH, 0x1234_8765L, 0x8765),
                r64("rol", Asm::rol, 0x8000_0000_0000_0001L, 1, 3),
                r64("rol", Asm::rol, P, 0, P),
                r64("rol", Asm::rol, P, 64, P),
                r64("rol", Asm::rol, P, 32, 0x89AB_CDEF_0123_4567L),
                r64("rol", Asm::rol, P, 68, 0x1234_5678_9ABC_DEF0L),
                r64("rol", Asm::rol, 1, 63, MIN64),
                r64("ror", Asm::ror, 1, 1, MIN64),
                r64("ror", Asm::ror, P, 0, P),
                r64("ror", Asm::ror, P, 32, 0x89AB_CDEF_0123_4567L),
                r64("ror", Asm::ror, P, 4, 0xF012_3456_789A_BCDEL),
                r64("ror", Asm::ror, P, 68, 0xF012_3456_789A_BCDEL),
                r64("ror", Asm::ror, 1, 127, 2),
                i64("rori", Asm::rori, 1, 63, 2),
                i64("rori", Asm::rori, P, 0, P),
                i64("rori", Asm::rori, P, 32, 0x89AB_CDEF_0123_4567L),
                i64("rori", Asm::rori, P, 4, 0xF012_3456_789A_BCDEL),
                i64("rori", Asm::rori, 1, 1, MIN64),
                r64("rolw", Asm::rolw, 0x8000_0001L, 1, 3),
                r64("rolw", Asm::rolw, 0x1234_5678L, 4, 0x2345_6781L),
                r64("rolw", Asm::rolw, 0xFFFF_FFFF_0000_0001L, 31, 0xFFFF_FFFF_8000_0000L),
                r64("rolw", Asm::rolw, 0x1234_5678L, 36, 0x2345_6781L),
                r64("rolw", Asm::rolw, 0x8765_4321L, 0, 0xFFFF_FFFF_8765_4321L),
                r64("rorw", Asm::rorw, 1, 1, 0xFFFF_FFFF_8000_0000L),
                r64("rorw", Asm::rorw, 0x1234_5678L, 4, 0xFFFF_FFFF_8123_4567L),
                r64("rorw", Asm::rorw, 0x1234_5678L, 32, 0x1234_5678L),
                r64("rorw", Asm::rorw, 0xABCD_0000_0001L, 0, 1),
                i64("roriw", Asm::roriw, 1, 1, 0xFFFF_FFFF_8000_0000L),
                i64("roriw", Asm::roriw, 0x1234_5678L, 0, 0x1234_5678L),
                i64("roriw", Asm::roriw, 0x1234_5678L, 31, 0x2468_ACF0L),
                i64("roriw", Asm::roriw, 0xFFFF_FFFF_0000_F000L, 12, 0xF),
                i64("roriw", Asm::roriw, 0x8000_0000L, 0, 0xFFFF_FFFF_8000_0000L),
                u64("orc.b", Asm::orcB, 0x0102_0003_0000_0080L, 0xFFFF_00FF_0000_00FFL),
                u64("orc.b", Asm::orcB, 0, 0),
                u64("orc.b", Asm::orcB, -1, -1),
                u64("orc.b", Asm::orcB, MIN64, 0xFF00_0000_0000_0000L),
                u64("rev8", Asm::rev8, P, 0xEFCD_AB89_6745_2301L),
                u64("rev8", Asm::rev8, 0x80, MIN64),
                u64("rev8", Asm::rev8, -1, -1));
    }

    static Stream<RegCase> zbc64() {
        return Stream.of(
                r64("clmul", Asm::clmul, 3, 3, 5),
                r64("clmul", Asm::clmul, 0xFF, 0xFF, 0x5555),
                r64("clmul", Asm::clmul, -1, -1, 0x5555_5555_5555_5555L),
                r64("clmul", Asm::clmul, MIN64, 2, 0),
                r64("clmul", Asm::clmul, P, 1, P),
                r64("clmul", Asm::clmul, 0x1234_5678_9ABC_DEF0L, 0x0FED_CBA9_8765_4321L, 0x40A0_7898_28C8_10F0L),
                r64("clmulh", Asm::clmulh, -1, -1, 0x5555_5555_5555_5555L),
                r64("clmulh", Asm::clmulh, MIN64, 2, 1),
                r64("clmulh", Asm::clmulh, P, 1, 0),
                r64("clmulh", Asm::clmulh, MIN64, MIN64, 0x4000_0000_0000_0000L),
                r64("clmulh", Asm::clmulh, 0x1234_5678_9ABC_DEF0L, 0x0FED_CBA9_8765_4321L, 0x00E0_38D8_6888_50B0L),
                r64("clmulr", Asm::clmulr, -1, -1, 0xAAAA_AAAA_AAAA_AAAAL),
                r64("clmulr", Asm::clmulr, MIN64, 2, 2),
                r64("clmulr", Asm::clmulr, P, 1, 0),
                r64("clmulr", Asm::clmulr, MIN64, 1, 1),
                r64("clmulr", Asm::clmulr, 0x1234_5678_9ABC_DEF0L, 0x0FED_CBA9_8765_4321L, 0x01C0_71B0_D110_A160L));
    }

    static Stream<RegCase> zbs64() {
        return Stream.of(
                r64("bset", Asm::bset, 0, 0, 1),
                r64("bset", Asm::bset, 0, 63, MIN64),
                r64("bset", Asm::bset, 0, 64, 1),
                r64("bset", Asm::bset, 0, 32, 0x1_0000_0000L),
                r64("bset", Asm::bset, 1, 0, 1),
                r64("bclr", Asm::bclr, -1, 63, MAX64),
                r64("bclr", Asm::bclr, -1, 0, -2),
                r64("bclr", Asm::bclr, 1, 64, 0),
                r64("bclr", Asm::bclr, 0, 5, 0),
                r64("binv", Asm::binv, 0, 63, MIN64),
                r64("binv", Asm::binv, MIN64, 63, 0),
                r64("binv", Asm::binv, 0, 127, MIN64),
                r64("binv", Asm::binv, -1, 31, 0xFFFF_FFFF_7FFF_FFFFL),
                r64("bext", Asm::bext, MIN64, 63, 1),
                r64("bext", Asm::bext, MIN64, 62, 0),
                r64("bext", Asm::bext, 0x1_0000_0000L, 32, 1),
                r64("bext", Asm::bext, 1, 64, 1),
                r64("bext", Asm::bext, -1, 0xFFFF_FFFF_FFFF_FFC5L, 1),
                i64("bseti", Asm::bseti, 0, 63, MIN64),
                i64("bseti", Asm::bseti, 0, 31, MIN32),
                i64("bseti", Asm::bseti, 0, 0, 1),
                i64("bclri", Asm::bclri, -1, 31, 0xFFFF_FFFF_7FFF_FFFFL),
                i64("bclri", Asm::bclri, -1, 63, MAX64),
                i64("bclri", Asm::bclri, 1, 0, 0),
                i64("binvi", Asm::binvi, 0, 0, 1),
                i64("binvi", Asm::binvi, -1, 32, 0xFFFF_FFFE_FFFF_FFFFL),
                i64("binvi", Asm::binvi, MIN64, 63, 0),
                i64("bexti", Asm::bexti, MIN32, 31, 1),
                i64("bexti", Asm::bexti, MIN64, 63, 1),
                i64("bexti", Asm::bexti, MIN64, 0, 0),
                i64("bexti", Asm::bexti, 0x1_0000_0000L, 32, 1));
    }

    static Stream<RegCase> rv32() {
        return Stream.of(
                // Zba
                r32("sh1add", Asm::sh1add, 5, 100, 110),
                r32("sh1add", Asm::sh1add, 0x8000_0001L, 0, 2),
                r32("sh2add", Asm::sh2add, 0x4000_0000L, 1, 1),
                r32("sh2add", Asm::sh2add, 0x2000_0000L, 0, MIN32),
                r32("sh3add", Asm::sh3add, 0x2000_0000L, 7, 7),
                r32("sh3add", Asm::sh3add, ONES32, 8, 0),
                // Zbb
                r32("andn", Asm::andn, 0xFF00_FF00L, 0x0FF0_0FF0L, 0xF000_F000L),
                r32("orn", Asm::orn, 0, 0, ONES32),
                r32("orn", Asm::orn, 0x0F, 0xFFFF_FFF0L, 0x0F),
                r32("xnor", Asm::xnor, 0xFF00_FF00L, 0x0FF0_0FF0L, 0x0F0F_0F0FL),
                u32("clz", Asm::clz, 0, 32),
                u32("clz", Asm::clz, ONES32, 0),
                u32("clz", Asm::clz, 1, 31),
                u32("clz", Asm::clz, 0x8000, 16),
                u32("ctz", Asm::ctz, 0, 32),
                u32("ctz", Asm::ctz, ONES32, 0),
                u32("ctz", Asm::ctz, MIN32, 31),
                u32("cpop", Asm::cpop, 0, 0),
                u32("cpop", Asm::cpop, ONES32, 32),
                u32("cpop", Asm::cpop, MIN32 | 1, 2),
                r32("max", Asm::max, ONES32, 1, 1),
                r32("max", Asm::max, MIN32, MAX32, MAX32),
                r32("min", Asm::min, ONES32, 1, ONES32),
                r32("min", Asm::min, MIN32, MAX32, MIN32),
                r32("maxu", Asm::maxu, ONES32, 1, ONES32),
                r32("maxu", Asm::maxu, MIN32, MAX32, MIN32),
                r32("minu", Asm::minu, ONES32, 1, 1),
                r32("minu", Asm::minu, MIN32, MAX32, MAX32),
                u32("sext.b", Asm::sextB, 0x80, 0xFFFF_FF80L),
                u32("sext.b", Asm::sextB, 0xFFFF_FF7FL, 0x7F),
                u32("sext.h", Asm::sextH, 0x8000, 0xFFFF_8000L),
                u32("sext.h", Asm::sextH, 0xFFFF_7FFFL, 0x7FFF),
                u32("zext.h", Asm::zextH, ONES32, 0xFFFF),
                u32("zext.h", Asm::zextH, 0x1234_8765L, 0x8765),
                r32("rol", Asm::rol, 0x8000_0001L, 1, 3),
                r32("rol", Asm::rol, 0x1234_5678L, 0, 0x1234_5678L),
                r32("rol", Asm::rol, 0x1234_5678L, 32, 0x1234_5678L),
                r32("rol", Asm::rol, 0x1234_5678L, 36, 0x2345_6781L),
                r32("ror", Asm::ror, 1, 1, MIN32),
                r32("ror", Asm::ror, 0x1234_5678L, 4, 0x8123_4567L),
                r32("ror", Asm::ror, 0x1234_5678L, 32, 0x1234_5678L),
                r32("ror", Asm::ror, 0x1234_5678L, 63, 0x2468_ACF0L),
                i32("rori", Asm::rori, 0x1234_5678L, 31, 0x2468_ACF0L),
                i32("rori", Asm::rori, 0x1234_5678L, 0, 0x1234_5678L),
                i32("rori", Asm::rori, 1, 1, MIN32),
                u32("orc.b", Asm::orcB, 0x0100_0080L, 0xFF00_00FFL),
                u32("orc.b", Asm::orcB, 0, 0),
                u32("orc.b", Asm::orcB, MIN32, 0xFF00_0000L),
                u32("rev8", Asm::rev8, 0x1234_5678L, 0x7856_3412L),
                u32("rev8", Asm::rev8, 0x80, MIN32),
                // Zbc
                r32("clmul", Asm::clmul, ONES32, ONES32, 0x5555_5555L),
                r32("clmul", Asm::clmul, MIN32, 2, 0),
                r32("clmul", Asm::clmul, 0x1234_5678L, 0x9ABC_DEF0L, 0x5CD2_5A80L),
                r32("clmulh", Asm::clmulh, ONES32, ONES32, 0x5555_5555L),
                r32("clmulh", Asm::clmulh, MIN32, 2, 1),
                r32("clmulh", Asm::clmulh, 0x1234_5678L, 0x9ABC_DEF0L, 0x0886_0E94L),
                r32("clmulr", Asm::clmulr, ONES32, ONES32, 0xAAAA_AAAAL),
                r32("clmulr", Asm::clmulr, MIN32, 2, 2),
                r32("clmulr", Asm::clmulr, MIN32, 1, 1),
                r32("clmulr", Asm::clmulr, 0x1234_5678L, 0x9ABC_DEF0L, 0x110C_1D28L),
                // Zbs
                r32("bset", Asm::bset, 0, 31, MIN32),
                r32("bset", Asm::bset, 0, 32, 1),
                r32("bclr", Asm::bclr, ONES32, 31, MAX32),
                r32("bclr", Asm::bclr, ONES32, 63, MAX32),
                r32("binv", Asm::binv, 0, 31, MIN32),
                r32("binv", Asm::binv, MIN32, 31, 0),
                r32("bext", Asm::bext, MIN32, 31, 1),
                r32("bext", Asm::bext, MIN32, 63, 1),
                r32("bext", Asm::bext, MIN32, 30, 0),
                i32("bseti", Asm::bseti, 0, 31, MIN32),
                i32("bclri", Asm::bclri, ONES32, 0, 0xFFFF_FFFEL),
                i32("bclri", Asm::bclri, ONES32, 31, MAX32),
                i32("binvi", Asm::binvi, MIN32, 31, 0),
                i32("bexti", Asm::bexti, MIN32, 31, 1),
                i32("bexti", Asm::bexti, MIN32, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void zba64(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void zbb64(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void zbc64(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void zbs64(RegCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rv32(RegCase c) {
        c.check();
    }
}
