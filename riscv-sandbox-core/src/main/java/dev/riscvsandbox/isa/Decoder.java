package dev.riscvsandbox.isa;

import static dev.riscvsandbox.isa.Op.*;

/**
 * Decodes RV32GC/RV64GC (+ Zba, Zbb, Zbc, Zbs, Zicsr, Zifencei) instructions into pre-decoded slots.
 *
 * <p>Compressed instructions are first expanded to their 32-bit equivalents and then decoded like those, so there is
 * one place that defines each instruction's semantics. Anything unsupported or reserved becomes {@link Op#ILLEGAL}
 * with the raw bits in the immediate, and faults precisely when (and only if) it is executed.
 */
public final class Decoder {
    // funct3-indexed operation tables for the OP opcode (RV32 maps onto the W forms, see Op)
    private static final int[] OP_BASE_64 = {ADD, SLL, SLT, SLTU, XOR, SRL, OR, AND};
    private static final int[] OP_BASE_32 = {ADDW, SLLW, SLT, SLTU, XOR, SRLW, OR, AND};
    private static final int[] OP_M_64 = {MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU};
    private static final int[] OP_M_32 = {MULW, MULH32, MULHSU32, MULHU32, DIVW, DIVUW, REMW, REMUW};

    private final int xlen;
    private final boolean rv64;
    private final long base;
    private final int slots;

    /**
     * @param xlen  32 or 64
     * @param base  guest address of slot 0 (sign-extended for RV32)
     * @param slots number of 2-byte slots in the segment; branch targets outside become {@link Op#FAR}
     */
    public Decoder(int xlen, long base, int slots) {
        this.xlen = xlen;
        this.rv64 = xlen == 64;
        this.base = base;
        this.slots = slots;
    }

    /** Decodes the instruction whose low 16 bits are {@code lo} and next 16 bits are {@code hi}, at slot {@code idx}. */
    public long decode(int lo, int hi, int idx) {
        if ((lo & 3) != 3) {
            int expanded = expand(lo & 0xFFFF);
            if (expanded == 0) {
                return illegal(lo & 0xFFFF, false);
            }
            return decode32(expanded, idx, false, lo & 0xFFFF);
        }
        int bits = (lo & 0xFFFF) | (hi << 16);
        return decode32(bits, idx, true, bits);
    }

    private static long illegal(int raw, boolean wide) {
        return slot(ILLEGAL, 0, 0, 0, 0, wide, raw);
    }

    private static int xrd(int rd) {
        return rd == 0 ? 32 : rd;
    }

    private long r(int op, int rd, int rs1, int rs2, boolean wide) {
        return slot(op, xrd(rd), rs1, rs2, 0, wide, 0);
    }

    private long i(int op, int rd, int rs1, int imm, boolean wide) {
        return slot(op, xrd(rd), rs1, 0, 0, wide, imm);
    }

    /** The slot index of {@code pc + offset}, or -1 when outside the segment. */
    private int target(int idx, int offset) {
        long t = (long) idx + (offset >> 1);
        return t >= 0 && t < slots ? (int) t : -1;
    }

