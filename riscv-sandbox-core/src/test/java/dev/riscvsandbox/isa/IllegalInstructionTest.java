package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.InstructionHarness.assertIllegal;
import static dev.riscvsandbox.isa.InstructionHarness.assertX;
import static dev.riscvsandbox.isa.InstructionHarness.exec;
import static dev.riscvsandbox.isa.InstructionHarness.hex;
import static dev.riscvsandbox.isa.InstructionHarness.run;
import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.riscvsandbox.isa.InstructionHarness.Run;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reserved, unsupported and XLEN-mismatched 32-bit encodings: each faults with {@code ILLEGAL_INSTRUCTION} at its
 * own address, reports its raw bits, retires nothing and changes no register. (Reserved 16-bit encodings are in
 * {@link CompressedTest}, CSR accesses in {@link CsrTest}, invalid dynamic rounding modes in {@link FloatTest}.)
 */
class IllegalInstructionTest {

    record Encoding(int xlen, String what, int bits) {
        @Override
        public String toString() {
            return "rv" + xlen + " " + what + " (" + hex(bits & 0xFFFF_FFFFL) + ")";
        }
    }

    private static void both(Stream.Builder<Encoding> s, String what, int bits) {
        s.add(new Encoding(32, what, bits));
        s.add(new Encoding(64, what, bits));
    }

