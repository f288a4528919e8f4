package dev.riscvsandbox.testutil;

import static dev.riscvsandbox.testutil.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the {@link Asm} encoder: hand-checked encodings, operand validation, and (when
 * {@code riscv64-linux-gnu-objdump} is installed) a cross-check of several hundred random instructions of every
 * extension against the GNU disassembler, and (when qemu-user is installed) {@link Asm#li} for many constants.
 */
class AsmTest {

    private static final int REPEAT = 4;
    private static final int[] RMS = {RNE, RTZ, RDN, RUP, RMM, DYN};

    @TempDir
    Path tmp;

    // =====================================================================================================
    // fixed encodings
    // =====================================================================================================

    private static int word(byte[] code, int off) {
        return ByteBuffer.wrap(code, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void knownEncodings() {
        Asm a = Asm.rv64();
        a.addi(X1, X0, 5);          // 0x00500093
        a.sh1add(X1, X2, X3);       // 0x203120b3
        a.clz(X1, X2);              // 0x60011093
        a.clmul(X1, X2, X3);        // 0x0a3110b3
        a.zextH(X1, X2);            // 0x080140bb
        a.rev8(X1, X2);             // 0x6b815093
        a.fmaddD(1, 2, 3, 4, RTZ);  // 0x223110c3
        a.amoaddW(X1, X2, X3, true, true); // 0x0621a0af
        a.csrr(X1, CSR_FCSR);       // 0x003020f3
        byte[] c = a.code();
        int[] expected = {0x00500093, 0x203120b3, 0x60011093, 0x0a3110b3, 0x080140bb, 0x6b815093, 0x223110c3,
                0x0621a0af, 0x003020f3};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], word(c, i * 4), "instruction " + i + ": " + a.lines().get(i).text());
        }
        Asm b = Asm.rv64();
        b.cAddi4spn(X8, 16).cLw(X8, 4, X9).cLui(X1, 0x1f).cLui(X1, 0xfffe0).cAddi16sp(-32).cEbreak().cNop();
        byte[] cb = b.code();
        int[] halves = {0x0800, 0x40c0, 0x60fd, 0x7081, 0x713d, 0x9002, 0x0001};
        for (int i = 0; i < halves.length; i++) {
            assertEquals(halves[i], (cb[2 * i] & 0xff) | (cb[2 * i + 1] & 0xff) << 8, b.lines().get(i).text());
        }
    }

    private static final int X0 = 0, X1 = 1, X2 = 2, X3 = 3, X8 = 8, X9 = 9;

    @Test
    void labelsAndFixups() {
        Asm a = Asm.rv64();
        a.label("top");
        a.beq(X1, X2, "fwd");       // +8
        a.j("top");                 // -4
        a.label("fwd");
        a.cBnez(X8, "top");         // -8
        a.cJ("end");                // +2
        a.label("end");
        a.la(X1, "top");            // auipc x1,0 ; addi x1,x1,-12
        byte[] c = a.code();
        assertEquals(0x00208463, word(c, 0));
        assertEquals(0xffdff06f, word(c, 4));
        assertEquals(0x00000097, word(c, 12));
        assertEquals(0xff408093, word(c, 16));
        assertEquals("beq x1,x2,0x10008", a.lines().get(0).text());
        assertEquals("addi x1,x1,-12", a.lines().get(5).text());
        assertEquals(0x10000, a.address("top"));
        Asm u = Asm.rv64();
        u.j("nowhere");
        assertThrows(IllegalStateException.class, u::code);
        Asm far = Asm.rv64();
        far.beq(X1, X2, "far");
        for (int i = 0; i < 1100; i++) {
            far.nop();
        }
        far.label("far");
        assertThrows(IllegalArgumentException.class, far::code);
    }

    @Test
    void operandValidation() {
        Asm a = Asm.rv64();
        assertThrows(IllegalArgumentException.class, () -> a.addi(32, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.addi(1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.addi(1, 1, 2048));
        assertThrows(IllegalArgumentException.class, () -> a.addi(1, 1, -2049));
        assertThrows(IllegalArgumentException.class, () -> a.slli(1, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> a.slliw(1, 1, 32));
        assertThrows(IllegalArgumentException.class, () -> a.lui(1, 0x100000));
        assertThrows(IllegalArgumentException.class, () -> a.beq(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> a.beq(1, 2, 4096));
        assertThrows(IllegalArgumentException.class, () -> a.jal(1, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> a.csrrwi(1, CSR_FRM, 32));
        assertThrows(IllegalArgumentException.class, () -> a.csrrw(1, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> a.faddD(1, 2, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> a.cLw(7, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> a.cLw(8, 2, 8));
        assertThrows(IllegalArgumentException.class, () -> a.cAddi(1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.cAddi(1, 32));
        assertThrows(IllegalArgumentException.class, () -> a.cLui(2, 1));
        assertThrows(IllegalArgumentException.class, () -> a.cAddi16sp(8));
        assertThrows(IllegalArgumentException.class, () -> a.cAddi4spn(8, 0));
        assertThrows(IllegalArgumentException.class, () -> a.cJal(0));
        assertThrows(IllegalArgumentException.class, () -> a.cFlw(8, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> a.cSlli(1, 0));
        Asm b = Asm.rv32();
        assertThrows(IllegalArgumentException.class, () -> b.ld(1, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> b.addw(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> b.slli(1, 1, 32));
        assertThrows(IllegalArgumentException.class, () -> b.fcvtLD(1, 2));
        assertThrows(IllegalArgumentException.class, () -> b.amoaddD(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> b.cAddiw(1, 1));
        assertThrows(IllegalArgumentException.class, () -> b.li(1, 1L << 32));
        assertEquals(0, a.size());
        assertEquals(0, b.size());
    }

    // =====================================================================================================
    // cross-check against the GNU disassembler
    // =====================================================================================================

    private static List<BiConsumer<Asm, Random>> generators(int xlen) {
        List<BiConsumer<Asm, Random>> g = new ArrayList<>();
        boolean rv64 = xlen == 64;
        int shMax = xlen;
        // ---- I ----
        g.add((a, r) -> a.lui(reg(r), r.nextInt(0x100000)));
        g.add((a, r) -> a.auipc(reg(r), r.nextInt(0x100000)));
        g.add((a, r) -> a.jal(reg(r), even(r, 1 << 20)));
        g.add((a, r) -> a.jalr(reg(r), imm12(r), reg(r)));
        for (String br : List.of("beq", "bne", "blt", "bge", "bltu", "bgeu")) {
            g.add((a, r) -> {
                int o = even(r, 4096);
                switch (br) {
                    case "beq" -> a.beq(reg(r), reg(r), o);
                    case "bne" -> a.bne(reg(r), reg(r), o);
                    case "blt" -> a.blt(reg(r), reg(r), o);
                    case "bge" -> a.bge(reg(r), reg(r), o);
                    case "bltu" -> a.bltu(reg(r), reg(r), o);
                    default -> a.bgeu(reg(r), reg(r), o);
                }
            });
        }
        g.add((a, r) -> a.lb(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.lh(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.lw(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.lbu(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.lhu(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.sb(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.sh(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.sw(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.addi(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.slti(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.sltiu(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.xori(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.ori(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.andi(reg(r), reg(r), imm12(r)));
        g.add((a, r) -> a.slli(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.srli(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.srai(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.add(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sub(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sll(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.slt(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sltu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.xor(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.srl(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sra(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.or(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.and(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fence(1 + r.nextInt(15), 1 + r.nextInt(15)));
        g.add((a, r) -> a.fence());
        g.add((a, r) -> a.fenceTso());
        g.add((a, r) -> a.fenceI());
        g.add((a, r) -> a.ecall());
        g.add((a, r) -> a.ebreak());
        if (rv64) {
            g.add((a, r) -> a.lwu(reg(r), imm12(r), reg(r)));
            g.add((a, r) -> a.ld(reg(r), imm12(r), reg(r)));
            g.add((a, r) -> a.sd(reg(r), imm12(r), reg(r)));
            g.add((a, r) -> a.addiw(reg(r), reg(r), imm12(r)));
            g.add((a, r) -> a.slliw(reg(r), reg(r), r.nextInt(32)));
            g.add((a, r) -> a.srliw(reg(r), reg(r), r.nextInt(32)));
            g.add((a, r) -> a.sraiw(reg(r), reg(r), r.nextInt(32)));
            g.add((a, r) -> a.addw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.subw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.sllw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.srlw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.sraw(reg(r), reg(r), reg(r)));
        }
        // ---- M ----
        g.add((a, r) -> a.mul(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.mulh(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.mulhsu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.mulhu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.div(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.divu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.rem(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.remu(reg(r), reg(r), reg(r)));
        if (rv64) {
            g.add((a, r) -> a.mulw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.divw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.divuw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.remw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.remuw(reg(r), reg(r), reg(r)));
        }
        // ---- A ----
        g.add((a, r) -> a.lrW(reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
        g.add((a, r) -> a.scW(reg(r), reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
        for (String op : Asm.AMO_OPS) {
            g.add((a, r) -> a.amo(op, false, reg(r), reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
            if (rv64) {
                g.add((a, r) -> a.amo(op, true, reg(r), reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
            }
        }
        g.add((a, r) -> a.amoaddW(reg(r), reg(r), reg(r)));
        if (rv64) {
            g.add((a, r) -> a.lrD(reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
            g.add((a, r) -> a.scD(reg(r), reg(r), reg(r), r.nextBoolean(), r.nextBoolean()));
            g.add((a, r) -> a.amomaxuD(reg(r), reg(r), reg(r)));
        }
        // ---- F / D ----
        for (int fmt = 0; fmt < 2; fmt++) {
            int ft = fmt;
            for (String op : List.of("fadd", "fsub", "fmul", "fdiv")) {
                g.add((a, r) -> a.fpBinary(op, ft, reg(r), reg(r), reg(r), rm(r)));
            }
            for (String op : List.of("fmadd", "fmsub", "fnmsub", "fnmadd")) {
                g.add((a, r) -> a.fpFma(op, ft, reg(r), reg(r), reg(r), reg(r), rm(r)));
            }
            for (int k = 0; k < (rv64 ? 4 : 2); k++) {
                int kind = k;
                g.add((a, r) -> a.fcvtToInt(kind, ft, reg(r), reg(r), rm(r)));
                // exact int->double conversions: objdump 2.40 only decodes the default rm
                boolean exact = ft == 1 && kind <= CVT_WU;
                g.add((a, r) -> a.fcvtFromInt(kind, ft, reg(r), reg(r), exact ? RNE : rm(r)));
            }
        }
        g.add((a, r) -> a.fsqrtS(reg(r), reg(r), rm(r)));
        g.add((a, r) -> a.fsqrtD(reg(r), reg(r), rm(r)));
        g.add((a, r) -> a.faddS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fdivD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fmaddS(reg(r), reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fnmaddD(reg(r), reg(r), reg(r), reg(r), rm(r)));
        g.add((a, r) -> a.fsgnjS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fsgnjnS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fsgnjxS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fsgnjD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fsgnjnD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fsgnjxD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fminS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fmaxS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fminD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fmaxD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.feqS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fltS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fleS(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.feqD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fltD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fleD(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.fclassS(reg(r), reg(r)));
        g.add((a, r) -> a.fclassD(reg(r), reg(r)));
        g.add((a, r) -> a.fmvXW(reg(r), reg(r)));
        g.add((a, r) -> a.fmvWX(reg(r), reg(r)));
        g.add((a, r) -> a.fcvtSD(reg(r), reg(r), rm(r)));
        g.add((a, r) -> a.fcvtDS(reg(r), reg(r)));
        g.add((a, r) -> a.fcvtWD(reg(r), reg(r), RTZ));
        g.add((a, r) -> a.fcvtDW(reg(r), reg(r)));
        g.add((a, r) -> a.flw(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.fld(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.fsw(reg(r), imm12(r), reg(r)));
        g.add((a, r) -> a.fsd(reg(r), imm12(r), reg(r)));
        if (rv64) {
            g.add((a, r) -> a.fmvXD(reg(r), reg(r)));
            g.add((a, r) -> a.fmvDX(reg(r), reg(r)));
            g.add((a, r) -> a.fcvtLuS(reg(r), reg(r), rm(r)));
            g.add((a, r) -> a.fcvtDLu(reg(r), reg(r)));
        }
        // ---- Zicsr ----
        int[] csrs = {CSR_FFLAGS, CSR_FRM, CSR_FCSR, CSR_CYCLE, CSR_TIME, CSR_INSTRET};
        g.add((a, r) -> a.csrrw(reg(r), pick(r, csrs), reg(r)));
        g.add((a, r) -> a.csrrs(reg(r), pick(r, csrs), reg(r)));
        g.add((a, r) -> a.csrrc(reg(r), pick(r, csrs), reg(r)));
        g.add((a, r) -> a.csrrwi(reg(r), pick(r, csrs), r.nextInt(32)));
        g.add((a, r) -> a.csrrsi(reg(r), pick(r, csrs), r.nextInt(32)));
        g.add((a, r) -> a.csrrci(reg(r), pick(r, csrs), r.nextInt(32)));
        g.add((a, r) -> a.csrr(reg(r), CSR_FCSR));
        g.add((a, r) -> a.csrw(CSR_FRM, reg(r)));
        if (!rv64) {
            g.add((a, r) -> a.csrr(reg(r), CSR_CYCLEH));
        }
        // ---- Zba / Zbb / Zbc / Zbs ----
        g.add((a, r) -> a.sh1add(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sh2add(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sh3add(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.andn(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.orn(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.xnor(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.clz(reg(r), reg(r)));
        g.add((a, r) -> a.ctz(reg(r), reg(r)));
        g.add((a, r) -> a.cpop(reg(r), reg(r)));
        g.add((a, r) -> a.max(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.maxu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.min(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.minu(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.sextB(reg(r), reg(r)));
        g.add((a, r) -> a.sextH(reg(r), reg(r)));
        g.add((a, r) -> a.zextH(reg(r), reg(r)));
        g.add((a, r) -> a.rol(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.ror(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.rori(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.orcB(reg(r), reg(r)));
        g.add((a, r) -> a.rev8(reg(r), reg(r)));
        g.add((a, r) -> a.clmul(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.clmulh(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.clmulr(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.bclr(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.bext(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.binv(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.bset(reg(r), reg(r), reg(r)));
        g.add((a, r) -> a.bclri(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.bexti(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.binvi(reg(r), reg(r), r.nextInt(shMax)));
        g.add((a, r) -> a.bseti(reg(r), reg(r), r.nextInt(shMax)));
        if (rv64) {
            g.add((a, r) -> a.addUw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.sh1addUw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.sh2addUw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.sh3addUw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.slliUw(reg(r), reg(r), r.nextInt(64)));
            g.add((a, r) -> a.clzw(reg(r), reg(r)));
            g.add((a, r) -> a.ctzw(reg(r), reg(r)));
            g.add((a, r) -> a.cpopw(reg(r), reg(r)));
            g.add((a, r) -> a.rolw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.rorw(reg(r), reg(r), reg(r)));
            g.add((a, r) -> a.roriw(reg(r), reg(r), r.nextInt(32)));
        }
        // ---- C ----
        g.add((a, r) -> a.cAddi4spn(creg(r), 4 * (1 + r.nextInt(255))));
        g.add((a, r) -> a.cFld(creg(r), 8 * r.nextInt(32), creg(r)));
        g.add((a, r) -> a.cLw(creg(r), 4 * r.nextInt(32), creg(r)));
        g.add((a, r) -> a.cFsd(creg(r), 8 * r.nextInt(32), creg(r)));
        g.add((a, r) -> a.cSw(creg(r), 4 * r.nextInt(32), creg(r)));
        g.add((a, r) -> a.cNop());
        g.add((a, r) -> a.cAddi(nz(r), nzImm6(r)));
        g.add((a, r) -> a.cLi(nz(r), r.nextInt(64) - 32));
        g.add((a, r) -> a.cAddi16sp(16 * (r.nextBoolean() ? 1 + r.nextInt(31) : -1 - r.nextInt(32))));
        g.add((a, r) -> {
            int rd;
            do {
                rd = nz(r);
            } while (rd == 2);
            a.cLui(rd, nzImm6(r));
        });
        g.add((a, r) -> a.cSrli(creg(r), 1 + r.nextInt(shMax - 1)));
        g.add((a, r) -> a.cSrai(creg(r), 1 + r.nextInt(shMax - 1)));
        g.add((a, r) -> a.cAndi(creg(r), r.nextInt(64) - 32));
        g.add((a, r) -> a.cSub(creg(r), creg(r)));
        g.add((a, r) -> a.cXor(creg(r), creg(r)));
        g.add((a, r) -> a.cOr(creg(r), creg(r)));
        g.add((a, r) -> a.cAnd(creg(r), creg(r)));
        g.add((a, r) -> a.cJ(even(r, 2048)));
        g.add((a, r) -> a.cBeqz(creg(r), even(r, 256)));
        g.add((a, r) -> a.cBnez(creg(r), even(r, 256)));
        g.add((a, r) -> a.cSlli(nz(r), 1 + r.nextInt(shMax - 1)));
        g.add((a, r) -> a.cFldsp(reg(r), 8 * r.nextInt(64)));
        g.add((a, r) -> a.cLwsp(nz(r), 4 * r.nextInt(64)));
        g.add((a, r) -> a.cFsdsp(reg(r), 8 * r.nextInt(64)));
        g.add((a, r) -> a.cSwsp(reg(r), 4 * r.nextInt(64)));
        g.add((a, r) -> a.cJr(nz(r)));
        g.add((a, r) -> a.cMv(nz(r), nz(r)));
        g.add((a, r) -> a.cEbreak());
        g.add((a, r) -> a.cJalr(nz(r)));
        g.add((a, r) -> a.cAdd(nz(r), nz(r)));
        if (rv64) {
            g.add((a, r) -> a.cLd(creg(r), 8 * r.nextInt(32), creg(r)));
            g.add((a, r) -> a.cSd(creg(r), 8 * r.nextInt(32), creg(r)));
            g.add((a, r) -> a.cAddiw(nz(r), r.nextInt(64) - 32));
            g.add((a, r) -> a.cSubw(creg(r), creg(r)));
            g.add((a, r) -> a.cAddw(creg(r), creg(r)));
            g.add((a, r) -> a.cLdsp(nz(r), 8 * r.nextInt(64)));
            g.add((a, r) -> a.cSdsp(reg(r), 8 * r.nextInt(64)));
        } else {
            g.add((a, r) -> a.cFlw(creg(r), 4 * r.nextInt(32), creg(r)));
            g.add((a, r) -> a.cFsw(creg(r), 4 * r.nextInt(32), creg(r)));
            g.add((a, r) -> a.cFlwsp(reg(r), 4 * r.nextInt(64)));
            g.add((a, r) -> a.cFswsp(reg(r), 4 * r.nextInt(64)));
            g.add((a, r) -> a.cJal(even(r, 2048)));
        }
        // ---- pseudo-instructions and labels ----
        g.add((a, r) -> a.li(reg(r), randomConstant(r, xlen)));
        g.add((a, r) -> a.mv(reg(r), reg(r)));
        g.add((a, r) -> a.j("start"));
        g.add((a, r) -> a.call("start"));
        g.add((a, r) -> a.la(reg(r), "start"));
        g.add((a, r) -> a.bnez(reg(r), "start"));
        g.add((a, r) -> {
            String back = a.newLabel("back");
            String fwd = a.newLabel("fwd");
            a.label(back).cBeqz(creg(r), back).cBnez(creg(r), fwd).cNop().label(fwd);
        });
        g.add((a, r) -> a.ret());
        g.add((a, r) -> a.fmvD(reg(r), reg(r)).fnegS(reg(r), reg(r)).fabsD(reg(r), reg(r)));
        g.add((a, r) -> a.frcsr(reg(r)).fsrm(reg(r)).frflags(reg(r)));
        g.add((a, r) -> a.neg(reg(r), reg(r)).not(reg(r), reg(r)).seqz(reg(r), reg(r)).snez(reg(r), reg(r)));
        g.add((a, r) -> a.tail("start"));
        return g;
    }

    private static int reg(Random r) {
        return r.nextInt(32);
    }

    private static int nz(Random r) {
        return 1 + r.nextInt(31);
    }

    private static int creg(Random r) {
        return 8 + r.nextInt(8);
    }

    private static int imm12(Random r) {
        return r.nextInt(4096) - 2048;
    }

    private static int nzImm6(Random r) {
        int v;
        do {
            v = r.nextInt(64) - 32;
        } while (v == 0);
        return v;
    }

    private static int even(Random r, int range) {
        return (r.nextInt(range) - range / 2) & ~1;
    }

    private static int rm(Random r) {
        return RMS[r.nextInt(RMS.length)];
    }

    private static int pick(Random r, int[] values) {
        return values[r.nextInt(values.length)];
    }

    private static long randomConstant(Random r, int xlen) {
        long v = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(4096) - 2048;
            case 1 -> r.nextInt();
            case 2 -> r.nextLong() >> r.nextInt(64);
            default -> r.nextLong();
        };
        return xlen == 32 ? (int) v : v;
    }

    static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static final String OBJDUMP = "riscv64-linux-gnu-objdump";
    private static final Pattern OBJDUMP_LINE = Pattern.compile("^\\s*([0-9a-f]+):\\s+([0-9a-f]+)\\s+(.*)$");
    private static final Pattern BRANCH_TARGET = Pattern.compile("^(b\\w+|jal|c\\.j|c\\.jal|c\\.beqz|c\\.bnez) (.*,)?([0-9a-f]+)$");

    @Test
    void matchesObjdumpRv64() throws Exception {
        crossCheck(64, 0x5eed64L);
    }

    @Test
    void matchesObjdumpRv32() throws Exception {
        crossCheck(32, 0x5eed32L);
    }

    private void crossCheck(int xlen, long seed) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hasTool(OBJDUMP), OBJDUMP + " not installed");
        Asm a = new Asm(xlen, 0x10000);
        Random r = new Random(seed);
        List<BiConsumer<Asm, Random>> gens = generators(xlen);
        a.label("start");
        int count = 0;
        for (int rep = 0; rep < REPEAT; rep++) {
            for (BiConsumer<Asm, Random> g : gens) {
                g.accept(a, r);
                count++;
            }
        }
        byte[] elf = TestElf.builder(xlen).text(a.origin(), a.code()).build();
        Path file = tmp.resolve("asm" + xlen + ".elf");
        Files.write(file, elf);
        Process p = new ProcessBuilder(OBJDUMP, "-d", "-M", "no-aliases,numeric", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);

        Map<Long, String> theirs = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = OBJDUMP_LINE.matcher(line);
            if (m.matches()) {
                theirs.put(Long.parseLong(m.group(1), 16), normalize(m.group(3)));
            }
        }
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Asm.Line l : a.lines()) {
            long addr = a.origin() + l.offset();
            String mine = l.text();
            String other = theirs.get(addr);
            checked++;
            if (!mine.equals(other)) {
                mismatches.add(String.format("%x: %s  ours: %-40s objdump: %s", addr, l.length() == 2
                        ? String.format("%04x    ", l.bits()) : String.format("%08x", l.bits()), mine, other));
            }
        }
        assertTrue(checked > 500, "only " + checked + " instructions checked");
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches out of " + checked + ":\n"
                + String.join("\n", mismatches));
    }

    /** objdump text → our listing format: single spaces, no comments or symbolic targets, 0x-prefixed targets. */
    static String normalize(String s) {
        s = s.replace('\t', ' ').replaceAll(" <[^>]*>", "").replaceAll("\\s*#.*$", "").trim();
        s = s.replaceAll(" +", " ");
        Matcher m = BRANCH_TARGET.matcher(s);
        if (m.matches()) {
            s = m.group(1) + " " + (m.group(2) == null ? "" : m.group(2)) + "0x" + m.group(3);
        }
        return s;
    }

    // =====================================================================================================
    // li / la executed under qemu-user
    // =====================================================================================================

    @Test
    void liLoadsEveryConstantUnderQemu() throws Exception {
        for (int xlen : new int[] {64, 32}) {
            String qemu = xlen == 64 ? "qemu-riscv64" : "qemu-riscv32";
            if (!hasTool(qemu) && Boolean.getBoolean("riscv.requireQemu")) {
                org.junit.jupiter.api.Assertions.fail(qemu + " not installed and riscv.requireQemu=true");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(hasTool(qemu), qemu + " not installed");
            Random r = new Random(42 + xlen);
            List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 2047L, -2048L, 2048L, -2049L, 0x7FFFF800L,
                    0x7FFFFFFFL, -0x80000000L, 0x80000000L, 0xFFFFFFFFL, 0x12345678L, 0xFFFFF800L, 0x800L));
            if (xlen == 64) {
                values.addAll(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0x100000000L, 0x7FFFFFFF80000000L,
                        0x8000000000000800L, 0xFFFFFFFF7FFFF800L, 0x123456789ABCDEF0L, 0x0000FFFF0000FFFFL,
                        0xFFFF_FFFF_FFFF_F7FFL));
            }
            for (int i = 0; i < 300; i++) {
                values.add(randomConstant(r, xlen));
            }
            int wordBytes = xlen / 8;
            long dataAddr = 0x200000;
            Asm a = new Asm(xlen, 0x10000);
            a.symbol("out", dataAddr);
            a.la(S0, "out");
            for (int i = 0; i < values.size(); i++) {
                a.li(A5, values.get(i));
                if (xlen == 64) {
                    a.sd(A5, 0, S0);
                } else {
                    a.sw(A5, 0, S0);
                }
                a.addi(S0, S0, wordBytes);
            }
            a.li(A0, 1).la(A1, "out").li(A2, (long) values.size() * wordBytes).li(A7, 64).ecall();
            a.li(A0, 0).li(A7, 93).ecall();
            byte[] elf = TestElf.builder(xlen).text(a).data(dataAddr, new byte[0], values.size() * 8L).build();
            Path file = tmp.resolve("li" + xlen);
            Files.write(file, elf);
            assertTrue(file.toFile().setExecutable(true), "chmod +x");   // qemu-user refuses non-executable files
            byte[] out = run(qemu, file);
            ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            long[] got = new long[values.size()];
            long[] want = new long[values.size()];
            for (int i = 0; i < values.size(); i++) {
                want[i] = xlen == 64 ? values.get(i) : (int) (long) values.get(i);
                got[i] = xlen == 64 ? bb.getLong() : bb.getInt();
            }
            assertArrayEquals(want, got, "li results under " + qemu);
        }
    }

    private static byte[] run(String qemu, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(qemu, file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), qemu + " exit status");
        return out;
    }
}
