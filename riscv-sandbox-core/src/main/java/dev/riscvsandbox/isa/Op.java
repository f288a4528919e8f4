package dev.riscvsandbox.isa;

/**
 * The pre-decoded operations. Numbers below {@link #FIRST_COLD} are the hot ones the interpreter handles inline; the
 * others go through out-of-line helpers so that the dispatch method stays small enough for HotSpot to compile.
 *
 * <p>RV32 instructions are mapped onto the same operations where the semantics on sign-extended registers coincide
 * (RV32 {@code add} is {@link #ADDW}, {@code srl} is {@link #SRLW}, …); only where they differ is there an RV32 form.
 */
public final class Op {
    private Op() {
    }

    public static final int ILLEGAL = 0, NOP = 1, LI = 2, AUIPC = 3, AUIPC32 = 4;
    public static final int ADDI = 5, SLTI = 6, SLTIU = 7, XORI = 8, ORI = 9, ANDI = 10, SLLI = 11, SRLI = 12,
            SRAI = 13, ADDIW = 14, SLLIW = 15, SRLIW = 16, SRAIW = 17;
    public static final int ADD = 18, SUB = 19, SLL = 20, SLT = 21, SLTU = 22, XOR = 23, SRL = 24, SRA = 25, OR = 26,
            AND = 27, ADDW = 28, SUBW = 29, SLLW = 30, SRLW = 31, SRAW = 32;
    public static final int MUL = 33, MULH = 34, MULHSU = 35, MULHU = 36, DIV = 37, DIVU = 38, REM = 39, REMU = 40,
            MULW = 41, DIVW = 42, DIVUW = 43, REMW = 44, REMUW = 45, MULH32 = 46, MULHSU32 = 47, MULHU32 = 48;
    public static final int LB = 49, LH = 50, LW = 51, LD = 52, LBU = 53, LHU = 54, LWU = 55, SB = 56, SH = 57,
            SW = 58, SD = 59;
    public static final int BEQ = 60, BNE = 61, BLT = 62, BGE = 63, BLTU = 64, BGEU = 65;
    public static final int JAL = 66, JALR = 67, JALR32 = 68, ECALL = 69, EBREAK = 70;
    /**
     * The immediate of an {@link #ECALL} slot says which environment call it is: a plain {@code ecall} (number in a7),
     * the STOP instruction {@code 0x7ff00073}, or a "dyncall" ({@code ECALL_DYNCALL + n} for host call 500 + n).
     */
    public static final int ECALL_PLAIN = 0, ECALL_STOP = 1, ECALL_DYNCALL = 2;
    /** Dyncalls reach host calls 500 … 500 + DYNCALLS - 1. */
    public static final int DYNCALLS = 40;
    public static final int FLW = 71, FSW = 72, FLD = 73, FSD = 74;
    /** A control transfer whose target lies outside the segment, or code running off the segment's end. */
    public static final int FAR = 75;
    public static final int MV = 76;
    /** Ends a host-to-guest call: the return trampoline's only instruction. Never produced by the decoder. */
    public static final int HALT = 77;

    /** First operation handled out of line. */
    public static final int FIRST_COLD = 96;