    long decode32(int bits, int idx, boolean wide, int raw) {
        int opcode = bits & 0x7F;
        int rd = (bits >>> 7) & 31;
        int f3 = (bits >>> 12) & 7;
        int rs1 = (bits >>> 15) & 31;
        int rs2 = (bits >>> 20) & 31;
        int f7 = bits >>> 25;
        int immI = bits >> 20;
        switch (opcode) {
            case 0x37: // LUI
                return i(LI, rd, 0, bits & 0xFFFFF000, wide);
            case 0x17: // AUIPC
                return i(rv64 ? AUIPC : AUIPC32, rd, 0, bits & 0xFFFFF000, wide);
            case 0x6F: { // JAL
                int off = ((bits >> 31) << 20) | (((bits >>> 21) & 0x3FF) << 1) | (((bits >>> 20) & 1) << 11)
                        | (((bits >>> 12) & 0xFF) << 12);
                int t = target(idx, off);
                return t < 0 ? slot(FAR, xrd(rd), 0, 0, 0, wide, raw) : i(JAL, rd, 0, t, wide);
            }
            case 0x67: // JALR
                return f3 != 0 ? illegal(raw, wide) : i(rv64 ? JALR : JALR32, rd, rs1, immI, wide);
            case 0x63: { // branches
                int off = ((bits >> 31) << 12) | (((bits >>> 7) & 1) << 11) | (((bits >>> 25) & 0x3F) << 5)
                        | (((bits >>> 8) & 0xF) << 1);
                int op;
                switch (f3) {
                    case 0: op = BEQ; break;
                    case 1: op = BNE; break;
                    case 4: op = BLT; break;
                    case 5: op = BGE; break;
                    case 6: op = BLTU; break;
                    case 7: op = BGEU; break;
                    default: return illegal(raw, wide);
                }
                int t = target(idx, off);
                return t < 0 ? slot(FAR, 0, rs1, rs2, 0, wide, raw) : slot(op, 0, rs1, rs2, 0, wide, t);
            }
            case 0x03: { // loads
                int op;
                switch (f3) {
                    case 0: op = LB; break;
                    case 1: op = LH; break;
                    case 2: op = LW; break;
                    case 3: if (!rv64) return illegal(raw, wide); op = LD; break;
                    case 4: op = LBU; break;
                    case 5: op = LHU; break;
                    case 6: if (!rv64) return illegal(raw, wide); op = LWU; break;
                    default: return illegal(raw, wide);
                }
                return i(op, rd, rs1, immI, wide);
            }
            case 0x23: { // stores
                int imm = ((bits >> 25) << 5) | ((bits >>> 7) & 31);
                int op;
                switch (f3) {
                    case 0: op = SB; break;
                    case 1: op = SH; break;
                    case 2: op = SW; break;
                    case 3: if (!rv64) return illegal(raw, wide); op = SD; break;
                    default: return illegal(raw, wide);
                }
                return slot(op, 0, rs1, rs2, 0, wide, imm);
            }
            case 0x13: return opImm(bits, rd, f3, rs1, immI, wide, raw);
            case 0x1B: return rv64 ? opImm32(rd, f3, rs1, immI, wide, raw) : illegal(raw, wide);
            case 0x33: return op(rd, f3, rs1, rs2, f7, wide, raw);
            case 0x3B: return rv64 ? op32(rd, f3, rs1, rs2, f7, wide, raw) : illegal(raw, wide);
            case 0x0F: // FENCE / FENCE.I: a single hart with no self-modifying code needs neither
                return f3 <= 1 ? slot(NOP, 0, 0, 0, 0, wide, 0) : illegal(raw, wide);
            case 0x73: return system(bits, rd, f3, rs1, wide, raw);
            case 0x5B: { // libvmod-riscv "dyncall": host call 500 + imm without touching a7
                int call = bits >>> 20;
                boolean plain = rd == 0 && rs1 == 0 && f3 == 0 && call < Op.DYNCALLS;
                return plain ? slot(ECALL, 0, 0, 0, 0, wide, Op.ECALL_DYNCALL + call) : illegal(raw, wide);
            }
            case 0x2F: return amo(bits, rd, f3, rs1, rs2, wide, raw);
            case 0x07:
                if (f3 == 2) return slot(FLW, rd, rs1, 0, 0, wide, immI);
                if (f3 == 3) return slot(FLD, rd, rs1, 0, 0, wide, immI);
                return illegal(raw, wide);
            case 0x27: {
                int imm = ((bits >> 25) << 5) | ((bits >>> 7) & 31);
                if (f3 == 2) return slot(FSW, 0, rs1, rs2, 0, wide, imm);
                if (f3 == 3) return slot(FSD, 0, rs1, rs2, 0, wide, imm);
                return illegal(raw, wide);
            }
            case 0x43: case 0x47: case 0x4B: case 0x4F: {
                int fmt = (bits >>> 25) & 3;
                if (fmt > 1 || !validRm(f3)) return illegal(raw, wide);
                int k = (opcode - 0x43) >> 2; // 0 fmadd, 1 fmsub, 2 fnmsub, 3 fnmadd
                int op = (fmt == 0 ? FMADD_S : FMADD_D) + k;
                return slot(op, rd, rs1, rs2, bits >>> 27, wide, f3);
            }
            case 0x53: return opFp(rd, f3, rs1, rs2, f7, wide, raw);
            default:
                return illegal(raw, wide);
        }
    }

