package dev.riscvsandbox.cpu;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.Decoder;
import dev.riscvsandbox.isa.Op;
import dev.riscvsandbox.memory.Memory;

/**
 * Integer operations outside the interpreter's hot set: M high halves and divisions, Zba/Zbb/Zbc/Zbs, atomics, CSRs,
 * illegal instructions and breakpoints, and control transfers that leave a segment.
 */
final class ColdOps {
    private ColdOps() {
    }

    static final int CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
    static final int CSR_CYCLE = 0xC00, CSR_TIME = 0xC01, CSR_INSTRET = 0xC02;
    static final int CSR_CYCLEH = 0xC80, CSR_TIMEH = 0xC81, CSR_INSTRETH = 0xC82;

    static void execute(Cpu cpu, Memory mem, long w, long instret) {
        final long[] x = cpu.x;
        final int rd = Op.rd(w);
        final long a = x[Op.rs1(w)];
        final long b = x[Op.rs2(w)];
        final int imm = Op.imm(w);
        final boolean rv32 = cpu.xlen == 32;
        switch (Op.op(w)) {
            case Op.ILLEGAL:
                throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, imm, null);
            case Op.EBREAK:
                throw new GuestFault(GuestFault.Kind.BREAKPOINT, 0);
            // ---- less frequent base operations, kept out of the interpreter's dispatch method
            case Op.SLTI: x[rd] = a < imm ? 1 : 0; break;
            case Op.SLTIU: x[rd] = Long.compareUnsigned(a, imm) < 0 ? 1 : 0; break;
            case Op.SLLW: x[rd] = (int) a << (b & 31); break;
            case Op.SLL: x[rd] = a << b; break;
            case Op.SRL: x[rd] = a >>> b; break;
            case Op.SRA: x[rd] = a >> b; break;
            case Op.SRAIW: x[rd] = (int) a >> imm; break;
            case Op.MUL: x[rd] = a * b; break;
            case Op.MULW: x[rd] = (int) a * (int) b; break;

            case Op.SRLW: x[rd] = (int) a >>> (b & 31); break;
            case Op.SRAW: x[rd] = (int) a >> (b & 31); break;
            case Op.LH: x[rd] = (short) mem.load16(a + imm); break;
            case Op.LHU: x[rd] = mem.load16(a + imm) & 0xFFFF; break;
            case Op.LWU: x[rd] = mem.load32(a + imm) & 0xFFFF_FFFFL; break;
            case Op.SH: mem.store16(a + imm, (int) b); break;
            case Op.FLW:
                cpu.fpWritten();
                cpu.f[rd & 31] = 0xFFFF_FFFF_0000_0000L | (mem.load32(a + imm) & 0xFFFF_FFFFL);
                break;
            case Op.FLD:
                cpu.fpWritten();
                cpu.f[rd & 31] = mem.load64(a + imm);
                break;
            case Op.FSW: mem.store32(a + imm, (int) cpu.f[Op.rs2(w)]); break;
            case Op.FSD: mem.store64(a + imm, cpu.f[Op.rs2(w)]); break;
            // ---- M
            case Op.MULH: x[rd] = Math.multiplyHigh(a, b); break;
            case Op.MULHU: x[rd] = mulhu(a, b); break;
            case Op.MULHSU: x[rd] = Math.multiplyHigh(a, b) + ((b >> 63) & a); break;
            case Op.MULH32: x[rd] = (int) ((a * b) >> 32); break;
            case Op.MULHU32: x[rd] = (int) (((a & 0xFFFF_FFFFL) * (b & 0xFFFF_FFFFL)) >>> 32); break;
            case Op.MULHSU32: x[rd] = (int) (((long) (int) a * (b & 0xFFFF_FFFFL)) >> 32); break;
            case Op.DIV: x[rd] = b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1) ? a : a / b; break;
            case Op.DIVU: x[rd] = b == 0 ? -1 : Long.divideUnsigned(a, b); break;
            case Op.REM: x[rd] = b == 0 ? a : (a == Long.MIN_VALUE && b == -1) ? 0 : a % b; break;
            case Op.REMU: x[rd] = b == 0 ? a : Long.remainderUnsigned(a, b); break;
            case Op.DIVW: {
                int p = (int) a, q = (int) b;
                x[rd] = q == 0 ? -1 : (p == Integer.MIN_VALUE && q == -1) ? p : p / q;
                break;
            }
            case Op.DIVUW: {
                int p = (int) a, q = (int) b;
                x[rd] = q == 0 ? -1 : Integer.divideUnsigned(p, q);
                break;
            }
            case Op.REMW: {
                int p = (int) a, q = (int) b;
                x[rd] = q == 0 ? p : (p == Integer.MIN_VALUE && q == -1) ? 0 : p % q;
                break;
            }
            case Op.REMUW: {
                int p = (int) a, q = (int) b;
                x[rd] = q == 0 ? p : Integer.remainderUnsigned(p, q);
                break;
            }
            // ---- Zba
            case Op.ADD_UW: x[rd] = (a & 0xFFFF_FFFFL) + b; break;
            case Op.SH1ADD: x[rd] = sx(rv32, (a << 1) + b); break;
            case Op.SH2ADD: x[rd] = sx(rv32, (a << 2) + b); break;
            case Op.SH3ADD: x[rd] = sx(rv32, (a << 3) + b); break;
            case Op.SH1ADD_UW: x[rd] = ((a & 0xFFFF_FFFFL) << 1) + b; break;
            case Op.SH2ADD_UW: x[rd] = ((a & 0xFFFF_FFFFL) << 2) + b; break;
            case Op.SH3ADD_UW: x[rd] = ((a & 0xFFFF_FFFFL) << 3) + b; break;
            case Op.SLLI_UW: x[rd] = (a & 0xFFFF_FFFFL) << imm; break;
            // ---- Zbb
            case Op.ANDN: x[rd] = a & ~b; break;
            case Op.ORN: x[rd] = a | ~b; break;
            case Op.XNOR: x[rd] = ~(a ^ b); break;
            case Op.CLZ: x[rd] = Long.numberOfLeadingZeros(a); break;
            case Op.CLZW: x[rd] = Integer.numberOfLeadingZeros((int) a); break;
            case Op.CTZ: x[rd] = Long.numberOfTrailingZeros(a); break;
            case Op.CTZW: x[rd] = Integer.numberOfTrailingZeros((int) a); break;
            case Op.CPOP: x[rd] = Long.bitCount(a); break;
            case Op.CPOPW: x[rd] = Integer.bitCount((int) a); break;
            case Op.MAX: x[rd] = Math.max(a, b); break;
            case Op.MIN: x[rd] = Math.min(a, b); break;
            case Op.MAXU: x[rd] = Long.compareUnsigned(a, b) >= 0 ? a : b; break;
            case Op.MINU: x[rd] = Long.compareUnsigned(a, b) <= 0 ? a : b; break;
            case Op.SEXT_B: x[rd] = (byte) a; break;
            case Op.SEXT_H: x[rd] = (short) a; break;
            case Op.ZEXT_H: x[rd] = a & 0xFFFF; break;
            case Op.ROL: x[rd] = Long.rotateLeft(a, (int) b); break;
            case Op.ROR: x[rd] = Long.rotateRight(a, (int) b); break;
            case Op.RORI: x[rd] = Long.rotateRight(a, imm); break;
            case Op.ROLW: x[rd] = Integer.rotateLeft((int) a, (int) b); break;
            case Op.RORW: x[rd] = Integer.rotateRight((int) a, (int) b); break;
            case Op.RORIW: x[rd] = Integer.rotateRight((int) a, imm); break;
            case Op.ORC_B: x[rd] = sx(rv32, orcb(a)); break;
            case Op.REV8: x[rd] = Long.reverseBytes(a); break;
            case Op.REV8_32: x[rd] = Integer.reverseBytes((int) a); break;
            // ---- Zbc
            case Op.CLMUL: x[rd] = sx(rv32, clmul(a, b)); break;
            case Op.CLMULH: x[rd] = clmulh(a, b); break;
            case Op.CLMULR: x[rd] = (clmulh(a, b) << 1) | (clmul(a, b) >>> 63); break;
            case Op.CLMULH32: x[rd] = (int) (clmul(a & 0xFFFF_FFFFL, b & 0xFFFF_FFFFL) >>> 32); break;
            case Op.CLMULR32: x[rd] = (int) (clmul(a & 0xFFFF_FFFFL, b & 0xFFFF_FFFFL) >>> 31); break;
            // ---- Zbs
            case Op.BCLR: x[rd] = sx(rv32, a & ~(1L << index(rv32, b))); break;
            case Op.BCLRI: x[rd] = sx(rv32, a & ~(1L << imm)); break;
            case Op.BEXT: x[rd] = (a >>> index(rv32, b)) & 1; break;
            case Op.BEXTI: x[rd] = (a >>> imm) & 1; break;
            case Op.BINV: x[rd] = sx(rv32, a ^ (1L << index(rv32, b))); break;
            case Op.BINVI: x[rd] = sx(rv32, a ^ (1L << imm)); break;
            case Op.BSET: x[rd] = sx(rv32, a | (1L << index(rv32, b))); break;
            case Op.BSETI: x[rd] = sx(rv32, a | (1L << imm)); break;
            // ---- A
            case Op.LR: case Op.SC: case Op.AMOSWAP: case Op.AMOADD: case Op.AMOXOR: case Op.AMOAND: case Op.AMOOR:
            case Op.AMOMIN: case Op.AMOMAX: case Op.AMOMINU: case Op.AMOMAXU:
                atomic(cpu, mem, w, a, b);
                break;
            // ---- Zicsr
            case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
                csr(cpu, w, instret);
                break;
            default:
                throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, 0, "unhandled operation " + Op.op(w));
        }
    }

    /** RV32 results are kept sign-extended from bit 31. */
    private static long sx(boolean rv32, long v) {
        return rv32 ? (int) v : v;
    }

    private static int index(boolean rv32, long b) {
        return (int) b & (rv32 ? 31 : 63);
    }

    static long mulhu(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static long orcb(long a) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            if (((a >>> (8 * i)) & 0xFF) != 0) {
                r |= 0xFFL << (8 * i);
            }
        }
        return r;
    }

    private static long clmul(long a, long b) {
        long r = 0;
        for (int i = 0; i < 64; i++) {
            if (((b >>> i) & 1) != 0) {
                r ^= a << i;
            }
        }
        return r;
    }

    private static long clmulh(long a, long b) {
        long r = 0;
        for (int i = 1; i < 64; i++) {
            if (((b >>> i) & 1) != 0) {
                r ^= a >>> (64 - i);
            }
        }
        return r;
    }

    private static void atomic(Cpu cpu, Memory mem, long w, long addr, long src) {
        final boolean dw = (Op.imm(w) & 1) != 0;
        if ((addr & (dw ? 7 : 3)) != 0) {
            throw new GuestFault(GuestFault.Kind.MISALIGNED_ATOMIC, addr);
        }
        final int rd = Op.rd(w);
        final int op = Op.op(w);
        if (op == Op.LR) {
            long v = dw ? mem.load64(addr) : mem.load32(addr);
            cpu.reservation = addr;
            cpu.x[rd] = v;
            return;
        }
        if (op == Op.SC) {
            boolean ok = cpu.reservation == addr;
            cpu.reservation = -1;
            if (ok) {
                if (dw) {
                    mem.store64(addr, src);
                } else {
                    mem.store32(addr, (int) src);
                }
            }
            cpu.x[rd] = ok ? 0 : 1;
            return;
        }
        long old;
        try {
            old = dw ? mem.load64(addr) : mem.load32(addr);
        } catch (GuestFault f) {
            // An AMO is a store as far as faults go (store/AMO access fault), even though it reads first.
            throw new GuestFault(GuestFault.Kind.STORE_ACCESS, f.address());
        }
        long s = dw ? src : (int) src;
        long v;
        switch (op) {
            case Op.AMOSWAP: v = s; break;
            case Op.AMOADD: v = old + s; break;
            case Op.AMOXOR: v = old ^ s; break;
            case Op.AMOAND: v = old & s; break;
            case Op.AMOOR: v = old | s; break;
            case Op.AMOMIN: v = Math.min(old, s); break;
            case Op.AMOMAX: v = Math.max(old, s); break;
            case Op.AMOMINU: v = unsignedLess(old, s, dw) ? old : s; break;
            default: v = unsignedLess(old, s, dw) ? s : old; break; // AMOMAXU
        }
        if (dw) {
            mem.store64(addr, v);
        } else {
            mem.store32(addr, (int) v);
        }
        cpu.x[rd] = old;
    }

    private static boolean unsignedLess(long p, long q, boolean dw) {
        return dw ? Long.compareUnsigned(p, q) < 0 : Integer.compareUnsigned((int) p, (int) q) < 0;
    }

    private static void csr(Cpu cpu, long w, long instret) {
        final int op = Op.op(w);
        final int csr = Op.imm(w) & 0xFFF;
        final int rs1 = Op.rs1(w);
        final boolean immediate = op >= Op.CSRRWI;
        final long src = immediate ? rs1 : cpu.x[rs1];
        final int kind = immediate ? op - Op.CSRRWI : op - Op.CSRRW; // 0 write, 1 set, 2 clear
        final boolean writes = kind == 0 || rs1 != 0;
        long old = readCsr(cpu, csr, instret);
        if (writes) {
            long v = kind == 0 ? src : kind == 1 ? old | src : old & ~src;
            switch (csr) {
                case CSR_FFLAGS: cpu.fpWritten(); cpu.fflags = (int) v & 0x1F; break;
                case CSR_FRM: cpu.fpWritten(); cpu.frm = (int) v & 7; break;
                case CSR_FCSR: cpu.setFcsr((int) v & 0xFF); break;
                default: throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, 0, "read-only CSR");
            }
        }
        cpu.x[Op.rd(w)] = old;
    }

    private static long readCsr(Cpu cpu, int csr, long instret) {
        boolean rv32 = cpu.xlen == 32;
        switch (csr) {
            case CSR_FFLAGS: return cpu.fflags;
            case CSR_FRM: return cpu.frm;
            case CSR_FCSR: return cpu.fcsr();
            case CSR_CYCLE: case CSR_INSTRET: return rv32 ? (int) instret : instret;
            case CSR_TIME: return rv32 ? (int) time() : time();
            case CSR_CYCLEH: case CSR_INSTRETH:
                if (rv32) return (int) (instret >>> 32);
                break;
            case CSR_TIMEH:
                if (rv32) return (int) (time() >>> 32);
                break;
            default:
                break;
        }
        throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, 0, "unsupported CSR 0x" + Integer.toHexString(csr));
    }

    /** The {@code time} CSR: a 10 MHz monotonic clock, like Linux on the QEMU virt board. */
    private static long time() {
        return System.nanoTime() / 100;
    }

    /**
     * Evaluates a {@link Op#FAR} slot at {@code pc}: a branch or jump whose target lies outside its segment, or a
     * sentinel (raw bits 0) meaning "continue at {@code pc} in another segment". Changes nothing: the caller writes
     * the link register ({@link #farLink}) once the target is known to hold code, so a faulting jump has no effect.
     *
     * @return the next PC
     */
    static long farTarget(Cpu cpu, long w, long pc) {
        int raw = Op.imm(w);
        if (raw == 0) {
            return pc;
        }
        boolean compressed = (raw & 3) != 3;
        int bits = compressed ? new Decoder(cpu.xlen, 0, 0).expandCompressed(raw & 0xFFFF) : raw;
        long next = pc + (compressed ? 2 : 4);
        boolean rv32 = cpu.xlen == 32;
        if ((bits & 0x7F) == 0x6F) {
            int off = ((bits >> 31) << 20) | (((bits >>> 21) & 0x3FF) << 1) | (((bits >>> 20) & 1) << 11)
                    | (((bits >>> 12) & 0xFF) << 12);
            long t = pc + off;
            return rv32 ? (int) t : t;
        }
        int off = ((bits >> 31) << 12) | (((bits >>> 7) & 1) << 11) | (((bits >>> 25) & 0x3F) << 5)
                | (((bits >>> 8) & 0xF) << 1);
        long a = cpu.x[Op.rs1(w)];
        long b = cpu.x[Op.rs2(w)];
        boolean taken;
        switch ((bits >>> 12) & 7) {
            case 0: taken = a == b; break;
            case 1: taken = a != b; break;
            case 4: taken = a < b; break;
            case 5: taken = a >= b; break;
            case 6: taken = Long.compareUnsigned(a, b) < 0; break;
            default: taken = Long.compareUnsigned(a, b) >= 0; break;
        }
        long t = taken ? pc + off : next;
        return rv32 ? (int) t : t;
    }

    /**
     * Writes the link register of a far {@code jal} at {@code pc}. The decoder gives far branches and sentinels rd 0
     * and far jumps their (scratch-redirected) rd, so the slot alone says whether there is a link to write.
     */
    static void farLink(Cpu cpu, long w, long pc) {
        int rd = Op.rd(w);
        if (rd != 0) {
            long next = pc + 2L * Op.length(w);
            cpu.x[rd] = cpu.xlen == 32 ? (int) next : next;
        }
    }
}