    // Zba
    public static final int ADD_UW = 96, SH1ADD = 97, SH2ADD = 98, SH3ADD = 99, SH1ADD_UW = 100, SH2ADD_UW = 101,
            SH3ADD_UW = 102, SLLI_UW = 103;
    // Zbb
    public static final int ANDN = 104, ORN = 105, XNOR = 106, CLZ = 107, CLZW = 108, CTZ = 109, CTZW = 110,
            CPOP = 111, CPOPW = 112, MAX = 113, MAXU = 114, MIN = 115, MINU = 116, SEXT_B = 117, SEXT_H = 118,
            ZEXT_H = 119, ROL = 120, ROLW = 121, ROR = 122, RORW = 123, RORI = 124, RORIW = 125, ORC_B = 126,
            REV8 = 127, REV8_32 = 128;
    // Zbc
    public static final int CLMUL = 129, CLMULH = 130, CLMULR = 131, CLMULH32 = 132, CLMULR32 = 133;
    // Zbs (immediate forms carry the bit index in imm)
    public static final int BCLR = 134, BCLRI = 135, BEXT = 136, BEXTI = 137, BINV = 138, BINVI = 139, BSET = 140,
            BSETI = 141;
    // A: imm bit 0 = 64-bit form
    public static final int LR = 142, SC = 143, AMOSWAP = 144, AMOADD = 145, AMOXOR = 146, AMOAND = 147, AMOOR = 148,
            AMOMIN = 149, AMOMAX = 150, AMOMINU = 151, AMOMAXU = 152;
    // Zicsr: imm = csr number, rs1 = source register or 5-bit immediate
    public static final int CSRRW = 153, CSRRS = 154, CSRRC = 155, CSRRWI = 156, CSRRSI = 157, CSRRCI = 158;
    // F and D: imm = rounding mode where the instruction has one
    public static final int FADD_S = 160, FSUB_S = 161, FMUL_S = 162, FDIV_S = 163, FSQRT_S = 164, FSGNJ_S = 165,
            FSGNJN_S = 166, FSGNJX_S = 167, FMIN_S = 168, FMAX_S = 169, FCVT_W_S = 170, FCVT_WU_S = 171,
            FCVT_L_S = 172, FCVT_LU_S = 173, FMV_X_W = 174, FEQ_S = 175, FLT_S = 176, FLE_S = 177, FCLASS_S = 178,
            FCVT_S_W = 179, FCVT_S_WU = 180, FCVT_S_L = 181, FCVT_S_LU = 182, FMV_W_X = 183, FMADD_S = 184,
            FMSUB_S = 185, FNMSUB_S = 186, FNMADD_S = 187;
    public static final int FADD_D = 190, FSUB_D = 191, FMUL_D = 192, FDIV_D = 193, FSQRT_D = 194, FSGNJ_D = 195,
            FSGNJN_D = 196, FSGNJX_D = 197, FMIN_D = 198, FMAX_D = 199, FCVT_W_D = 200, FCVT_WU_D = 201,
            FCVT_L_D = 202, FCVT_LU_D = 203, FMV_X_D = 204, FEQ_D = 205, FLT_D = 206, FLE_D = 207, FCLASS_D = 208,
            FCVT_D_W = 209, FCVT_D_WU = 210, FCVT_D_L = 211, FCVT_D_LU = 212, FMV_D_X = 213, FMADD_D = 214,
            FMSUB_D = 215, FNMSUB_D = 216, FNMADD_D = 217, FCVT_S_D = 218, FCVT_D_S = 219;

    // ---- slot layout: one long per 2 bytes of code ----
    // bits 0-7 op | 8-13 rd (0..32, integer x0 writes go to 32) | 14-18 rs1 | 19-23 rs2 | 24 4-byte instruction
    // | 25-29 rs3 | 32-63 imm (signed)

    /** Packs a slot. */
    public static long slot(int op, int rd, int rs1, int rs2, int rs3, boolean wide, int imm) {
        return (op & 0xFFL) | ((long) (rd & 63) << 8) | ((long) (rs1 & 31) << 14) | ((long) (rs2 & 31) << 19)
                | (wide ? 1L << 24 : 0) | ((long) (rs3 & 31) << 25) | ((long) imm << 32);
    }

    public static int op(long slot) {
        return (int) slot & 0xFF;
    }

    public static int rd(long slot) {
        return (int) (slot >>> 8) & 63;
    }

    public static int rs1(long slot) {
        return (int) (slot >>> 14) & 31;
    }

    public static int rs2(long slot) {
        return (int) (slot >>> 19) & 31;
    }

    public static int rs3(long slot) {
        return (int) (slot >>> 25) & 31;
    }

    /** Instruction length in slots (1 for 16-bit, 2 for 32-bit instructions). */
    public static int length(long slot) {
        return 1 + ((int) (slot >>> 24) & 1);
    }

    public static int imm(long slot) {
        return (int) (slot >> 32);
    }
}