    private long opImm(int bits, int rd, int f3, int rs1, int imm, boolean wide, int raw) {
        int shamt = imm & (rv64 ? 63 : 31);
        int f6 = (bits >>> 26) & 63;
        boolean badShamt = !rv64 && (imm & 32) != 0;
        switch (f3) {
            case 0:
                if (rd == 0 && rs1 == 0 && imm == 0) return slot(NOP, 0, 0, 0, 0, wide, 0);
                if (rs1 == 0) return i(LI, rd, 0, imm, wide);
                if (imm == 0) return i(MV, rd, rs1, 0, wide);
                return i(rv64 ? ADDI : ADDIW, rd, rs1, imm, wide);
            case 2: return i(SLTI, rd, rs1, imm, wide);
            case 3: return i(SLTIU, rd, rs1, imm, wide);
            case 4: return i(XORI, rd, rs1, imm, wide);
            case 6: return i(ORI, rd, rs1, imm, wide);
            case 7: return i(ANDI, rd, rs1, imm, wide);
            case 1: {
                int f12 = imm & 0xFFF;
                if (f6 == 0 && !badShamt) return i(rv64 ? SLLI : SLLIW, rd, rs1, shamt, wide);
                if (f12 == 0x600) return i(rv64 ? CLZ : CLZW, rd, rs1, 0, wide);
                if (f12 == 0x601) return i(rv64 ? CTZ : CTZW, rd, rs1, 0, wide);
                if (f12 == 0x602) return i(rv64 ? CPOP : CPOPW, rd, rs1, 0, wide);
                if (f12 == 0x604) return i(SEXT_B, rd, rs1, 0, wide);
                if (f12 == 0x605) return i(SEXT_H, rd, rs1, 0, wide);
                if (badShamt) return illegal(raw, wide);
                if (f6 == 0x0A) return i(BSETI, rd, rs1, shamt, wide);
                if (f6 == 0x12) return i(BCLRI, rd, rs1, shamt, wide);
                if (f6 == 0x1A) return i(BINVI, rd, rs1, shamt, wide);
                return illegal(raw, wide);
            }
            case 5: {
                int f12 = imm & 0xFFF;
                if (f12 == 0x287) return i(ORC_B, rd, rs1, 0, wide);
                if (rv64 && f12 == 0x6B8) return i(REV8, rd, rs1, 0, wide);
                if (!rv64 && f12 == 0x698) return i(REV8_32, rd, rs1, 0, wide);
                if (badShamt) return illegal(raw, wide);
                if (f6 == 0x00) return i(rv64 ? SRLI : SRLIW, rd, rs1, shamt, wide);
                if (f6 == 0x10) return i(rv64 ? SRAI : SRAIW, rd, rs1, shamt, wide);
                if (f6 == 0x18) return i(rv64 ? RORI : RORIW, rd, rs1, shamt, wide);
                if (f6 == 0x12) return i(BEXTI, rd, rs1, shamt, wide);
                return illegal(raw, wide);
            }
            default:
                return illegal(raw, wide);
        }
    }