    static Stream<Encoding> encodings() {
        Stream.Builder<Encoding> s = Stream.builder();
        both(s, "all ones", 0xFFFF_FFFF);
        both(s, "custom-0 opcode", 0x0000_000B);
        both(s, "custom-1 opcode", 0x0000_002B);
        both(s, "custom-2 opcode (rd != 0: not a dyncall)", 0x0000_00DB);
        both(s, "custom-2 dyncall number 40 and above", 0x0280_005B);
        both(s, "custom-3 opcode", 0x0000_007B);
        both(s, "OP-V opcode (no V extension)", 0x0000_0057);
        both(s, "reserved opcode 0x6b", 0x0000_006B);
        both(s, "reserved opcode 0x77", 0x0000_0077);
        both(s, "jalr funct3=1", 0x0005_10E7);
        both(s, "branch funct3=2", 0x00B5_2063);
        both(s, "branch funct3=3", 0x00B5_3063);
        both(s, "load funct3=7", 0x0005_7503);
        both(s, "store funct3=4", 0x00A5_C023);
        both(s, "store funct3=7", 0x00A5_F023);
        both(s, "OP funct7=0x02", 0x0400_0033);
        both(s, "OP funct7=0x05 funct3=0", 0x0A00_0033);
        both(s, "OP-IMM srli with funct6=0x11", 0x4405_5513);
        both(s, "ecall with rd != 0", 0x0000_00F3);
        both(s, "ecall with rs1 != 0", 0x0000_8073);
        both(s, "ebreak with rd != 0", 0x0010_00F3);
        both(s, "SYSTEM funct3=4", 0x0000_4073);
        both(s, "mret in user mode", 0x3020_0073);
        both(s, "sret in user mode", 0x1020_0073);
        both(s, "sfence.vma in user mode", 0x1200_0073);
        both(s, "lr.w with rs2 != 0", 0x1015_A52F);
        both(s, "AMO funct5=0x05 (no Zacas)", 0x2800_202F);
        both(s, "AMO funct3=0 (no Zabha)", 0x00B5_002F);
        both(s, "AMO funct3=4", 0x00B5_452F);
        both(s, "fadd.s rm=5", 0x0000_5053);
        both(s, "fadd.d rm=6", 0x0200_6053);
        both(s, "fmadd with fmt=2 (no Zfh)", 0x0400_0043);
        both(s, "fmadd with fmt=3 (no Q)", 0x0600_0043);
        both(s, "fmsub.s rm=5", 0x0000_5047);
        both(s, "fcvt.w.s rm=5", 0xC000_5053);
        both(s, "fcvt.d.s rm=5", 0x4200_5053);
        both(s, "fcvt.d.w rm=6", 0xD200_6053);
        both(s, "fsqrt.d rm=5", 0x5A00_5053);
        both(s, "flh (no Zfh)", 0x0000_1007);
        both(s, "flq (no Q)", 0x0000_4007);
        both(s, "fsh (no Zfh)", 0x0000_1027);
        both(s, "fsgnj.s funct3=3", 0x2000_3053);
        both(s, "fmin.s funct3=2", 0x2800_2053);
        both(s, "feq.s funct3=3", 0xA000_3053);
        both(s, "fcvt.s.d with rs2=0", 0x4000_0053);
        both(s, "fcvt.d.s with rs2=1", 0x4210_0053);
        both(s, "fsqrt.s with rs2=1", 0x5810_0053);
        both(s, "fclass.s with rs2=1", 0xE010_1053);
        both(s, "fmv.x.w funct3=2", 0xE000_2053);
        both(s, "fmv.w.x funct3=1", 0xF000_1053);
        both(s, "fcvt.w.s with rs2=4", 0xC040_0053);
        both(s, "fadd.h (no Zfh)", 0x0400_0053);
        // RV64-only instructions on RV32
        s.add(new Encoding(32, "ld", 0x0005_B503));
        s.add(new Encoding(32, "lwu", 0x0005_E503));
        s.add(new Encoding(32, "sd", 0x00A5_B023));
        s.add(new Encoding(32, "addiw", 0x0015_051B));
        s.add(new Encoding(32, "slliw", 0x0015_151B));
        s.add(new Encoding(32, "addw", 0x00B5_053B));
        s.add(new Encoding(32, "mulw", 0x02B5_053B));
        s.add(new Encoding(32, "amoadd.d", 0x00B5_352F));
        s.add(new Encoding(32, "lr.d", 0x1005_B52F));
        s.add(new Encoding(32, "fcvt.l.s", 0xC025_1553));
        s.add(new Encoding(32, "fcvt.s.lu", 0xD035_0553));
        s.add(new Encoding(32, "fmv.x.d", 0xE205_0553));
        s.add(new Encoding(32, "fmv.d.x", 0xF205_0553));
        s.add(new Encoding(32, "add.uw", 0x08B5_053B));
        s.add(new Encoding(32, "slli.uw", 0x0805_151B));
        s.add(new Encoding(32, "clzw", 0x6005_151B));
        s.add(new Encoding(32, "rolw", 0x60B5_153B));
        s.add(new Encoding(32, "zext.h (RV64 encoding)", 0x0805_453B));
        s.add(new Encoding(32, "rev8 (RV64 encoding)", 0x6B85_5513));
        // shift amounts with bit 5 set on RV32
        s.add(new Encoding(32, "slli a0, a0, 32", 0x0205_1513));
        s.add(new Encoding(32, "srli a0, a0, 32", 0x0205_5513));
        s.add(new Encoding(32, "srai a0, a0, 32", 0x4205_5513));
        s.add(new Encoding(32, "rori a0, a0, 32", 0x6205_5513));
        s.add(new Encoding(32, "bseti a0, a0, 32", 0x2A05_1513));
        s.add(new Encoding(32, "bclri a0, a0, 33", 0x4A15_1513));
        s.add(new Encoding(32, "binvi a0, a0, 63", 0x6BF5_1513));
        s.add(new Encoding(32, "bexti a0, a0, 32", 0x4A05_5513));
        // RV64: W shifts with shamt[5] = 1, RV32-only encodings, holes in OP-32 / OP-IMM-32
        s.add(new Encoding(64, "slliw a0, a0, 32", 0x0205_151B));
        s.add(new Encoding(64, "srliw a0, a0, 32", 0x0205_551B));
        s.add(new Encoding(64, "sraiw a0, a0, 32", 0x4205_551B));
        s.add(new Encoding(64, "roriw a0, a0, 32", 0x6205_551B));
        s.add(new Encoding(64, "zext.h (RV32 encoding, pack without Zbkb)", 0x0805_4533));
        s.add(new Encoding(64, "rev8 (RV32 encoding)", 0x6985_5513));
        s.add(new Encoding(64, "OP-IMM-32 funct3=2", 0x0000_201B));
        s.add(new Encoding(64, "OP-32 mulhw (funct7=1 funct3=1)", 0x0200_103B));
        s.add(new Encoding(64, "OP-32 funct7=0x20 funct3=1", 0x4000_103B));
        s.add(new Encoding(64, "sraw with funct7=0x30 funct3=0", 0x6000_003B));
        return s.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void encodings(Encoding e) {
        Run r = run(e.xlen, a -> a
                .li(A0, 7).li(A1, -1)
                .label("bad").word(e.bits)
                .li(A0, 8)
                .ebreak());
        assertIllegal(r, r.addr("bad"), e.bits);
        assertX(r, A0, 7, "no instruction after the illegal one ran");
        assertX(r, A1, -1);
        assertEquals(2, r.result.instructions(), "the illegal instruction does not retire");
        assertEquals(r.addr("bad"), r.pc, "the pc stays at the illegal instruction");
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void allZeroWordIsIllegalAsA16BitInstruction(int xlen) {
        Run r = run(xlen, a -> a.nop().label("bad").word(0).ebreak());
        assertIllegal(r, r.addr("bad"), 0);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void illegalInstructionsThatAreNotExecutedDoNotFault(int xlen) {
        Run r = exec(xlen, a -> a
                .li(A0, 1)
                .beq(ZERO, ZERO, "skip")
                .word(0xFFFF_FFFF)
                .word(0)
                .half(0x0000)
                .half(0x0001)
                .label("skip")
                .addi(A0, A0, 1));
        assertX(r, A0, 2);
    }

    @ParameterizedTest(name = "rv{0}")
    @ValueSource(ints = {32, 64})
    void illegalInstructionAtTheStartOfABlockReachedByAJump(int xlen) {
        Run r = run(xlen, a -> a
                .li(A0, 1)
                .j("bad")
                .addi(A0, A0, 1)
                .label("bad").word(0x0000_000B)
                .ebreak());
        assertIllegal(r, r.addr("bad"), 0x0000_000B);
        assertEquals(2, r.result.instructions());
    }
}
