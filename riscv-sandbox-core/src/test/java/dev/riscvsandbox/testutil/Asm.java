package dev.riscvsandbox.testutil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny RISC-V assembler for tests: a fluent, label-aware instruction encoder that produces little-endian machine
 * code for RV32 or RV64.
 *
 * <p>Covers RV32/RV64 I, M, A, F, D, Zicsr, Zifencei, Zba, Zbb, Zbc, Zbs and C, plus the usual
 * pseudo-instructions ({@link #li}, {@link #la}, {@link #mv}, {@link #j}, {@link #call}, ...).
 *
 * <p>Conventions:
 * <ul>
 *   <li>Operands are given in assembly order. Loads and stores take {@code (reg, offset, base)}, mirroring
 *       {@code lw rd, offset(base)} and {@code sw rs2, offset(base)}; atomics take {@code (rd, rs2, rs1)} mirroring
 *       {@code amoadd.w rd, rs2, (rs1)}.</li>
 *   <li>Registers are plain ints 0..31, for both the integer and the floating-point file; constants with ABI names
 *       are provided ({@link #A0}, {@link #FA0}, ...).</li>
 *   <li>Mnemonics with dots become camel case: {@code fadd.d} is {@link #faddD}, {@code amoadd.w} is
 *       {@link #amoaddW}, {@code sh1add.uw} is {@link #sh1addUw}, {@code c.addi} is {@link #cAddi}.</li>
 *   <li>FP operations that round take an optional rounding mode ({@link #RNE} .. {@link #RMM}, {@link #DYN});
 *       without it the dynamic mode is used, except for exact conversions (fcvt.d.w, fcvt.d.wu, fcvt.d.s) where,
 *       like GNU as, the default is {@link #RNE}.</li>
 *   <li>Branches and jumps accept either a label name (resolved when the code is taken, forward references are
 *       fine) or a raw byte offset relative to the instruction.</li>
 *   <li>Invalid operands (register out of range, immediate out of range or misaligned, instruction not available
 *       for the XLEN) throw {@link IllegalArgumentException} at once; unresolvable labels and out-of-range label
 *       targets throw when {@link #code()} is called.</li>
 * </ul>
 *
 * <p>Every instruction is also recorded in a textual listing ({@link #lines()}, {@link #listing()}) in the format
 * of {@code objdump -M no-aliases,numeric}: pseudo-instructions appear as the real instructions they expand to.
 */
public final class Asm {

    // ---- integer registers (ABI names) ----
    public static final int ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4, T0 = 5, T1 = 6, T2 = 7, S0 = 8, FP = 8, S1 = 9;
    public static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;
    public static final int S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23, S8 = 24, S9 = 25, S10 = 26,
            S11 = 27;
    public static final int T3 = 28, T4 = 29, T5 = 30, T6 = 31;

    // ---- floating-point registers (ABI names) ----
    public static final int FT0 = 0, FT1 = 1, FT2 = 2, FT3 = 3, FT4 = 4, FT5 = 5, FT6 = 6, FT7 = 7;
    public static final int FS0 = 8, FS1 = 9;
    public static final int FA0 = 10, FA1 = 11, FA2 = 12, FA3 = 13, FA4 = 14, FA5 = 15, FA6 = 16, FA7 = 17;
    public static final int FS2 = 18, FS3 = 19, FS4 = 20, FS5 = 21, FS6 = 22, FS7 = 23, FS8 = 24, FS9 = 25,
            FS10 = 26, FS11 = 27;
    public static final int FT8 = 28, FT9 = 29, FT10 = 30, FT11 = 31;

    // ---- rounding modes ----
    public static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;

    // ---- CSRs ----
    public static final int CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
    public static final int CSR_CYCLE = 0xC00, CSR_TIME = 0xC01, CSR_INSTRET = 0xC02;
    public static final int CSR_CYCLEH = 0xC80, CSR_TIMEH = 0xC81, CSR_INSTRETH = 0xC82;

    // ---- fence sets ----
    public static final int FENCE_W = 1, FENCE_R = 2, FENCE_O = 4, FENCE_I = 8, FENCE_RW = 3, FENCE_IORW = 15;

    private static final String[] RM_NAMES = {"rne", "rtz", "rdn", "rup", "rmm", "5", "6", "dyn"};

    // ---- major opcodes ----
    private static final int OP_LOAD = 0x03, OP_LOAD_FP = 0x07, OP_MISC_MEM = 0x0F, OP_IMM = 0x13, OP_AUIPC = 0x17,
            OP_IMM_32 = 0x1B, OP_STORE = 0x23, OP_STORE_FP = 0x27, OP_AMO = 0x2F, OP_OP = 0x33, OP_LUI = 0x37,
            OP_OP_32 = 0x3B, OP_MADD = 0x43, OP_MSUB = 0x47, OP_NMSUB = 0x4B, OP_NMADD = 0x4F, OP_FP = 0x53,
            OP_BRANCH = 0x63, OP_JALR = 0x67, OP_JAL = 0x6F, OP_SYSTEM = 0x73;

    /** One emitted instruction (or data word) in the listing. */
    public static final class Line {
        private final int offset;
        private final int length;
        private int bits;
        private String text;

        Line(int offset, int length, int bits, String text) {
            this.offset = offset;
            this.length = length;
            this.bits = bits;
            this.text = text;
        }

        /** Byte offset from the start of the code. */
        public int offset() {
            return offset;
        }

        /** 2 or 4. */
        public int length() {
            return length;
        }

        /** The encoded instruction (low 16 bits for compressed ones). */
        public int bits() {
            return bits;
        }

        /** Mnemonic and operands, objdump style ({@code addi x1,x2,-5}). */
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return length == 2 ? String.format("%04x      %s", bits & 0xffff, text)
                    : String.format("%08x  %s", bits, text);
        }
    }

    private enum FixKind { BRANCH, JAL, CBRANCH, CJUMP, PCREL_I, PCREL_S }

    private record Fixup(FixKind kind, int offset, String label, Line line, Line line2, String prefix,
                         String prefix2, String suffix2) {
    }

    private final int xlen;
    private final long origin;
    private byte[] buf = new byte[256];
    private int size;
    private final Map<String, Integer> labels = new LinkedHashMap<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final List<Fixup> fixups = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private int uniqueCounter;

    /**
     * @param xlen   32 or 64
     * @param origin the virtual address the first byte of the code will be loaded at (used for listings, for
     *               absolute symbols and for {@link #address(String)})
     */
    public Asm(int xlen, long origin) {
        if (xlen != 32 && xlen != 64) {
            throw new IllegalArgumentException("xlen must be 32 or 64: " + xlen);
        }
        this.xlen = xlen;
        this.origin = origin;
    }

    public static Asm rv64() {
        return new Asm(64, 0x10000);
    }

    public static Asm rv32() {
        return new Asm(32, 0x10000);
    }

    public int xlen() {
        return xlen;
    }

    public long origin() {
        return origin;
    }

    /** Current size of the code in bytes, i.e. the offset of the next instruction. */
    public int size() {
        return size;
    }

    /** Address of the next instruction. */
    public long pc() {
        return origin + size;
    }

    // =====================================================================================================
    // labels, symbols, output
    // =====================================================================================================

    /** Binds {@code name} to the current position. */
    public Asm label(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty label");
        }
        if (labels.containsKey(name) || symbols.containsKey(name)) {
            throw new IllegalArgumentException("duplicate label: " + name);
        }
        labels.put(name, size);
        return this;
    }

    /** A fresh label name, unique within this assembler (not bound yet). */
    public String newLabel(String prefix) {
        return "." + prefix + "_" + (uniqueCounter++);
    }

    /** Defines an absolute symbol (e.g. an address in the data segment) usable wherever a label is. */
    public Asm symbol(String name, long address) {
        if (labels.containsKey(name) || symbols.containsKey(name)) {
            throw new IllegalArgumentException("duplicate label: " + name);
        }
        symbols.put(name, address);
        return this;
    }

    /** Whether {@code name} is a bound label or a defined symbol. */
    public boolean isDefined(String name) {
        return labels.containsKey(name) || symbols.containsKey(name);
    }

    /** Absolute address of a bound label or symbol. */
    public long address(String name) {
        Integer off = labels.get(name);
        if (off != null) {
            return origin + off;
        }
        Long abs = symbols.get(name);
        if (abs != null) {
            return abs;
        }
        throw new IllegalStateException("undefined label: " + name);
    }

    /** Code labels (not absolute symbols) with their absolute addresses, in definition order. */
    public Map<String, Long> labelAddresses() {
        Map<String, Long> out = new LinkedHashMap<>();
        labels.forEach((k, v) -> out.put(k, origin + v));
        return out;
    }

    /** Resolves all label references and returns a copy of the machine code. */
    public byte[] code() {
        for (Fixup f : fixups) {
            resolve(f);
        }
        return Arrays.copyOf(buf, size);
    }

    /** The listing lines emitted so far (label references resolved as far as currently possible). */
    public List<Line> lines() {
        for (Fixup f : fixups) {
            if (isDefined(f.label)) {
                resolve(f);
            }
        }
        return Collections.unmodifiableList(lines);
    }

    /** The listing of the instructions whose offsets lie in {@code [fromOffset, toOffset)}. */
    public String listing(int fromOffset, int toOffset) {
        StringBuilder sb = new StringBuilder();
        Map<Integer, List<String>> byOffset = new LinkedHashMap<>();
        labels.forEach((k, v) -> byOffset.computeIfAbsent(v, x -> new ArrayList<>()).add(k));
        for (Line l : lines()) {
            if (l.offset < fromOffset || l.offset >= toOffset) {
                continue;
            }
            List<String> names = byOffset.get(l.offset);
            if (names != null) {
                for (String n : names) {
                    sb.append(n).append(":\n");
                }
            }
            sb.append(String.format("  %8x:  ", origin + l.offset)).append(l).append('\n');
        }
        return sb.toString();
    }

    /** The complete listing. */
    public String listing() {
        return listing(0, Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return listing();
    }

    private long target(String label) {
        if (!isDefined(label)) {
            throw new IllegalStateException("undefined label: " + label);
        }
        return address(label);
    }

    private void resolve(Fixup f) {
        long here = origin + f.offset;
        long delta = target(f.label) - here;
        String hexTarget = addrHex(target(f.label));
        switch (f.kind) {
            case BRANCH -> {
                checkOffset(delta, 13, "branch to " + f.label);
                int w = read32(f.offset) & ~0xFE000F80 | bTypeImm((int) delta);
                patch32(f, w, f.prefix + hexTarget);
            }
            case JAL -> {
                checkOffset(delta, 21, "jal to " + f.label);
                int w = read32(f.offset) & 0xFFF | jTypeImm((int) delta);
                patch32(f, w, f.prefix + hexTarget);
            }
            case CBRANCH -> {
                checkOffset(delta, 9, "compressed branch to " + f.label);
                int h = read16(f.offset) & 0xE383 | cbImm((int) delta);
                write16(f.offset, h);
                f.line.bits = h;
                f.line.text = f.prefix + hexTarget;
            }
            case CJUMP -> {
                checkOffset(delta, 12, "compressed jump to " + f.label);
                int h = read16(f.offset) & 0xE003 | cjImm((int) delta);
                write16(f.offset, h);
                f.line.bits = h;
                f.line.text = f.prefix + hexTarget;
            }
            case PCREL_I, PCREL_S -> {
                if (delta != (int) delta || delta + 0x800 != (int) (delta + 0x800)) {
                    throw new IllegalArgumentException("pc-relative target out of range: " + f.label);
                }
                int hi = (int) ((delta + 0x800) >> 12);
                int lo = (int) delta - (hi << 12);
                int w1 = read32(f.offset) & 0xFFF | (hi << 12);
                patch32(f, w1, f.prefix + "0x" + Integer.toHexString(hi & 0xFFFFF));
                int w2;
                if (f.kind == FixKind.PCREL_I) {
                    w2 = read32(f.offset + 4) & 0x000FFFFF | (lo << 20);
                } else {
                    w2 = read32(f.offset + 4) & 0x01FFF07F | ((lo >> 5) << 25) | ((lo & 0x1F) << 7);
                }
                write32(f.offset + 4, w2);
                f.line2.bits = w2;
                f.line2.text = f.prefix2 + lo + f.suffix2;
            }
            default -> throw new AssertionError();
        }
    }

    private void patch32(Fixup f, int w, String text) {
        write32(f.offset, w);
        f.line.bits = w;
        f.line.text = text;
    }

    private static void checkOffset(long delta, int bits, String what) {
        long lim = 1L << (bits - 1);
        if (delta < -lim || delta >= lim) {
            throw new IllegalArgumentException(what + " out of range: " + delta);
        }
        if ((delta & 1) != 0) {
            throw new IllegalArgumentException(what + " misaligned: " + delta);
        }
    }

    // =====================================================================================================
    // raw emission
    // =====================================================================================================

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }

    private void write32(int off, int w) {
        buf[off] = (byte) w;
        buf[off + 1] = (byte) (w >>> 8);
        buf[off + 2] = (byte) (w >>> 16);
        buf[off + 3] = (byte) (w >>> 24);
    }

    private void write16(int off, int h) {
        buf[off] = (byte) h;
        buf[off + 1] = (byte) (h >>> 8);
    }

    private int read32(int off) {
        return (buf[off] & 0xFF) | (buf[off + 1] & 0xFF) << 8 | (buf[off + 2] & 0xFF) << 16 | (buf[off + 3]) << 24;
    }

    private int read16(int off) {
        return (buf[off] & 0xFF) | (buf[off + 1] & 0xFF) << 8;
    }

    private Line emit32(int w, String text) {
        ensure(4);
        write32(size, w);
        Line l = new Line(size, 4, w, text);
        lines.add(l);
        size += 4;
        return l;
    }

    private Line emit16(int h, String text) {
        ensure(2);
        write16(size, h);
        Line l = new Line(size, 2, h & 0xFFFF, text);
        lines.add(l);
        size += 2;
        return l;
    }

    /** Emits a raw 32-bit word (listed as {@code .word}). */
    public Asm word(int w) {
        emit32(w, String.format(".word 0x%08x", w));
        return this;
    }

    /** Emits a raw 16-bit half-word (listed as {@code .half}). */
    public Asm half(int h) {
        if (h != (h & 0xFFFF) && h != (short) h) {
            throw new IllegalArgumentException("not a 16-bit value: " + h);
        }
        emit16(h, String.format(".half 0x%04x", h & 0xFFFF));
        return this;
    }

    /** Pads with {@code nop}s (and one {@code c.nop} if needed) to a multiple of {@code alignment} bytes. */
    public Asm align(int alignment) {
        if (alignment < 2 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two >= 2: " + alignment);
        }
        if ((size & 2) != 0 && (size % alignment) != 0) {
            cNop();
        }
        while (size % alignment != 0) {
            nop();
        }
        return this;
    }

    // =====================================================================================================
    // operand checks and formatting
    // =====================================================================================================

    private static int reg(int r) {
        if (r < 0 || r > 31) {
            throw new IllegalArgumentException("register out of range: " + r);
        }
        return r;
    }

    private static String x(int r) {
        return "x" + reg(r);
    }

    private static String f(int r) {
        return "f" + reg(r);
    }

    /** A register of the compressed 3-bit set x8..x15 (f8..f15); returns the 3-bit field. */
    private static int creg(int r) {
        if (r < 8 || r > 15) {
            throw new IllegalArgumentException("compressed register must be 8..15: " + r);
        }
        return r - 8;
    }

    private static int simm(long v, int bits, String what) {
        long lim = 1L << (bits - 1);
        if (v < -lim || v >= lim) {
            throw new IllegalArgumentException(what + " out of range (" + bits + "-bit signed): " + v);
        }
        return (int) v;
    }

    private static int uimm(long v, int bits, String what) {
        if (v < 0 || v >= (1L << bits)) {
            throw new IllegalArgumentException(what + " out of range (" + bits + "-bit unsigned): " + v);
        }
        return (int) v;
    }

    private static int rm(int rm) {
        if (rm < 0 || rm > 7 || rm == 5 || rm == 6) {
            throw new IllegalArgumentException("invalid rounding mode: " + rm);
        }
        return rm;
    }

    private void need64(String mnemonic) {
        if (xlen != 64) {
            throw new IllegalArgumentException(mnemonic + " is RV64 only");
        }
    }

    private void need32(String mnemonic) {
        if (xlen != 32) {
            throw new IllegalArgumentException(mnemonic + " is RV32 only");
        }
    }

    private int shamt(int s) {
        return uimm(s, xlen == 64 ? 6 : 5, "shift amount");
    }

    /** An address as objdump prints it: truncated to XLEN bits, in hex. */
    private String addrHex(long address) {
        return hex(xlen == 32 ? address & 0xFFFFFFFFL : address);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // =====================================================================================================
    // encoders
    // =====================================================================================================

    private static int rType(int f7, int rs2, int rs1, int f3, int rd, int op) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    private static int iType(int imm, int rs1, int f3, int rd, int op) {
        return (imm & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    private static int sType(int imm, int rs2, int rs1, int f3, int op) {
        return ((imm >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1F) << 7 | op;
    }

    private static int bTypeImm(int imm) {
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3F) << 25 | ((imm >> 1) & 0xF) << 8 | ((imm >> 11) & 1) << 7;
    }

    private static int jTypeImm(int imm) {
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3FF) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xFF) << 12;
    }

    private static int cbImm(int imm) {
        return ((imm >> 8) & 1) << 12 | ((imm >> 3) & 3) << 10 | ((imm >> 6) & 3) << 5 | ((imm >> 1) & 3) << 3
                | ((imm >> 5) & 1) << 2;
    }

    private static int cjImm(int imm) {
        return ((imm >> 11) & 1) << 12 | ((imm >> 4) & 1) << 11 | ((imm >> 8) & 3) << 9 | ((imm >> 10) & 1) << 8
                | ((imm >> 6) & 1) << 7 | ((imm >> 7) & 1) << 6 | ((imm >> 1) & 7) << 3 | ((imm >> 5) & 1) << 2;
    }

    private Asm r(String mn, int f7, int rd, int rs1, int rs2, int f3, int op) {
        emit32(rType(f7, reg(rs2), reg(rs1), f3, reg(rd), op), mn + " " + x(rd) + "," + x(rs1) + "," + x(rs2));
        return this;
    }

    private Asm r64(String mn, int f7, int rd, int rs1, int rs2, int f3, int op) {
        need64(mn);
        return r(mn, f7, rd, rs1, rs2, f3, op);
    }

    /** Unary op encoded as I-type with a fixed 12-bit function field (clz, sext.b, rev8, ...). */
    private Asm unary(String mn, int funct12, int rd, int rs1, int f3, int op) {
        emit32(iType(funct12, reg(rs1), f3, reg(rd), op), mn + " " + x(rd) + "," + x(rs1));
        return this;
    }

    private Asm immOp(String mn, int rd, int rs1, int imm, int f3, int op) {
        simm(imm, 12, mn + " immediate");
        emit32(iType(imm, reg(rs1), f3, reg(rd), op), mn + " " + x(rd) + "," + x(rs1) + "," + imm);
        return this;
    }

    /** Shift-immediate with a 6-bit (rv64) / 5-bit (rv32) amount and a 6-bit funct in imm[11:6]. */
    private Asm shiftImm(String mn, int funct6, int rd, int rs1, int sh, int f3, int op) {
        shamt(sh);
        emit32(iType(funct6 << 6 | sh, reg(rs1), f3, reg(rd), op), mn + " " + x(rd) + "," + x(rs1) + "," + hex(sh));
        return this;
    }

    /** Word shift-immediate (5-bit amount, funct7 in imm[11:5]); RV64 only. */
    private Asm shiftImmW(String mn, int funct7, int rd, int rs1, int sh, int f3) {
        need64(mn);
        uimm(sh, 5, "shift amount");
        emit32(iType(funct7 << 5 | sh, reg(rs1), f3, reg(rd), OP_IMM_32),
                mn + " " + x(rd) + "," + x(rs1) + "," + hex(sh));
        return this;
    }

    private Asm load(String mn, int rd, int imm, int rs1, int f3) {
        simm(imm, 12, "load offset");
        emit32(iType(imm, reg(rs1), f3, reg(rd), OP_LOAD), mn + " " + x(rd) + "," + imm + "(" + x(rs1) + ")");
        return this;
    }

    private Asm store(String mn, int rs2, int imm, int rs1, int f3) {
        simm(imm, 12, "store offset");
        emit32(sType(imm, reg(rs2), reg(rs1), f3, OP_STORE), mn + " " + x(rs2) + "," + imm + "(" + x(rs1) + ")");
        return this;
    }

    private Asm branch(String mn, int rs1, int rs2, int f3, int offset) {
        checkOffset(offset, 13, mn);
        emit32(bTypeImm(offset) | rType(0, reg(rs2), reg(rs1), f3, 0, OP_BRANCH),
                mn + " " + x(rs1) + "," + x(rs2) + "," + addrHex(pc() + offset));
        return this;
    }

    private Asm branch(String mn, int rs1, int rs2, int f3, String label) {
        String prefix = mn + " " + x(rs1) + "," + x(rs2) + ",";
        int off = size;
        Line l = emit32(rType(0, reg(rs2), reg(rs1), f3, 0, OP_BRANCH), prefix + "?");
        fixups.add(new Fixup(FixKind.BRANCH, off, label, l, null, prefix, null, null));
        return this;
    }

    // =====================================================================================================
    // RV32I / RV64I
    // =====================================================================================================

    /** {@code lui rd, imm20}: imm20 is the 20-bit upper immediate (0..0xfffff, or -0x80000..-1). */
    public Asm lui(int rd, int imm20) {
        int v = upper(imm20);
        emit32(v << 12 | reg(rd) << 7 | OP_LUI, "lui " + x(rd) + "," + hex(v));
        return this;
    }

    /** {@code auipc rd, imm20}. */
    public Asm auipc(int rd, int imm20) {
        int v = upper(imm20);
        emit32(v << 12 | reg(rd) << 7 | OP_AUIPC, "auipc " + x(rd) + "," + hex(v));
        return this;
    }

    private static int upper(int imm20) {
        if (imm20 < -0x80000 || imm20 > 0xFFFFF) {
            throw new IllegalArgumentException("20-bit upper immediate out of range: " + imm20);
        }
        return imm20 & 0xFFFFF;
    }

    public Asm jal(int rd, int offset) {
        checkOffset(offset, 21, "jal");
        emit32(jTypeImm(offset) | reg(rd) << 7 | OP_JAL, "jal " + x(rd) + "," + addrHex(pc() + offset));
        return this;
    }

    public Asm jal(int rd, String label) {
        String prefix = "jal " + x(rd) + ",";
        int off = size;
        Line l = emit32(reg(rd) << 7 | OP_JAL, prefix + "?");
        fixups.add(new Fixup(FixKind.JAL, off, label, l, null, prefix, null, null));
        return this;
    }

    /** {@code jalr rd, imm(rs1)}. */
    public Asm jalr(int rd, int imm, int rs1) {
        simm(imm, 12, "jalr offset");
        emit32(iType(imm, reg(rs1), 0, reg(rd), OP_JALR), "jalr " + x(rd) + "," + imm + "(" + x(rs1) + ")");
        return this;
    }

    public Asm beq(int rs1, int rs2, String label) {
        return branch("beq", rs1, rs2, 0, label);
    }

    public Asm bne(int rs1, int rs2, String label) {
        return branch("bne", rs1, rs2, 1, label);
    }

    public Asm blt(int rs1, int rs2, String label) {
        return branch("blt", rs1, rs2, 4, label);
    }

    public Asm bge(int rs1, int rs2, String label) {
        return branch("bge", rs1, rs2, 5, label);
    }

    public Asm bltu(int rs1, int rs2, String label) {
        return branch("bltu", rs1, rs2, 6, label);
    }

    public Asm bgeu(int rs1, int rs2, String label) {
        return branch("bgeu", rs1, rs2, 7, label);
    }

    public Asm beq(int rs1, int rs2, int offset) {
        return branch("beq", rs1, rs2, 0, offset);
    }

    public Asm bne(int rs1, int rs2, int offset) {
        return branch("bne", rs1, rs2, 1, offset);
    }

    public Asm blt(int rs1, int rs2, int offset) {
        return branch("blt", rs1, rs2, 4, offset);
    }

    public Asm bge(int rs1, int rs2, int offset) {
        return branch("bge", rs1, rs2, 5, offset);
    }

    public Asm bltu(int rs1, int rs2, int offset) {
        return branch("bltu", rs1, rs2, 6, offset);
    }

    public Asm bgeu(int rs1, int rs2, int offset) {
        return branch("bgeu", rs1, rs2, 7, offset);
    }

    public Asm lb(int rd, int imm, int rs1) {
        return load("lb", rd, imm, rs1, 0);
    }

    public Asm lh(int rd, int imm, int rs1) {
        return load("lh", rd, imm, rs1, 1);
    }

    public Asm lw(int rd, int imm, int rs1) {
        return load("lw", rd, imm, rs1, 2);
    }

    public Asm ld(int rd, int imm, int rs1) {
        need64("ld");
        return load("ld", rd, imm, rs1, 3);
    }

    public Asm lbu(int rd, int imm, int rs1) {
        return load("lbu", rd, imm, rs1, 4);
    }

    public Asm lhu(int rd, int imm, int rs1) {
        return load("lhu", rd, imm, rs1, 5);
    }

    public Asm lwu(int rd, int imm, int rs1) {
        need64("lwu");
        return load("lwu", rd, imm, rs1, 6);
    }

    public Asm sb(int rs2, int imm, int rs1) {
        return store("sb", rs2, imm, rs1, 0);
    }

    public Asm sh(int rs2, int imm, int rs1) {
        return store("sh", rs2, imm, rs1, 1);
    }

    public Asm sw(int rs2, int imm, int rs1) {
        return store("sw", rs2, imm, rs1, 2);
    }

    public Asm sd(int rs2, int imm, int rs1) {
        need64("sd");
        return store("sd", rs2, imm, rs1, 3);
    }

    public Asm addi(int rd, int rs1, int imm) {
        return immOp("addi", rd, rs1, imm, 0, OP_IMM);
    }

    public Asm slti(int rd, int rs1, int imm) {
        return immOp("slti", rd, rs1, imm, 2, OP_IMM);
    }

    public Asm sltiu(int rd, int rs1, int imm) {
        return immOp("sltiu", rd, rs1, imm, 3, OP_IMM);
    }

    public Asm xori(int rd, int rs1, int imm) {
        return immOp("xori", rd, rs1, imm, 4, OP_IMM);
    }

    public Asm ori(int rd, int rs1, int imm) {
        return immOp("ori", rd, rs1, imm, 6, OP_IMM);
    }

    public Asm andi(int rd, int rs1, int imm) {
        return immOp("andi", rd, rs1, imm, 7, OP_IMM);
    }

    public Asm slli(int rd, int rs1, int shamt) {
        return shiftImm("slli", 0x00, rd, rs1, shamt, 1, OP_IMM);
    }

    public Asm srli(int rd, int rs1, int shamt) {
        return shiftImm("srli", 0x00, rd, rs1, shamt, 5, OP_IMM);
    }

    public Asm srai(int rd, int rs1, int shamt) {
        return shiftImm("srai", 0x10, rd, rs1, shamt, 5, OP_IMM);
    }

    public Asm add(int rd, int rs1, int rs2) {
        return r("add", 0x00, rd, rs1, rs2, 0, OP_OP);
    }

    public Asm sub(int rd, int rs1, int rs2) {
        return r("sub", 0x20, rd, rs1, rs2, 0, OP_OP);
    }

    public Asm sll(int rd, int rs1, int rs2) {
        return r("sll", 0x00, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm slt(int rd, int rs1, int rs2) {
        return r("slt", 0x00, rd, rs1, rs2, 2, OP_OP);
    }

    public Asm sltu(int rd, int rs1, int rs2) {
        return r("sltu", 0x00, rd, rs1, rs2, 3, OP_OP);
    }

    public Asm xor(int rd, int rs1, int rs2) {
        return r("xor", 0x00, rd, rs1, rs2, 4, OP_OP);
    }

    public Asm srl(int rd, int rs1, int rs2) {
        return r("srl", 0x00, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm sra(int rd, int rs1, int rs2) {
        return r("sra", 0x20, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm or(int rd, int rs1, int rs2) {
        return r("or", 0x00, rd, rs1, rs2, 6, OP_OP);
    }

    public Asm and(int rd, int rs1, int rs2) {
        return r("and", 0x00, rd, rs1, rs2, 7, OP_OP);
    }

    public Asm addiw(int rd, int rs1, int imm) {
        need64("addiw");
        return immOp("addiw", rd, rs1, imm, 0, OP_IMM_32);
    }

    public Asm slliw(int rd, int rs1, int shamt) {
        return shiftImmW("slliw", 0x00, rd, rs1, shamt, 1);
    }

    public Asm srliw(int rd, int rs1, int shamt) {
        return shiftImmW("srliw", 0x00, rd, rs1, shamt, 5);
    }

    public Asm sraiw(int rd, int rs1, int shamt) {
        return shiftImmW("sraiw", 0x20, rd, rs1, shamt, 5);
    }

    public Asm addw(int rd, int rs1, int rs2) {
        return r64("addw", 0x00, rd, rs1, rs2, 0, OP_OP_32);
    }

    public Asm subw(int rd, int rs1, int rs2) {
        return r64("subw", 0x20, rd, rs1, rs2, 0, OP_OP_32);
    }

    public Asm sllw(int rd, int rs1, int rs2) {
        return r64("sllw", 0x00, rd, rs1, rs2, 1, OP_OP_32);
    }

    public Asm srlw(int rd, int rs1, int rs2) {
        return r64("srlw", 0x00, rd, rs1, rs2, 5, OP_OP_32);
    }

    public Asm sraw(int rd, int rs1, int rs2) {
        return r64("sraw", 0x20, rd, rs1, rs2, 5, OP_OP_32);
    }

    /** {@code fence pred,succ} with 4-bit sets of {@link #FENCE_I}, {@link #FENCE_O}, {@link #FENCE_R}, {@link #FENCE_W}. */
    public Asm fence(int pred, int succ) {
        uimm(pred, 4, "fence predecessor set");
        uimm(succ, 4, "fence successor set");
        emit32(pred << 24 | succ << 20 | OP_MISC_MEM, "fence " + fenceSet(pred) + "," + fenceSet(succ));
        return this;
    }

    /** {@code fence iorw,iorw}. */
    public Asm fence() {
        return fence(FENCE_IORW, FENCE_IORW);
    }

    /** {@code fence.tso}. */
    public Asm fenceTso() {
        emit32(0x8330000F, "fence.tso");
        return this;
    }

    private static String fenceSet(int s) {
        if (s == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        if ((s & 8) != 0) {
            sb.append('i');
        }
        if ((s & 4) != 0) {
            sb.append('o');
        }
        if ((s & 2) != 0) {
            sb.append('r');
        }
        if ((s & 1) != 0) {
            sb.append('w');
        }
        return sb.toString();
    }

    /** {@code fence.i} (Zifencei). */
    public Asm fenceI() {
        emit32(0x0000100F, "fence.i");
        return this;
    }

    public Asm ecall() {
        emit32(0x00000073, "ecall");
        return this;
    }

    public Asm ebreak() {
        emit32(0x00100073, "ebreak");
        return this;
    }

    // =====================================================================================================
    // M
    // =====================================================================================================

    public Asm mul(int rd, int rs1, int rs2) {
        return r("mul", 0x01, rd, rs1, rs2, 0, OP_OP);
    }

    public Asm mulh(int rd, int rs1, int rs2) {
        return r("mulh", 0x01, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm mulhsu(int rd, int rs1, int rs2) {
        return r("mulhsu", 0x01, rd, rs1, rs2, 2, OP_OP);
    }

    public Asm mulhu(int rd, int rs1, int rs2) {
        return r("mulhu", 0x01, rd, rs1, rs2, 3, OP_OP);
    }

    public Asm div(int rd, int rs1, int rs2) {
        return r("div", 0x01, rd, rs1, rs2, 4, OP_OP);
    }

    public Asm divu(int rd, int rs1, int rs2) {
        return r("divu", 0x01, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm rem(int rd, int rs1, int rs2) {
        return r("rem", 0x01, rd, rs1, rs2, 6, OP_OP);
    }

    public Asm remu(int rd, int rs1, int rs2) {
        return r("remu", 0x01, rd, rs1, rs2, 7, OP_OP);
    }

    public Asm mulw(int rd, int rs1, int rs2) {
        return r64("mulw", 0x01, rd, rs1, rs2, 0, OP_OP_32);
    }

    public Asm divw(int rd, int rs1, int rs2) {
        return r64("divw", 0x01, rd, rs1, rs2, 4, OP_OP_32);
    }

    public Asm divuw(int rd, int rs1, int rs2) {
        return r64("divuw", 0x01, rd, rs1, rs2, 5, OP_OP_32);
    }

    public Asm remw(int rd, int rs1, int rs2) {
        return r64("remw", 0x01, rd, rs1, rs2, 6, OP_OP_32);
    }

    public Asm remuw(int rd, int rs1, int rs2) {
        return r64("remuw", 0x01, rd, rs1, rs2, 7, OP_OP_32);
    }

    // =====================================================================================================
    // A
    // =====================================================================================================

    private Asm amo(String name, int funct5, boolean dword, int rd, int rs2, int rs1, boolean aq, boolean rl) {
        if (dword) {
            need64(name + ".d");
        }
        String mn = name + (dword ? ".d" : ".w") + (aq ? ".aq" : "") + (rl ? "rl" : "");
        if (!aq && rl) {
            mn = name + (dword ? ".d" : ".w") + ".rl";
        }
        int w = funct5 << 27 | (aq ? 1 << 26 : 0) | (rl ? 1 << 25 : 0) | reg(rs2) << 20 | reg(rs1) << 15
                | (dword ? 3 : 2) << 12 | reg(rd) << 7 | OP_AMO;
        String ops = funct5 == 0x02 ? x(rd) + ",(" + x(rs1) + ")" : x(rd) + "," + x(rs2) + ",(" + x(rs1) + ")";
        emit32(w, mn + " " + ops);
        return this;
    }

    /** {@code lr.w rd, (rs1)}. */
    public Asm lrW(int rd, int rs1) {
        return amo("lr", 0x02, false, rd, 0, rs1, false, false);
    }

    public Asm lrW(int rd, int rs1, boolean aq, boolean rl) {
        return amo("lr", 0x02, false, rd, 0, rs1, aq, rl);
    }

    public Asm lrD(int rd, int rs1) {
        return amo("lr", 0x02, true, rd, 0, rs1, false, false);
    }

    public Asm lrD(int rd, int rs1, boolean aq, boolean rl) {
        return amo("lr", 0x02, true, rd, 0, rs1, aq, rl);
    }

    /** {@code sc.w rd, rs2, (rs1)}. */
    public Asm scW(int rd, int rs2, int rs1) {
        return amo("sc", 0x03, false, rd, rs2, rs1, false, false);
    }

    public Asm scW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("sc", 0x03, false, rd, rs2, rs1, aq, rl);
    }

    public Asm scD(int rd, int rs2, int rs1) {
        return amo("sc", 0x03, true, rd, rs2, rs1, false, false);
    }

    public Asm scD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("sc", 0x03, true, rd, rs2, rs1, aq, rl);
    }

    /** The AMO operations by name ("amoswap", "amoadd", ...), for table-driven use. */
    public static final List<String> AMO_OPS = List.of("amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin",
            "amomax", "amominu", "amomaxu");

    private static int amoFunct5(String op) {
        return switch (op) {
            case "amoadd" -> 0x00;
            case "amoswap" -> 0x01;
            case "amoxor" -> 0x04;
            case "amoor" -> 0x08;
            case "amoand" -> 0x0C;
            case "amomin" -> 0x10;
            case "amomax" -> 0x14;
            case "amominu" -> 0x18;
            case "amomaxu" -> 0x1C;
            default -> throw new IllegalArgumentException("unknown AMO: " + op);
        };
    }

    /** Generic AMO: {@code op} is one of {@link #AMO_OPS}; {@code dword} selects .d (RV64) over .w. */
    public Asm amo(String op, boolean dword, int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo(op, amoFunct5(op), dword, rd, rs2, rs1, aq, rl);
    }

    public Asm amoswapW(int rd, int rs2, int rs1) {
        return amo("amoswap", false, rd, rs2, rs1, false, false);
    }

    public Asm amoswapW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoswap", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amoaddW(int rd, int rs2, int rs1) {
        return amo("amoadd", false, rd, rs2, rs1, false, false);
    }

    public Asm amoaddW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoadd", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amoxorW(int rd, int rs2, int rs1) {
        return amo("amoxor", false, rd, rs2, rs1, false, false);
    }

    public Asm amoxorW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoxor", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amoandW(int rd, int rs2, int rs1) {
        return amo("amoand", false, rd, rs2, rs1, false, false);
    }

    public Asm amoandW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoand", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amoorW(int rd, int rs2, int rs1) {
        return amo("amoor", false, rd, rs2, rs1, false, false);
    }

    public Asm amoorW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoor", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amominW(int rd, int rs2, int rs1) {
        return amo("amomin", false, rd, rs2, rs1, false, false);
    }

    public Asm amominW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomin", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amomaxW(int rd, int rs2, int rs1) {
        return amo("amomax", false, rd, rs2, rs1, false, false);
    }

    public Asm amomaxW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomax", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amominuW(int rd, int rs2, int rs1) {
        return amo("amominu", false, rd, rs2, rs1, false, false);
    }

    public Asm amominuW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amominu", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amomaxuW(int rd, int rs2, int rs1) {
        return amo("amomaxu", false, rd, rs2, rs1, false, false);
    }

    public Asm amomaxuW(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomaxu", false, rd, rs2, rs1, aq, rl);
    }

    public Asm amoswapD(int rd, int rs2, int rs1) {
        return amo("amoswap", true, rd, rs2, rs1, false, false);
    }

    public Asm amoswapD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoswap", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amoaddD(int rd, int rs2, int rs1) {
        return amo("amoadd", true, rd, rs2, rs1, false, false);
    }

    public Asm amoaddD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoadd", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amoxorD(int rd, int rs2, int rs1) {
        return amo("amoxor", true, rd, rs2, rs1, false, false);
    }

    public Asm amoxorD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoxor", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amoandD(int rd, int rs2, int rs1) {
        return amo("amoand", true, rd, rs2, rs1, false, false);
    }

    public Asm amoandD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoand", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amoorD(int rd, int rs2, int rs1) {
        return amo("amoor", true, rd, rs2, rs1, false, false);
    }

    public Asm amoorD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amoor", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amominD(int rd, int rs2, int rs1) {
        return amo("amomin", true, rd, rs2, rs1, false, false);
    }

    public Asm amominD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomin", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amomaxD(int rd, int rs2, int rs1) {
        return amo("amomax", true, rd, rs2, rs1, false, false);
    }

    public Asm amomaxD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomax", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amominuD(int rd, int rs2, int rs1) {
        return amo("amominu", true, rd, rs2, rs1, false, false);
    }

    public Asm amominuD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amominu", true, rd, rs2, rs1, aq, rl);
    }

    public Asm amomaxuD(int rd, int rs2, int rs1) {
        return amo("amomaxu", true, rd, rs2, rs1, false, false);
    }

    public Asm amomaxuD(int rd, int rs2, int rs1, boolean aq, boolean rl) {
        return amo("amomaxu", true, rd, rs2, rs1, aq, rl);
    }

    // =====================================================================================================
    // F / D
    // =====================================================================================================

    private static final int FMT_S = 0, FMT_D = 1;

    private static String sfx(int fmt) {
        return fmt == FMT_S ? ".s" : ".d";
    }

    private static String rmSuffix(int rm, int defaultRm) {
        return rm == defaultRm ? "" : "," + RM_NAMES[rm];
    }

    /** fd = op(fs1, fs2) with rounding mode. */
    private Asm fpArith(String name, int funct5, int fmt, int rd, int rs1, int rs2, int rm) {
        emit32(rType(funct5 << 2 | fmt, reg(rs2), reg(rs1), rm(rm), reg(rd), OP_FP),
                name + sfx(fmt) + " " + f(rd) + "," + f(rs1) + "," + f(rs2) + rmSuffix(rm, DYN));
        return this;
    }

    /** fd = op(fs1, fs2) with a fixed funct3 (sign injection, min/max). */
    private Asm fpF3(String mn, int funct5, int fmt, int rd, int rs1, int rs2, int f3) {
        emit32(rType(funct5 << 2 | fmt, reg(rs2), reg(rs1), f3, reg(rd), OP_FP),
                mn + " " + f(rd) + "," + f(rs1) + "," + f(rs2));
        return this;
    }

    private Asm fpCompare(String mn, int fmt, int rd, int rs1, int rs2, int f3) {
        emit32(rType(0x14 << 2 | fmt, reg(rs2), reg(rs1), f3, reg(rd), OP_FP),
                mn + " " + x(rd) + "," + f(rs1) + "," + f(rs2));
        return this;
    }

    private Asm fpFma(String name, int op, int fmt, int rd, int rs1, int rs2, int rs3, int rm) {
        int w = reg(rs3) << 27 | fmt << 25 | reg(rs2) << 20 | reg(rs1) << 15 | rm(rm) << 12 | reg(rd) << 7 | op;
        emit32(w, name + sfx(fmt) + " " + f(rd) + "," + f(rs1) + "," + f(rs2) + "," + f(rs3) + rmSuffix(rm, DYN));
        return this;
    }

    /**
     * Unary FP op with register kinds: {@code rdIsX}/{@code rs1IsX} choose the x or f register file; the rs2
     * field holds {@code rs2Field}.
     */
    private Asm fpUnary(String mn, int funct7, int rs2Field, boolean rdIsX, int rd, boolean rs1IsX, int rs1, int f3,
                        boolean printRm, int defaultRm) {
        emit32(rType(funct7, rs2Field, reg(rs1), f3, reg(rd), OP_FP),
                mn + " " + (rdIsX ? x(rd) : f(rd)) + "," + (rs1IsX ? x(rs1) : f(rs1))
                        + (printRm ? rmSuffix(f3, defaultRm) : ""));
        return this;
    }

    private Asm fload(String mn, int rd, int imm, int rs1, int f3) {
        simm(imm, 12, "load offset");
        emit32(iType(imm, reg(rs1), f3, reg(rd), OP_LOAD_FP), mn + " " + f(rd) + "," + imm + "(" + x(rs1) + ")");
        return this;
    }

    private Asm fstore(String mn, int rs2, int imm, int rs1, int f3) {
        simm(imm, 12, "store offset");
        emit32(sType(imm, reg(rs2), reg(rs1), f3, OP_STORE_FP), mn + " " + f(rs2) + "," + imm + "(" + x(rs1) + ")");
        return this;
    }

    public Asm flw(int rd, int imm, int rs1) {
        return fload("flw", rd, imm, rs1, 2);
    }

    public Asm fld(int rd, int imm, int rs1) {
        return fload("fld", rd, imm, rs1, 3);
    }

    public Asm fsw(int rs2, int imm, int rs1) {
        return fstore("fsw", rs2, imm, rs1, 2);
    }

    public Asm fsd(int rs2, int imm, int rs1) {
        return fstore("fsd", rs2, imm, rs1, 3);
    }

    // --- generic, table-driven entry points (fmt: 0 = single, 1 = double) ---

    /** {@code fadd/fsub/fmul/fdiv} by name ("fadd", "fsub", "fmul", "fdiv"), fmt 0 = .s, 1 = .d. */
    public Asm fpBinary(String name, int fmt, int rd, int rs1, int rs2, int rm) {
        int funct5 = switch (name) {
            case "fadd" -> 0x00;
            case "fsub" -> 0x01;
            case "fmul" -> 0x02;
            case "fdiv" -> 0x03;
            default -> throw new IllegalArgumentException("unknown FP op: " + name);
        };
        return fpArith(name, funct5, fmtCheck(fmt), rd, rs1, rs2, rm);
    }

    /** {@code fmadd/fmsub/fnmsub/fnmadd} by name, fmt 0 = .s, 1 = .d. */
    public Asm fpFma(String name, int fmt, int rd, int rs1, int rs2, int rs3, int rm) {
        int op = switch (name) {
            case "fmadd" -> OP_MADD;
            case "fmsub" -> OP_MSUB;
            case "fnmsub" -> OP_NMSUB;
            case "fnmadd" -> OP_NMADD;
            default -> throw new IllegalArgumentException("unknown FMA op: " + name);
        };
        return fpFma(name, op, fmtCheck(fmt), rd, rs1, rs2, rs3, rm);
    }

    private static int fmtCheck(int fmt) {
        if (fmt != FMT_S && fmt != FMT_D) {
            throw new IllegalArgumentException("fmt must be 0 (single) or 1 (double): " + fmt);
        }
        return fmt;
    }

    public Asm faddS(int rd, int rs1, int rs2) {
        return fpArith("fadd", 0x00, FMT_S, rd, rs1, rs2, DYN);
    }

    public Asm faddS(int rd, int rs1, int rs2, int rm) {
        return fpArith("fadd", 0x00, FMT_S, rd, rs1, rs2, rm);
    }

    public Asm fsubS(int rd, int rs1, int rs2) {
        return fpArith("fsub", 0x01, FMT_S, rd, rs1, rs2, DYN);
    }

    public Asm fsubS(int rd, int rs1, int rs2, int rm) {
        return fpArith("fsub", 0x01, FMT_S, rd, rs1, rs2, rm);
    }

    public Asm fmulS(int rd, int rs1, int rs2) {
        return fpArith("fmul", 0x02, FMT_S, rd, rs1, rs2, DYN);
    }

    public Asm fmulS(int rd, int rs1, int rs2, int rm) {
        return fpArith("fmul", 0x02, FMT_S, rd, rs1, rs2, rm);
    }

    public Asm fdivS(int rd, int rs1, int rs2) {
        return fpArith("fdiv", 0x03, FMT_S, rd, rs1, rs2, DYN);
    }

    public Asm fdivS(int rd, int rs1, int rs2, int rm) {
        return fpArith("fdiv", 0x03, FMT_S, rd, rs1, rs2, rm);
    }

    public Asm faddD(int rd, int rs1, int rs2) {
        return fpArith("fadd", 0x00, FMT_D, rd, rs1, rs2, DYN);
    }

    public Asm faddD(int rd, int rs1, int rs2, int rm) {
        return fpArith("fadd", 0x00, FMT_D, rd, rs1, rs2, rm);
    }

    public Asm fsubD(int rd, int rs1, int rs2) {
        return fpArith("fsub", 0x01, FMT_D, rd, rs1, rs2, DYN);
    }

    public Asm fsubD(int rd, int rs1, int rs2, int rm) {
        return fpArith("fsub", 0x01, FMT_D, rd, rs1, rs2, rm);
    }

    public Asm fmulD(int rd, int rs1, int rs2) {
        return fpArith("fmul", 0x02, FMT_D, rd, rs1, rs2, DYN);
    }

    public Asm fmulD(int rd, int rs1, int rs2, int rm) {
        return fpArith("fmul", 0x02, FMT_D, rd, rs1, rs2, rm);
    }

    public Asm fdivD(int rd, int rs1, int rs2) {
        return fpArith("fdiv", 0x03, FMT_D, rd, rs1, rs2, DYN);
    }

    public Asm fdivD(int rd, int rs1, int rs2, int rm) {
        return fpArith("fdiv", 0x03, FMT_D, rd, rs1, rs2, rm);
    }

    public Asm fsqrtS(int rd, int rs1) {
        return fsqrtS(rd, rs1, DYN);
    }

    public Asm fsqrtS(int rd, int rs1, int rm) {
        return fpUnary("fsqrt.s", 0x0B << 2 | FMT_S, 0, false, rd, false, rs1, rm(rm), true, DYN);
    }

    public Asm fsqrtD(int rd, int rs1) {
        return fsqrtD(rd, rs1, DYN);
    }

    public Asm fsqrtD(int rd, int rs1, int rm) {
        return fpUnary("fsqrt.d", 0x0B << 2 | FMT_D, 0, false, rd, false, rs1, rm(rm), true, DYN);
    }

    public Asm fmaddS(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fmadd", OP_MADD, FMT_S, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fmaddS(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fmadd", OP_MADD, FMT_S, rd, rs1, rs2, rs3, rm);
    }

    public Asm fmsubS(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fmsub", OP_MSUB, FMT_S, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fmsubS(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fmsub", OP_MSUB, FMT_S, rd, rs1, rs2, rs3, rm);
    }

    public Asm fnmsubS(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fnmsub", OP_NMSUB, FMT_S, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fnmsubS(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fnmsub", OP_NMSUB, FMT_S, rd, rs1, rs2, rs3, rm);
    }

    public Asm fnmaddS(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fnmadd", OP_NMADD, FMT_S, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fnmaddS(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fnmadd", OP_NMADD, FMT_S, rd, rs1, rs2, rs3, rm);
    }

    public Asm fmaddD(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fmadd", OP_MADD, FMT_D, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fmaddD(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fmadd", OP_MADD, FMT_D, rd, rs1, rs2, rs3, rm);
    }

    public Asm fmsubD(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fmsub", OP_MSUB, FMT_D, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fmsubD(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fmsub", OP_MSUB, FMT_D, rd, rs1, rs2, rs3, rm);
    }

    public Asm fnmsubD(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fnmsub", OP_NMSUB, FMT_D, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fnmsubD(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fnmsub", OP_NMSUB, FMT_D, rd, rs1, rs2, rs3, rm);
    }

    public Asm fnmaddD(int rd, int rs1, int rs2, int rs3) {
        return fpFma("fnmadd", OP_NMADD, FMT_D, rd, rs1, rs2, rs3, DYN);
    }

    public Asm fnmaddD(int rd, int rs1, int rs2, int rs3, int rm) {
        return fpFma("fnmadd", OP_NMADD, FMT_D, rd, rs1, rs2, rs3, rm);
    }

    public Asm fsgnjS(int rd, int rs1, int rs2) {
        return fpF3("fsgnj.s", 0x04, FMT_S, rd, rs1, rs2, 0);
    }

    public Asm fsgnjnS(int rd, int rs1, int rs2) {
        return fpF3("fsgnjn.s", 0x04, FMT_S, rd, rs1, rs2, 1);
    }

    public Asm fsgnjxS(int rd, int rs1, int rs2) {
        return fpF3("fsgnjx.s", 0x04, FMT_S, rd, rs1, rs2, 2);
    }

    public Asm fsgnjD(int rd, int rs1, int rs2) {
        return fpF3("fsgnj.d", 0x04, FMT_D, rd, rs1, rs2, 0);
    }

    public Asm fsgnjnD(int rd, int rs1, int rs2) {
        return fpF3("fsgnjn.d", 0x04, FMT_D, rd, rs1, rs2, 1);
    }

    public Asm fsgnjxD(int rd, int rs1, int rs2) {
        return fpF3("fsgnjx.d", 0x04, FMT_D, rd, rs1, rs2, 2);
    }

    public Asm fminS(int rd, int rs1, int rs2) {
        return fpF3("fmin.s", 0x05, FMT_S, rd, rs1, rs2, 0);
    }

    public Asm fmaxS(int rd, int rs1, int rs2) {
        return fpF3("fmax.s", 0x05, FMT_S, rd, rs1, rs2, 1);
    }

    public Asm fminD(int rd, int rs1, int rs2) {
        return fpF3("fmin.d", 0x05, FMT_D, rd, rs1, rs2, 0);
    }

    public Asm fmaxD(int rd, int rs1, int rs2) {
        return fpF3("fmax.d", 0x05, FMT_D, rd, rs1, rs2, 1);
    }

    public Asm feqS(int rd, int rs1, int rs2) {
        return fpCompare("feq.s", FMT_S, rd, rs1, rs2, 2);
    }

    public Asm fltS(int rd, int rs1, int rs2) {
        return fpCompare("flt.s", FMT_S, rd, rs1, rs2, 1);
    }

    public Asm fleS(int rd, int rs1, int rs2) {
        return fpCompare("fle.s", FMT_S, rd, rs1, rs2, 0);
    }

    public Asm feqD(int rd, int rs1, int rs2) {
        return fpCompare("feq.d", FMT_D, rd, rs1, rs2, 2);
    }

    public Asm fltD(int rd, int rs1, int rs2) {
        return fpCompare("flt.d", FMT_D, rd, rs1, rs2, 1);
    }

    public Asm fleD(int rd, int rs1, int rs2) {
        return fpCompare("fle.d", FMT_D, rd, rs1, rs2, 0);
    }

    public Asm fclassS(int rd, int rs1) {
        return fpUnary("fclass.s", 0x1C << 2 | FMT_S, 0, true, rd, false, rs1, 1, false, 0);
    }

    public Asm fclassD(int rd, int rs1) {
        return fpUnary("fclass.d", 0x1C << 2 | FMT_D, 0, true, rd, false, rs1, 1, false, 0);
    }

    public Asm fmvXW(int rd, int rs1) {
        return fpUnary("fmv.x.w", 0x1C << 2 | FMT_S, 0, true, rd, false, rs1, 0, false, 0);
    }

    public Asm fmvWX(int rd, int rs1) {
        return fpUnary("fmv.w.x", 0x1E << 2 | FMT_S, 0, false, rd, true, rs1, 0, false, 0);
    }

    public Asm fmvXD(int rd, int rs1) {
        need64("fmv.x.d");
        return fpUnary("fmv.x.d", 0x1C << 2 | FMT_D, 0, true, rd, false, rs1, 0, false, 0);
    }

    public Asm fmvDX(int rd, int rs1) {
        need64("fmv.d.x");
        return fpUnary("fmv.d.x", 0x1E << 2 | FMT_D, 0, false, rd, true, rs1, 0, false, 0);
    }

    /** {@code fcvt.s.d}. */
    public Asm fcvtSD(int rd, int rs1) {
        return fcvtSD(rd, rs1, DYN);
    }

    public Asm fcvtSD(int rd, int rs1, int rm) {
        return fpUnary("fcvt.s.d", 0x08 << 2 | FMT_S, 1, false, rd, false, rs1, rm(rm), true, DYN);
    }

    /** {@code fcvt.d.s} (exact; default rm is RNE like GNU as). */
    public Asm fcvtDS(int rd, int rs1) {
        return fcvtDS(rd, rs1, RNE);
    }

    public Asm fcvtDS(int rd, int rs1, int rm) {
        return fpUnary("fcvt.d.s", 0x08 << 2 | FMT_D, 0, false, rd, false, rs1, rm(rm), true, RNE);
    }

    /** Integer kinds for FP/integer conversions: 0 = w, 1 = wu, 2 = l, 3 = lu. */
    public static final int CVT_W = 0, CVT_WU = 1, CVT_L = 2, CVT_LU = 3;

    private static final String[] CVT_NAMES = {"w", "wu", "l", "lu"};

    /** {@code fcvt.<int>.<fp> xd, fs1, rm}: FP to integer; {@code intKind} one of {@link #CVT_W}.. */
    public Asm fcvtToInt(int intKind, int fmt, int rd, int rs1, int rm) {
        uimm(intKind, 2, "conversion kind");
        if (intKind >= CVT_L) {
            need64("fcvt." + CVT_NAMES[intKind]);
        }
        return fpUnary("fcvt." + CVT_NAMES[intKind] + sfx(fmtCheck(fmt)), 0x18 << 2 | fmt, intKind, true, rd, false,
                rs1, rm(rm), true, DYN);
    }

    /** {@code fcvt.<fp>.<int> fd, xs1, rm}: integer to FP. */
    public Asm fcvtFromInt(int intKind, int fmt, int rd, int rs1, int rm) {
        uimm(intKind, 2, "conversion kind");
        if (intKind >= CVT_L) {
            need64("fcvt." + CVT_NAMES[intKind]);
        }
        fmtCheck(fmt);
        int def = (fmt == FMT_D && intKind <= CVT_WU) ? RNE : DYN;
        return fpUnary("fcvt" + sfx(fmt) + "." + CVT_NAMES[intKind], 0x1A << 2 | fmt, intKind, false, rd, true, rs1,
                rm(rm), true, def);
    }

    public Asm fcvtWS(int rd, int rs1) {
        return fcvtToInt(CVT_W, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtWS(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_W, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtWuS(int rd, int rs1) {
        return fcvtToInt(CVT_WU, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtWuS(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_WU, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtLS(int rd, int rs1) {
        return fcvtToInt(CVT_L, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtLS(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_L, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtLuS(int rd, int rs1) {
        return fcvtToInt(CVT_LU, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtLuS(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_LU, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtWD(int rd, int rs1) {
        return fcvtToInt(CVT_W, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtWD(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_W, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtWuD(int rd, int rs1) {
        return fcvtToInt(CVT_WU, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtWuD(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_WU, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtLD(int rd, int rs1) {
        return fcvtToInt(CVT_L, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtLD(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_L, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtLuD(int rd, int rs1) {
        return fcvtToInt(CVT_LU, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtLuD(int rd, int rs1, int rm) {
        return fcvtToInt(CVT_LU, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtSW(int rd, int rs1) {
        return fcvtFromInt(CVT_W, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtSW(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_W, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtSWu(int rd, int rs1) {
        return fcvtFromInt(CVT_WU, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtSWu(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_WU, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtSL(int rd, int rs1) {
        return fcvtFromInt(CVT_L, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtSL(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_L, FMT_S, rd, rs1, rm);
    }

    public Asm fcvtSLu(int rd, int rs1) {
        return fcvtFromInt(CVT_LU, FMT_S, rd, rs1, DYN);
    }

    public Asm fcvtSLu(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_LU, FMT_S, rd, rs1, rm);
    }

    /** {@code fcvt.d.w} (exact; default rm is RNE like GNU as). */
    public Asm fcvtDW(int rd, int rs1) {
        return fcvtFromInt(CVT_W, FMT_D, rd, rs1, RNE);
    }

    public Asm fcvtDW(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_W, FMT_D, rd, rs1, rm);
    }

    /** {@code fcvt.d.wu} (exact; default rm is RNE like GNU as). */
    public Asm fcvtDWu(int rd, int rs1) {
        return fcvtFromInt(CVT_WU, FMT_D, rd, rs1, RNE);
    }

    public Asm fcvtDWu(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_WU, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtDL(int rd, int rs1) {
        return fcvtFromInt(CVT_L, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtDL(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_L, FMT_D, rd, rs1, rm);
    }

    public Asm fcvtDLu(int rd, int rs1) {
        return fcvtFromInt(CVT_LU, FMT_D, rd, rs1, DYN);
    }

    public Asm fcvtDLu(int rd, int rs1, int rm) {
        return fcvtFromInt(CVT_LU, FMT_D, rd, rs1, rm);
    }

    // =====================================================================================================
    // Zicsr
    // =====================================================================================================

    private static String csrName(int csr) {
        return switch (csr) {
            case CSR_FFLAGS -> "fflags";
            case CSR_FRM -> "frm";
            case CSR_FCSR -> "fcsr";
            case CSR_CYCLE -> "cycle";
            case CSR_TIME -> "time";
            case CSR_INSTRET -> "instret";
            case CSR_CYCLEH -> "cycleh";
            case CSR_TIMEH -> "timeh";
            case CSR_INSTRETH -> "instreth";
            default -> hex(csr);
        };
    }

    private Asm csr(String mn, int f3, int rd, int csr, int rs1OrUimm, boolean imm) {
        uimm(csr, 12, "CSR number");
        if (imm) {
            uimm(rs1OrUimm, 5, "CSR immediate");
        } else {
            reg(rs1OrUimm);
        }
        emit32(iType(csr, rs1OrUimm, f3, reg(rd), OP_SYSTEM),
                mn + " " + x(rd) + "," + csrName(csr) + "," + (imm ? Integer.toString(rs1OrUimm) : x(rs1OrUimm)));
        return this;
    }

    public Asm csrrw(int rd, int csr, int rs1) {
        return csr("csrrw", 1, rd, csr, rs1, false);
    }

    public Asm csrrs(int rd, int csr, int rs1) {
        return csr("csrrs", 2, rd, csr, rs1, false);
    }

    public Asm csrrc(int rd, int csr, int rs1) {
        return csr("csrrc", 3, rd, csr, rs1, false);
    }

    public Asm csrrwi(int rd, int csr, int uimm) {
        return csr("csrrwi", 5, rd, csr, uimm, true);
    }

    public Asm csrrsi(int rd, int csr, int uimm) {
        return csr("csrrsi", 6, rd, csr, uimm, true);
    }

    public Asm csrrci(int rd, int csr, int uimm) {
        return csr("csrrci", 7, rd, csr, uimm, true);
    }

    /** {@code csrr rd, csr} = {@code csrrs rd, csr, x0}. */
    public Asm csrr(int rd, int csr) {
        return csrrs(rd, csr, ZERO);
    }

    /** {@code csrw csr, rs} = {@code csrrw x0, csr, rs}. */
    public Asm csrw(int csr, int rs1) {
        return csrrw(ZERO, csr, rs1);
    }

    /** {@code csrs csr, rs} = {@code csrrs x0, csr, rs}. */
    public Asm csrs(int csr, int rs1) {
        return csrrs(ZERO, csr, rs1);
    }

    /** {@code csrc csr, rs} = {@code csrrc x0, csr, rs}. */
    public Asm csrc(int csr, int rs1) {
        return csrrc(ZERO, csr, rs1);
    }

    /** {@code csrwi csr, uimm} = {@code csrrwi x0, csr, uimm}. */
    public Asm csrwi(int csr, int uimm) {
        return csrrwi(ZERO, csr, uimm);
    }

    // =====================================================================================================
    // Zba
    // =====================================================================================================

    public Asm sh1add(int rd, int rs1, int rs2) {
        return r("sh1add", 0x10, rd, rs1, rs2, 2, OP_OP);
    }

    public Asm sh2add(int rd, int rs1, int rs2) {
        return r("sh2add", 0x10, rd, rs1, rs2, 4, OP_OP);
    }

    public Asm sh3add(int rd, int rs1, int rs2) {
        return r("sh3add", 0x10, rd, rs1, rs2, 6, OP_OP);
    }

    public Asm addUw(int rd, int rs1, int rs2) {
        return r64("add.uw", 0x04, rd, rs1, rs2, 0, OP_OP_32);
    }

    public Asm sh1addUw(int rd, int rs1, int rs2) {
        return r64("sh1add.uw", 0x10, rd, rs1, rs2, 2, OP_OP_32);
    }

    public Asm sh2addUw(int rd, int rs1, int rs2) {
        return r64("sh2add.uw", 0x10, rd, rs1, rs2, 4, OP_OP_32);
    }

    public Asm sh3addUw(int rd, int rs1, int rs2) {
        return r64("sh3add.uw", 0x10, rd, rs1, rs2, 6, OP_OP_32);
    }

    public Asm slliUw(int rd, int rs1, int shamt) {
        need64("slli.uw");
        return shiftImm("slli.uw", 0x02, rd, rs1, shamt, 1, OP_IMM_32);
    }

    // =====================================================================================================
    // Zbb
    // =====================================================================================================

    public Asm andn(int rd, int rs1, int rs2) {
        return r("andn", 0x20, rd, rs1, rs2, 7, OP_OP);
    }

    public Asm orn(int rd, int rs1, int rs2) {
        return r("orn", 0x20, rd, rs1, rs2, 6, OP_OP);
    }

    public Asm xnor(int rd, int rs1, int rs2) {
        return r("xnor", 0x20, rd, rs1, rs2, 4, OP_OP);
    }

    public Asm clz(int rd, int rs1) {
        return unary("clz", 0x600, rd, rs1, 1, OP_IMM);
    }

    public Asm ctz(int rd, int rs1) {
        return unary("ctz", 0x601, rd, rs1, 1, OP_IMM);
    }

    public Asm cpop(int rd, int rs1) {
        return unary("cpop", 0x602, rd, rs1, 1, OP_IMM);
    }

    public Asm clzw(int rd, int rs1) {
        need64("clzw");
        return unary("clzw", 0x600, rd, rs1, 1, OP_IMM_32);
    }

    public Asm ctzw(int rd, int rs1) {
        need64("ctzw");
        return unary("ctzw", 0x601, rd, rs1, 1, OP_IMM_32);
    }

    public Asm cpopw(int rd, int rs1) {
        need64("cpopw");
        return unary("cpopw", 0x602, rd, rs1, 1, OP_IMM_32);
    }

    public Asm max(int rd, int rs1, int rs2) {
        return r("max", 0x05, rd, rs1, rs2, 6, OP_OP);
    }

    public Asm maxu(int rd, int rs1, int rs2) {
        return r("maxu", 0x05, rd, rs1, rs2, 7, OP_OP);
    }

    public Asm min(int rd, int rs1, int rs2) {
        return r("min", 0x05, rd, rs1, rs2, 4, OP_OP);
    }

    public Asm minu(int rd, int rs1, int rs2) {
        return r("minu", 0x05, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm sextB(int rd, int rs1) {
        return unary("sext.b", 0x604, rd, rs1, 1, OP_IMM);
    }

    public Asm sextH(int rd, int rs1) {
        return unary("sext.h", 0x605, rd, rs1, 1, OP_IMM);
    }

    public Asm zextH(int rd, int rs1) {
        return unary("zext.h", 0x080, rd, rs1, 4, xlen == 64 ? OP_OP_32 : OP_OP);
    }

    public Asm rol(int rd, int rs1, int rs2) {
        return r("rol", 0x30, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm ror(int rd, int rs1, int rs2) {
        return r("ror", 0x30, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm rolw(int rd, int rs1, int rs2) {
        return r64("rolw", 0x30, rd, rs1, rs2, 1, OP_OP_32);
    }

    public Asm rorw(int rd, int rs1, int rs2) {
        return r64("rorw", 0x30, rd, rs1, rs2, 5, OP_OP_32);
    }

    public Asm rori(int rd, int rs1, int shamt) {
        return shiftImm("rori", 0x18, rd, rs1, shamt, 5, OP_IMM);
    }

    public Asm roriw(int rd, int rs1, int shamt) {
        return shiftImmW("roriw", 0x30, rd, rs1, shamt, 5);
    }

    public Asm orcB(int rd, int rs1) {
        return unary("orc.b", 0x287, rd, rs1, 5, OP_IMM);
    }

    public Asm rev8(int rd, int rs1) {
        return unary("rev8", xlen == 64 ? 0x6B8 : 0x698, rd, rs1, 5, OP_IMM);
    }

    // =====================================================================================================
    // Zbc
    // =====================================================================================================

    public Asm clmul(int rd, int rs1, int rs2) {
        return r("clmul", 0x05, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm clmulr(int rd, int rs1, int rs2) {
        return r("clmulr", 0x05, rd, rs1, rs2, 2, OP_OP);
    }

    public Asm clmulh(int rd, int rs1, int rs2) {
        return r("clmulh", 0x05, rd, rs1, rs2, 3, OP_OP);
    }

    // =====================================================================================================
    // Zbs
    // =====================================================================================================

    public Asm bclr(int rd, int rs1, int rs2) {
        return r("bclr", 0x24, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm bext(int rd, int rs1, int rs2) {
        return r("bext", 0x24, rd, rs1, rs2, 5, OP_OP);
    }

    public Asm binv(int rd, int rs1, int rs2) {
        return r("binv", 0x34, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm bset(int rd, int rs1, int rs2) {
        return r("bset", 0x14, rd, rs1, rs2, 1, OP_OP);
    }

    public Asm bclri(int rd, int rs1, int shamt) {
        return shiftImm("bclri", 0x12, rd, rs1, shamt, 1, OP_IMM);
    }

    public Asm bexti(int rd, int rs1, int shamt) {
        return shiftImm("bexti", 0x12, rd, rs1, shamt, 5, OP_IMM);
    }

    public Asm binvi(int rd, int rs1, int shamt) {
        return shiftImm("binvi", 0x1A, rd, rs1, shamt, 1, OP_IMM);
    }

    public Asm bseti(int rd, int rs1, int shamt) {
        return shiftImm("bseti", 0x0A, rd, rs1, shamt, 1, OP_IMM);
    }

    // =====================================================================================================
    // C (compressed)
    // =====================================================================================================

    private static int scaledUimm(int v, int scale, int max, String what) {
        if (v < 0 || v > max || v % scale != 0) {
            throw new IllegalArgumentException(what + " must be a multiple of " + scale + " in 0.." + max + ": " + v);
        }
        return v;
    }

    /** {@code c.addi4spn rd', sp, nzuimm} (nzuimm: multiple of 4 in 4..1020). */
    public Asm cAddi4spn(int rd, int nzuimm) {
        scaledUimm(nzuimm, 4, 1020, "c.addi4spn immediate");
        if (nzuimm == 0) {
            throw new IllegalArgumentException("c.addi4spn immediate must not be zero");
        }
        int u = nzuimm;
        int h = ((u >> 4) & 3) << 11 | ((u >> 6) & 0xF) << 7 | ((u >> 2) & 1) << 6 | ((u >> 3) & 1) << 5
                | creg(rd) << 2;
        emit16(h, "c.addi4spn " + x(rd) + ",x2," + nzuimm);
        return this;
    }

    /** Q0 loads/stores with an 8-byte scaled offset (c.fld, c.ld, c.fsd, c.sd). */
    private Asm cMem8(String mn, int funct3, int r, boolean fpReg, int uimm, int rs1) {
        scaledUimm(uimm, 8, 248, mn + " offset");
        int h = funct3 << 13 | ((uimm >> 3) & 7) << 10 | creg(rs1) << 7 | ((uimm >> 6) & 3) << 5 | creg(r) << 2;
        emit16(h, mn + " " + (fpReg ? f(r) : x(r)) + "," + uimm + "(" + x(rs1) + ")");
        return this;
    }

    /** Q0 loads/stores with a 4-byte scaled offset (c.lw, c.flw, c.sw, c.fsw). */
    private Asm cMem4(String mn, int funct3, int r, boolean fpReg, int uimm, int rs1) {
        scaledUimm(uimm, 4, 124, mn + " offset");
        int h = funct3 << 13 | ((uimm >> 3) & 7) << 10 | creg(rs1) << 7 | ((uimm >> 2) & 1) << 6
                | ((uimm >> 6) & 1) << 5 | creg(r) << 2;
        emit16(h, mn + " " + (fpReg ? f(r) : x(r)) + "," + uimm + "(" + x(rs1) + ")");
        return this;
    }

    public Asm cFld(int rd, int uimm, int rs1) {
        return cMem8("c.fld", 1, rd, true, uimm, rs1);
    }

    public Asm cLw(int rd, int uimm, int rs1) {
        return cMem4("c.lw", 2, rd, false, uimm, rs1);
    }

    /** {@code c.flw} (RV32 only). */
    public Asm cFlw(int rd, int uimm, int rs1) {
        need32("c.flw");
        return cMem4("c.flw", 3, rd, true, uimm, rs1);
    }

    /** {@code c.ld} (RV64 only). */
    public Asm cLd(int rd, int uimm, int rs1) {
        need64("c.ld");
        return cMem8("c.ld", 3, rd, false, uimm, rs1);
    }

    public Asm cFsd(int rs2, int uimm, int rs1) {
        return cMem8("c.fsd", 5, rs2, true, uimm, rs1);
    }

    public Asm cSw(int rs2, int uimm, int rs1) {
        return cMem4("c.sw", 6, rs2, false, uimm, rs1);
    }

    /** {@code c.fsw} (RV32 only). */
    public Asm cFsw(int rs2, int uimm, int rs1) {
        need32("c.fsw");
        return cMem4("c.fsw", 7, rs2, true, uimm, rs1);
    }

    /** {@code c.sd} (RV64 only). */
    public Asm cSd(int rs2, int uimm, int rs1) {
        need64("c.sd");
        return cMem8("c.sd", 7, rs2, false, uimm, rs1);
    }

    private static int ciImm(int imm) {
        return ((imm >> 5) & 1) << 12 | (imm & 0x1F) << 2;
    }

    public Asm cNop() {
        emit16(0x0001, "c.addi x0,0");
        return this;
    }

    /** {@code c.addi rd, nzimm} (rd != 0, nzimm in -32..31, != 0). */
    public Asm cAddi(int rd, int nzimm) {
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.addi rd must not be x0 (use cNop)");
        }
        simm(nzimm, 6, "c.addi immediate");
        if (nzimm == 0) {
            throw new IllegalArgumentException("c.addi immediate must not be zero");
        }
        emit16(0x0001 | rd << 7 | ciImm(nzimm), "c.addi " + x(rd) + "," + nzimm);
        return this;
    }

    /** {@code c.jal offset} (RV32 only). */
    public Asm cJal(String label) {
        need32("c.jal");
        return cJump(0x2001, "c.jal ", label);
    }

    public Asm cJal(int offset) {
        need32("c.jal");
        return cJump(0x2001, "c.jal ", offset);
    }

    /** {@code c.addiw rd, imm} (RV64 only; rd != 0, imm in -32..31). */
    public Asm cAddiw(int rd, int imm) {
        need64("c.addiw");
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.addiw rd must not be x0");
        }
        simm(imm, 6, "c.addiw immediate");
        emit16(0x2001 | rd << 7 | ciImm(imm), "c.addiw " + x(rd) + "," + imm);
        return this;
    }

    /** {@code c.li rd, imm} (rd != 0, imm in -32..31). */
    public Asm cLi(int rd, int imm) {
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.li rd must not be x0");
        }
        simm(imm, 6, "c.li immediate");
        emit16(0x4001 | rd << 7 | ciImm(imm), "c.li " + x(rd) + "," + imm);
        return this;
    }

    /** {@code c.addi16sp sp, nzimm} (nzimm: multiple of 16 in -512..496, != 0). */
    public Asm cAddi16sp(int nzimm) {
        if (nzimm == 0 || nzimm < -512 || nzimm > 496 || nzimm % 16 != 0) {
            throw new IllegalArgumentException("c.addi16sp immediate must be a non-zero multiple of 16 in -512..496: "
                    + nzimm);
        }
        int i = nzimm;
        int h = 0x6101 | ((i >> 9) & 1) << 12 | ((i >> 4) & 1) << 6 | ((i >> 6) & 1) << 5 | ((i >> 7) & 3) << 3
                | ((i >> 5) & 1) << 2;
        emit16(h, "c.addi16sp x2," + nzimm);
        return this;
    }

    /**
     * {@code c.lui rd, imm} (rd != 0, 2). {@code imm} is the upper immediate as for {@link #lui}: -32..31 except 0,
     * or equivalently 1..0x1f and 0xfffe0..0xfffff.
     */
    public Asm cLui(int rd, int imm) {
        if (reg(rd) == 0 || rd == 2) {
            throw new IllegalArgumentException("c.lui rd must not be x0 or x2");
        }
        int v;
        if (imm >= 0xFFFE0 && imm <= 0xFFFFF) {
            v = imm - 0x100000;
        } else {
            v = simm(imm, 6, "c.lui immediate");
        }
        if (v == 0) {
            throw new IllegalArgumentException("c.lui immediate must not be zero");
        }
        emit16(0x6001 | rd << 7 | ciImm(v), "c.lui " + x(rd) + "," + hex(v & 0xFFFFF));
        return this;
    }

    private int cShamt(int sh) {
        uimm(sh, xlen == 64 ? 6 : 5, "compressed shift amount");
        if (sh == 0) {
            throw new IllegalArgumentException("compressed shift amount must not be zero");
        }
        return sh;
    }

    public Asm cSrli(int rd, int shamt) {
        cShamt(shamt);
        emit16(0x8001 | creg(rd) << 7 | ciImm(shamt), "c.srli " + x(rd) + "," + hex(shamt));
        return this;
    }

    public Asm cSrai(int rd, int shamt) {
        cShamt(shamt);
        emit16(0x8401 | creg(rd) << 7 | ciImm(shamt), "c.srai " + x(rd) + "," + hex(shamt));
        return this;
    }

    public Asm cAndi(int rd, int imm) {
        simm(imm, 6, "c.andi immediate");
        emit16(0x8801 | creg(rd) << 7 | ciImm(imm), "c.andi " + x(rd) + "," + imm);
        return this;
    }

    private Asm cArith(String mn, int base, int rd, int rs2) {
        emit16(base | creg(rd) << 7 | creg(rs2) << 2, mn + " " + x(rd) + "," + x(rs2));
        return this;
    }

    public Asm cSub(int rd, int rs2) {
        return cArith("c.sub", 0x8C01, rd, rs2);
    }

    public Asm cXor(int rd, int rs2) {
        return cArith("c.xor", 0x8C21, rd, rs2);
    }

    public Asm cOr(int rd, int rs2) {
        return cArith("c.or", 0x8C41, rd, rs2);
    }

    public Asm cAnd(int rd, int rs2) {
        return cArith("c.and", 0x8C61, rd, rs2);
    }

    public Asm cSubw(int rd, int rs2) {
        need64("c.subw");
        return cArith("c.subw", 0x9C01, rd, rs2);
    }

    public Asm cAddw(int rd, int rs2) {
        need64("c.addw");
        return cArith("c.addw", 0x9C21, rd, rs2);
    }

    private Asm cJump(int base, String prefix, int offset) {
        checkOffset(offset, 12, prefix.trim());
        emit16(base | cjImm(offset), prefix + addrHex(pc() + offset));
        return this;
    }

    private Asm cJump(int base, String prefix, String label) {
        int off = size;
        Line l = emit16(base, prefix + "?");
        fixups.add(new Fixup(FixKind.CJUMP, off, label, l, null, prefix, null, null));
        return this;
    }

    public Asm cJ(String label) {
        return cJump(0xA001, "c.j ", label);
    }

    public Asm cJ(int offset) {
        return cJump(0xA001, "c.j ", offset);
    }

    private Asm cBranch(int base, String mn, int rs1, int offset) {
        checkOffset(offset, 9, mn);
        emit16(base | creg(rs1) << 7 | cbImm(offset), mn + " " + x(rs1) + "," + addrHex(pc() + offset));
        return this;
    }

    private Asm cBranch(int base, String mn, int rs1, String label) {
        String prefix = mn + " " + x(rs1) + ",";
        int off = size;
        Line l = emit16(base | creg(rs1) << 7, prefix + "?");
        fixups.add(new Fixup(FixKind.CBRANCH, off, label, l, null, prefix, null, null));
        return this;
    }

    public Asm cBeqz(int rs1, String label) {
        return cBranch(0xC001, "c.beqz", rs1, label);
    }

    public Asm cBeqz(int rs1, int offset) {
        return cBranch(0xC001, "c.beqz", rs1, offset);
    }

    public Asm cBnez(int rs1, String label) {
        return cBranch(0xE001, "c.bnez", rs1, label);
    }

    public Asm cBnez(int rs1, int offset) {
        return cBranch(0xE001, "c.bnez", rs1, offset);
    }

    public Asm cSlli(int rd, int shamt) {
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.slli rd must not be x0");
        }
        cShamt(shamt);
        emit16(0x0002 | rd << 7 | ciImm(shamt), "c.slli " + x(rd) + "," + hex(shamt));
        return this;
    }

    /** {@code c.fldsp rd, uimm(sp)} (uimm: multiple of 8 in 0..504). */
    public Asm cFldsp(int rd, int uimm) {
        return cLoadSp8("c.fldsp", 0x2002, rd, true, uimm);
    }

    /** {@code c.lwsp rd, uimm(sp)} (rd != 0; uimm: multiple of 4 in 0..252). */
    public Asm cLwsp(int rd, int uimm) {
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.lwsp rd must not be x0");
        }
        return cLoadSp4("c.lwsp", 0x4002, rd, false, uimm);
    }

    /** {@code c.flwsp} (RV32 only). */
    public Asm cFlwsp(int rd, int uimm) {
        need32("c.flwsp");
        return cLoadSp4("c.flwsp", 0x6002, rd, true, uimm);
    }

    /** {@code c.ldsp} (RV64 only; rd != 0). */
    public Asm cLdsp(int rd, int uimm) {
        need64("c.ldsp");
        if (reg(rd) == 0) {
            throw new IllegalArgumentException("c.ldsp rd must not be x0");
        }
        return cLoadSp8("c.ldsp", 0x6002, rd, false, uimm);
    }

    private Asm cLoadSp8(String mn, int base, int rd, boolean fpReg, int uimm) {
        scaledUimm(uimm, 8, 504, mn + " offset");
        int h = base | ((uimm >> 5) & 1) << 12 | reg(rd) << 7 | ((uimm >> 3) & 3) << 5 | ((uimm >> 6) & 7) << 2;
        emit16(h, mn + " " + (fpReg ? f(rd) : x(rd)) + "," + uimm + "(x2)");
        return this;
    }

    private Asm cLoadSp4(String mn, int base, int rd, boolean fpReg, int uimm) {
        scaledUimm(uimm, 4, 252, mn + " offset");
        int h = base | ((uimm >> 5) & 1) << 12 | reg(rd) << 7 | ((uimm >> 2) & 7) << 4 | ((uimm >> 6) & 3) << 2;
        emit16(h, mn + " " + (fpReg ? f(rd) : x(rd)) + "," + uimm + "(x2)");
        return this;
    }

    public Asm cFsdsp(int rs2, int uimm) {
        return cStoreSp8("c.fsdsp", 0xA002, rs2, true, uimm);
    }

    public Asm cSwsp(int rs2, int uimm) {
        return cStoreSp4("c.swsp", 0xC002, rs2, false, uimm);
    }

    /** {@code c.fswsp} (RV32 only). */
    public Asm cFswsp(int rs2, int uimm) {
        need32("c.fswsp");
        return cStoreSp4("c.fswsp", 0xE002, rs2, true, uimm);
    }

    /** {@code c.sdsp} (RV64 only). */
    public Asm cSdsp(int rs2, int uimm) {
        need64("c.sdsp");
        return cStoreSp8("c.sdsp", 0xE002, rs2, false, uimm);
    }

    private Asm cStoreSp8(String mn, int base, int rs2, boolean fpReg, int uimm) {
        scaledUimm(uimm, 8, 504, mn + " offset");
        int h = base | ((uimm >> 3) & 7) << 10 | ((uimm >> 6) & 7) << 7 | reg(rs2) << 2;
        emit16(h, mn + " " + (fpReg ? f(rs2) : x(rs2)) + "," + uimm + "(x2)");
        return this;
    }

    private Asm cStoreSp4(String mn, int base, int rs2, boolean fpReg, int uimm) {
        scaledUimm(uimm, 4, 252, mn + " offset");
        int h = base | ((uimm >> 2) & 0xF) << 9 | ((uimm >> 6) & 3) << 7 | reg(rs2) << 2;
        emit16(h, mn + " " + (fpReg ? f(rs2) : x(rs2)) + "," + uimm + "(x2)");
        return this;
    }

    /** {@code c.jr rs1} (rs1 != 0). */
    public Asm cJr(int rs1) {
        if (reg(rs1) == 0) {
            throw new IllegalArgumentException("c.jr rs1 must not be x0");
        }
        emit16(0x8002 | rs1 << 7, "c.jr " + x(rs1));
        return this;
    }

    /** {@code c.mv rd, rs2} (rs2 != 0; rd == 0 is a hint). */
    public Asm cMv(int rd, int rs2) {
        if (reg(rs2) == 0) {
            throw new IllegalArgumentException("c.mv rs2 must not be x0");
        }
        emit16(0x8002 | reg(rd) << 7 | rs2 << 2, "c.mv " + x(rd) + "," + x(rs2));
        return this;
    }

    public Asm cEbreak() {
        emit16(0x9002, "c.ebreak");
        return this;
    }

    /** {@code c.jalr rs1} (rs1 != 0). */
    public Asm cJalr(int rs1) {
        if (reg(rs1) == 0) {
            throw new IllegalArgumentException("c.jalr rs1 must not be x0");
        }
        emit16(0x9002 | rs1 << 7, "c.jalr " + x(rs1));
        return this;
    }

    /** {@code c.add rd, rs2} (rs2 != 0; rd == 0 is a hint). */
    public Asm cAdd(int rd, int rs2) {
        if (reg(rs2) == 0) {
            throw new IllegalArgumentException("c.add rs2 must not be x0");
        }
        emit16(0x9002 | reg(rd) << 7 | rs2 << 2, "c.add " + x(rd) + "," + x(rs2));
        return this;
    }

    // =====================================================================================================
    // pseudo-instructions
    // =====================================================================================================

    public Asm nop() {
        return addi(ZERO, ZERO, 0);
    }

    public Asm mv(int rd, int rs) {
        return addi(rd, rs, 0);
    }

    public Asm not(int rd, int rs) {
        return xori(rd, rs, -1);
    }

    public Asm neg(int rd, int rs) {
        return sub(rd, ZERO, rs);
    }

    public Asm negw(int rd, int rs) {
        return subw(rd, ZERO, rs);
    }

    public Asm sextW(int rd, int rs) {
        return addiw(rd, rs, 0);
    }

    public Asm zextB(int rd, int rs) {
        return andi(rd, rs, 255);
    }

    public Asm zextW(int rd, int rs) {
        return addUw(rd, rs, ZERO);
    }

    public Asm seqz(int rd, int rs) {
        return sltiu(rd, rs, 1);
    }

    public Asm snez(int rd, int rs) {
        return sltu(rd, ZERO, rs);
    }

    public Asm sltz(int rd, int rs) {
        return slt(rd, rs, ZERO);
    }

    public Asm sgtz(int rd, int rs) {
        return slt(rd, ZERO, rs);
    }

    /** {@code fmv.s rd, rs} = {@code fsgnj.s rd, rs, rs}. */
    public Asm fmvS(int rd, int rs) {
        return fsgnjS(rd, rs, rs);
    }

    /** {@code fmv.d rd, rs} = {@code fsgnj.d rd, rs, rs}. */
    public Asm fmvD(int rd, int rs) {
        return fsgnjD(rd, rs, rs);
    }

    public Asm fnegS(int rd, int rs) {
        return fsgnjnS(rd, rs, rs);
    }

    public Asm fnegD(int rd, int rs) {
        return fsgnjnD(rd, rs, rs);
    }

    public Asm fabsS(int rd, int rs) {
        return fsgnjxS(rd, rs, rs);
    }

    public Asm fabsD(int rd, int rs) {
        return fsgnjxD(rd, rs, rs);
    }

    /** {@code frcsr rd} = {@code csrrs rd, fcsr, x0}. */
    public Asm frcsr(int rd) {
        return csrr(rd, CSR_FCSR);
    }

    /** {@code fscsr rs} = {@code csrrw x0, fcsr, rs}. */
    public Asm fscsr(int rs) {
        return csrw(CSR_FCSR, rs);
    }

    /** {@code frrm rd} = {@code csrrs rd, frm, x0}. */
    public Asm frrm(int rd) {
        return csrr(rd, CSR_FRM);
    }

    /** {@code fsrm rs} = {@code csrrw x0, frm, rs}. */
    public Asm fsrm(int rs) {
        return csrw(CSR_FRM, rs);
    }

    /** {@code frflags rd} = {@code csrrs rd, fflags, x0}. */
    public Asm frflags(int rd) {
        return csrr(rd, CSR_FFLAGS);
    }

    /** {@code fsflags rs} = {@code csrrw x0, fflags, rs}. */
    public Asm fsflags(int rs) {
        return csrw(CSR_FFLAGS, rs);
    }

    public Asm beqz(int rs, String label) {
        return beq(rs, ZERO, label);
    }

    public Asm bnez(int rs, String label) {
        return bne(rs, ZERO, label);
    }

    public Asm bltz(int rs, String label) {
        return blt(rs, ZERO, label);
    }

    public Asm bgez(int rs, String label) {
        return bge(rs, ZERO, label);
    }

    public Asm blez(int rs, String label) {
        return bge(ZERO, rs, label);
    }

    public Asm bgtz(int rs, String label) {
        return blt(ZERO, rs, label);
    }

    public Asm bgt(int rs1, int rs2, String label) {
        return blt(rs2, rs1, label);
    }

    public Asm ble(int rs1, int rs2, String label) {
        return bge(rs2, rs1, label);
    }

    public Asm bgtu(int rs1, int rs2, String label) {
        return bltu(rs2, rs1, label);
    }

    public Asm bleu(int rs1, int rs2, String label) {
        return bgeu(rs2, rs1, label);
    }

    /** {@code j label} = {@code jal x0, label}. */
    public Asm j(String label) {
        return jal(ZERO, label);
    }

    public Asm j(int offset) {
        return jal(ZERO, offset);
    }

    /** {@code jal label} = {@code jal ra, label}. */
    public Asm jal(String label) {
        return jal(RA, label);
    }

    public Asm jr(int rs) {
        return jalr(ZERO, 0, rs);
    }

    public Asm ret() {
        return jalr(ZERO, 0, RA);
    }

    /** {@code call label} = {@code auipc ra, %pcrel_hi(label); jalr ra, %pcrel_lo(label)(ra)}. */
    public Asm call(String label) {
        return pcrelPair(RA, label, "jalr " + x(RA) + ",", "(" + x(RA) + ")",
                iType(0, RA, 0, RA, OP_JALR), FixKind.PCREL_I);
    }

    /** {@code tail label} = {@code auipc t1, %pcrel_hi(label); jalr x0, %pcrel_lo(label)(t1)}. */
    public Asm tail(String label) {
        return pcrelPair(T1, label, "jalr x0,", "(" + x(T1) + ")", iType(0, T1, 0, ZERO, OP_JALR),
                FixKind.PCREL_I);
    }

    /** {@code la rd, label} = {@code auipc rd, %pcrel_hi(label); addi rd, rd, %pcrel_lo(label)}. */
    public Asm la(int rd, String label) {
        return pcrelPair(rd, label, "addi " + x(rd) + "," + x(rd) + ",", "", iType(0, rd, 0, rd, OP_IMM),
                FixKind.PCREL_I);
    }

    /** Loads the word at {@code label}: {@code auipc rd, hi; lw rd, lo(rd)}. */
    public Asm lwLabel(int rd, String label) {
        return pcrelPair(rd, label, "lw " + x(rd) + ",", "(" + x(rd) + ")", iType(0, rd, 2, rd, OP_LOAD),
                FixKind.PCREL_I);
    }

    /** Loads the doubleword at {@code label} (RV64): {@code auipc rd, hi; ld rd, lo(rd)}. */
    public Asm ldLabel(int rd, String label) {
        need64("ld");
        return pcrelPair(rd, label, "ld " + x(rd) + ",", "(" + x(rd) + ")", iType(0, rd, 3, rd, OP_LOAD),
                FixKind.PCREL_I);
    }

    /** Stores {@code rs2} at {@code label} using {@code tmp} for the address: {@code auipc tmp, hi; sw rs2, lo(tmp)}. */
    public Asm swLabel(int rs2, String label, int tmp) {
        return pcrelPair(tmp, label, "sw " + x(rs2) + ",", "(" + x(tmp) + ")", sType(0, reg(rs2), tmp, 2, OP_STORE),
                FixKind.PCREL_S);
    }

    private Asm pcrelPair(int auipcRd, String label, String prefix2, String suffix2, int second, FixKind kind) {
        reg(auipcRd);
        int off = size;
        String prefix = "auipc " + x(auipcRd) + ",";
        Line l1 = emit32(auipcRd << 7 | OP_AUIPC, prefix + "?");
        Line l2 = emit32(second, prefix2 + "?" + suffix2);
        fixups.add(new Fixup(kind, off, label, l1, l2, prefix, prefix2, suffix2));
        return this;
    }

    /**
     * {@code li rd, value}: loads any constant (any 64-bit value on RV64; on RV32 the value must fit in 32 bits,
     * signed or unsigned) with the shortest lui/addi(w)/slli sequence this simple algorithm finds.
     */
    public Asm li(int rd, long value) {
        reg(rd);
        if (xlen == 32) {
            if (value < Integer.MIN_VALUE || value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("li value does not fit in 32 bits: " + value);
            }
            value = (int) value;
        }
        liRec(rd, value);
        return this;
    }

    private void liRec(int rd, long v) {
        if (v == (int) v) {
            int lo = (int) (v << 52 >> 52);
            int hi = (int) ((v - lo) >> 12) & 0xFFFFF;
            if (hi != 0) {
                lui(rd, hi);
                if (lo != 0) {
                    if (xlen == 64) {
                        addiw(rd, rd, lo);
                    } else {
                        addi(rd, rd, lo);
                    }
                }
            } else {
                addi(rd, ZERO, lo);
            }
            return;
        }
        int lo = (int) (v << 52 >> 52);
        long hi = (v - lo) >> 12;
        int shift = 12 + Long.numberOfTrailingZeros(hi);
        hi = (v - lo) >> shift;
        liRec(rd, hi);
        slli(rd, rd, shift);
        if (lo != 0) {
            addi(rd, rd, lo);
        }
    }
}