    private long opImm32(int rd, int f3, int rs1, int imm, boolean wide, int raw) {
        int f7 = (imm >>> 5) & 0x7F;
        int shamt = imm & 31;
        int f12 = imm & 0xFFF;
        switch (f3) {
            case 0: return i(ADDIW, rd, rs1, imm, wide);
            case 1:
                if (f7 == 0) return i(SLLIW, rd, rs1, shamt, wide);
                if ((f7 >>> 1) == 0x02) return i(SLLI_UW, rd, rs1, imm & 63, wide);
                if (f12 == 0x600) return i(CLZW, rd, rs1, 0, wide);
                if (f12 == 0x601) return i(CTZW, rd, rs1, 0, wide);
                if (f12 == 0x602) return i(CPOPW, rd, rs1, 0, wide);
                return illegal(raw, wide);
            case 5:
                if (f7 == 0) return i(SRLIW, rd, rs1, shamt, wide);
                if (f7 == 0x20) return i(SRAIW, rd, rs1, shamt, wide);
                if (f7 == 0x30) return i(RORIW, rd, rs1, shamt, wide);
                return illegal(raw, wide);
            default:
                return illegal(raw, wide);
        }
    }

    private long op(int rd, int f3, int rs1, int rs2, int f7, boolean wide, int raw) {
        int op = -1;
        switch (f7) {
            case 0x00: {
                op = (rv64 ? OP_BASE_64 : OP_BASE_32)[f3];
                break;
            }
            case 0x20:
                if (f3 == 0) op = rv64 ? SUB : SUBW;
                else if (f3 == 5) op = rv64 ? SRA : SRAW;
                else if (f3 == 7) op = ANDN;
                else if (f3 == 6) op = ORN;
                else if (f3 == 4) op = XNOR;
                break;
            case 0x01: {
                op = (rv64 ? OP_M_64 : OP_M_32)[f3];
                break;
            }
            case 0x05: {
                int[] ops = {-1, CLMUL, rv64 ? CLMULR : CLMULR32, rv64 ? CLMULH : CLMULH32, MIN, MINU, MAX, MAXU};
                op = ops[f3];
                break;
            }
            case 0x10:
                if (f3 == 2) op = SH1ADD;
                else if (f3 == 4) op = SH2ADD;
                else if (f3 == 6) op = SH3ADD;
                break;
            case 0x30:
                if (f3 == 1) op = rv64 ? ROL : ROLW;
                else if (f3 == 5) op = rv64 ? ROR : RORW;
                break;
            case 0x14: if (f3 == 1) op = BSET; break;
            case 0x24: if (f3 == 1) op = BCLR; else if (f3 == 5) op = BEXT; break;
            case 0x34: if (f3 == 1) op = BINV; break;
            case 0x04: if (!rv64 && f3 == 4 && rs2 == 0) op = ZEXT_H; break;
            default: break;
        }
        return op < 0 ? illegal(raw, wide) : r(op, rd, rs1, rs2, wide);
    }

    private long op32(int rd, int f3, int rs1, int rs2, int f7, boolean wide, int raw) {
        int op = -1;
        switch (f7) {
            case 0x00: op = f3 == 0 ? ADDW : f3 == 1 ? SLLW : f3 == 5 ? SRLW : -1; break;
            case 0x20: op = f3 == 0 ? SUBW : f3 == 5 ? SRAW : -1; break;
            case 0x01: {
                int[] ops = {MULW, -1, -1, -1, DIVW, DIVUW, REMW, REMUW};
                op = ops[f3];
                break;
            }
            case 0x04:
                if (f3 == 0) op = ADD_UW;
                else if (f3 == 4 && rs2 == 0) op = ZEXT_H;
                break;
            case 0x10: op = f3 == 2 ? SH1ADD_UW : f3 == 4 ? SH2ADD_UW : f3 == 6 ? SH3ADD_UW : -1; break;
            case 0x30: op = f3 == 1 ? ROLW : f3 == 5 ? RORW : -1; break;
            default: break;
        }
        return op < 0 ? illegal(raw, wide) : r(op, rd, rs1, rs2, wide);
    }

    private long system(int bits, int rd, int f3, int rs1, boolean wide, int raw) {
        if (f3 == 0) {
            if (bits == 0x00000073) return slot(ECALL, 0, 0, 0, 0, wide, 0);
            if (bits == 0x00100073) return slot(EBREAK, 0, 0, 0, 0, wide, 0);
            if (bits == 0x7FF00073) return slot(ECALL, 0, 0, 0, 0, wide, Op.ECALL_STOP);
            return illegal(raw, wide);
        }
        if (f3 == 4) return illegal(raw, wide);
        int csr = bits >>> 20;
        int[] ops = {-1, CSRRW, CSRRS, CSRRC, -1, CSRRWI, CSRRSI, CSRRCI};
        return slot(ops[f3], xrd(rd), rs1, 0, 0, wide, csr);
    }

    private long amo(int bits, int rd, int f3, int rs1, int rs2, boolean wide, int raw) {
        if (f3 != 2 && !(f3 == 3 && rv64)) return illegal(raw, wide);
        int f5 = bits >>> 27;
        int op;
        switch (f5) {
            case 0x02: if (rs2 != 0) return illegal(raw, wide); op = LR; break;
            case 0x03: op = SC; break;
            case 0x01: op = AMOSWAP; break;
            case 0x00: op = AMOADD; break;
            case 0x04: op = AMOXOR; break;
            case 0x0C: op = AMOAND; break;
            case 0x08: op = AMOOR; break;
            case 0x10: op = AMOMIN; break;
            case 0x14: op = AMOMAX; break;
            case 0x18: op = AMOMINU; break;
            case 0x1C: op = AMOMAXU; break;
            default: return illegal(raw, wide);
        }
        return slot(op, xrd(rd), rs1, rs2, 0, wide, f3 == 3 ? 1 : 0);
    }

    private static boolean validRm(int rm) {
        return rm != 5 && rm != 6;
    }

    private long opFp(int rd, int f3, int rs1, int rs2, int f7, boolean wide, int raw) {
        boolean d = (f7 & 1) != 0;
        switch (f7) {
            case 0x00: case 0x01: case 0x04: case 0x05: case 0x08: case 0x09: case 0x0C: case 0x0D: {
                if (!validRm(f3)) return illegal(raw, wide);
                int k = f7 >>> 2; // add, sub, mul, div
                return slot((d ? FADD_D : FADD_S) + k, rd, rs1, rs2, 0, wide, f3);
            }
            case 0x2C: case 0x2D:
                if (rs2 != 0 || !validRm(f3)) return illegal(raw, wide);
                return slot(d ? FSQRT_D : FSQRT_S, rd, rs1, 0, 0, wide, f3);
            case 0x10: case 0x11:
                if (f3 > 2) return illegal(raw, wide);
                return slot((d ? FSGNJ_D : FSGNJ_S) + f3, rd, rs1, rs2, 0, wide, 0);
            case 0x14: case 0x15:
                if (f3 > 1) return illegal(raw, wide);
                return slot((d ? FMIN_D : FMIN_S) + f3, rd, rs1, rs2, 0, wide, 0);
            case 0x20:
                if (rs2 != 1 || !validRm(f3)) return illegal(raw, wide);
                return slot(FCVT_S_D, rd, rs1, 0, 0, wide, f3);
            case 0x21:
                if (rs2 != 0 || !validRm(f3)) return illegal(raw, wide);
                return slot(FCVT_D_S, rd, rs1, 0, 0, wide, f3);
            case 0x50: case 0x51: {
                if (f3 > 2) return illegal(raw, wide);
                int[] ops = d ? new int[] {FLE_D, FLT_D, FEQ_D} : new int[] {FLE_S, FLT_S, FEQ_S};
                return slot(ops[f3], xrd(rd), rs1, rs2, 0, wide, 0);
            }
            case 0x60: case 0x61:
                if (rs2 > 3 || (!rv64 && rs2 > 1) || !validRm(f3)) return illegal(raw, wide);
                return slot((d ? FCVT_W_D : FCVT_W_S) + rs2, xrd(rd), rs1, 0, 0, wide, f3);
            case 0x68: case 0x69:
                if (rs2 > 3 || (!rv64 && rs2 > 1) || !validRm(f3)) return illegal(raw, wide);
                return slot((d ? FCVT_D_W : FCVT_S_W) + rs2, rd, rs1, 0, 0, wide, f3);
            case 0x70: case 0x71:
                if (rs2 != 0) return illegal(raw, wide);
                if (f3 == 0 && (!d || rv64)) return slot(d ? FMV_X_D : FMV_X_W, xrd(rd), rs1, 0, 0, wide, 0);
                if (f3 == 1) return slot(d ? FCLASS_D : FCLASS_S, xrd(rd), rs1, 0, 0, wide, 0);
                return illegal(raw, wide);
            case 0x78: case 0x79:
                if (rs2 != 0 || f3 != 0 || (d && !rv64)) return illegal(raw, wide);
                return slot(d ? FMV_D_X : FMV_W_X, rd, rs1, 0, 0, wide, 0);
            default:
                return illegal(raw, wide);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Compressed instructions → 32-bit equivalents (0 = illegal/reserved)

    private static int encR(int opcode, int f3, int f7, int rd, int rs1, int rs2) {
        return opcode | (rd << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25);
    }

    private static int encI(int opcode, int f3, int rd, int rs1, int imm) {
        return opcode | (rd << 7) | (f3 << 12) | (rs1 << 15) | (imm << 20);
    }

    private static int encS(int opcode, int f3, int rs1, int rs2, int imm) {
        return opcode | ((imm & 31) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | ((imm >> 5) << 25);
    }

    private static int encB(int f3, int rs1, int rs2, int imm) {
        return 0x63 | (((imm >> 11) & 1) << 7) | (((imm >> 1) & 0xF) << 8) | (f3 << 12) | (rs1 << 15) | (rs2 << 20)
                | (((imm >> 5) & 0x3F) << 25) | (((imm >> 12) & 1) << 31);
    }

    private static int encJ(int rd, int imm) {
        return 0x6F | (rd << 7) | (((imm >> 12) & 0xFF) << 12) | (((imm >> 11) & 1) << 20)
                | (((imm >> 1) & 0x3FF) << 21) | (((imm >> 20) & 1) << 31);
    }

    private static int bit(int x, int b) {
        return (x >>> b) & 1;
    }

    private static int bits(int x, int hi, int lo) {
        return (x >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    /** Sign-extends the low {@code n} bits. */
    private static int sext(int x, int n) {
        return (x << (32 - n)) >> (32 - n);
    }

    /** Expands a 16-bit compressed instruction to its 32-bit equivalent, or 0 if it is reserved or illegal. */
    public int expandCompressed(int c) {
        return expand(c & 0xFFFF);
    }

    int expand(int c) {
        int quadrant = c & 3;
        int f3 = c >>> 13;
        int rdp = bits(c, 4, 2) + 8;   // rd' / rs2'
        int rs1p = bits(c, 9, 7) + 8;  // rs1' / rd'
        int rd = bits(c, 11, 7);
        int rs2 = bits(c, 6, 2);
        int ciImm = sext((bit(c, 12) << 5) | bits(c, 6, 2), 6);
        int ldOff = (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);           // c.ld / c.fld / c.sd / c.fsd
        int lwOff = (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6); // c.lw / c.flw / c.sw / c.fsw
        switch (quadrant) {
            case 0:
                switch (f3) {
                    case 0: {
                        int imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
                        return imm == 0 ? 0 : encI(0x13, 0, rdp, 2, imm);
                    }
                    case 1: return encI(0x07, 3, rdp, rs1p, ldOff);
                    case 2: return encI(0x03, 2, rdp, rs1p, lwOff);
                    case 3: return xlen == 32 ? encI(0x07, 2, rdp, rs1p, lwOff) : encI(0x03, 3, rdp, rs1p, ldOff);
                    case 5: return encS(0x27, 3, rs1p, rdp, ldOff);
                    case 6: return encS(0x23, 2, rs1p, rdp, lwOff);
                    case 7: return xlen == 32 ? encS(0x27, 2, rs1p, rdp, lwOff) : encS(0x23, 3, rs1p, rdp, ldOff);
                    default: return 0;
                }
            case 1:
                switch (f3) {
                    case 0: return encI(0x13, 0, rd, rd, ciImm);
                    case 1:
                        if (xlen == 32) return encJ(1, cjOffset(c));
                        return rd == 0 ? 0 : encI(0x1B, 0, rd, rd, ciImm);
                    case 2: return encI(0x13, 0, rd, 0, ciImm);
                    case 3:
                        if (rd == 2) {
                            int imm = sext((bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6)
                                    | (bits(c, 4, 3) << 7) | (bit(c, 2) << 5), 10);
                            return imm == 0 ? 0 : encI(0x13, 0, 2, 2, imm);
                        }
                        return ciImm == 0 ? 0 : 0x37 | (rd << 7) | (ciImm << 12);
                    case 4: {
                        int f2 = bits(c, 11, 10);
                        int shamt = (bit(c, 12) << 5) | rs2;
                        switch (f2) {
                            case 0:
                                if (xlen == 32 && bit(c, 12) != 0) return 0;
                                return encI(0x13, 5, rs1p, rs1p, shamt);
                            case 1:
                                if (xlen == 32 && bit(c, 12) != 0) return 0;
                                return encI(0x13, 5, rs1p, rs1p, shamt | 0x400);
                            case 2:
                                return encI(0x13, 7, rs1p, rs1p, ciImm);
                            default: {
                                int sub = bits(c, 6, 5);
                                if (bit(c, 12) == 0) {
                                    int[] f3s = {0, 4, 6, 7};
                                    return encR(0x33, f3s[sub], sub == 0 ? 0x20 : 0, rs1p, rs1p, rdp);
                                }
                                if (xlen == 32 || sub > 1) return 0;
                                return encR(0x3B, 0, sub == 0 ? 0x20 : 0, rs1p, rs1p, rdp);
                            }
                        }
                    }
                    case 5: return encJ(0, cjOffset(c));
                    case 6: case 7: {
                        int off = sext((bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6)
                                | (bits(c, 4, 3) << 1) | (bit(c, 2) << 5), 9);
                        return encB(f3 == 6 ? 0 : 1, rs1p, 0, off);
                    }
                    default: return 0;
                }
            case 2:
                switch (f3) {
                    case 0:
                        if (xlen == 32 && bit(c, 12) != 0) return 0;
                        return encI(0x13, 1, rd, rd, (bit(c, 12) << 5) | rs2);
                    case 1: return encI(0x07, 3, rd, 2, spLd(c));
                    case 2: return rd == 0 ? 0 : encI(0x03, 2, rd, 2, spLw(c));
                    case 3:
                        if (xlen == 32) return encI(0x07, 2, rd, 2, spLw(c));
                        return rd == 0 ? 0 : encI(0x03, 3, rd, 2, spLd(c));
                    case 4:
                        if (bit(c, 12) == 0) {
                            if (rs2 == 0) return rd == 0 ? 0 : encI(0x67, 0, 0, rd, 0);
                            return encR(0x33, 0, 0, rd, 0, rs2);
                        }
                        if (rs2 == 0) return rd == 0 ? 0x00100073 : encI(0x67, 0, 1, rd, 0);
                        return encR(0x33, 0, 0, rd, rd, rs2);
                    case 5: return encS(0x27, 3, 2, rs2, (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6));
                    case 6: return encS(0x23, 2, 2, rs2, (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6));
                    case 7: {
                        if (xlen == 32) return encS(0x27, 2, 2, rs2, (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6));
                        return encS(0x23, 3, 2, rs2, (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6));
                    }
                    default: return 0;
                }
            default:
                return 0;
        }
    }

    private static int cjOffset(int c) {
        return sext((bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10)
                | (bit(c, 7) << 6) | (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5), 12);
    }

    private static int spLw(int c) {
        return (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
    }

    private static int spLd(int c) {
        return (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
    }
}
