package dev.riscvsandbox.cpu;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.isa.DecodedSegment;
import dev.riscvsandbox.isa.Op;
import dev.riscvsandbox.memory.Memory;

/**
 * The interpreter: a {@code switch} over pre-decoded slots.
 *
 * <p>Hot state lives in locals (register file, slot index, instruction count); the hot operations are handled inline
 * and everything else goes through {@link ColdOps} and {@link FpDispatch}, which keeps {@link #run} well below
 * HotSpot's 8000-byte limit for compiled methods (a test checks this). The budget is checked only when a basic block
 * is entered.
 */
public final class Interpreter implements ExecutionEngine {
    private final Cpu cpu;
    private final Memory memory;
    private final CodeMap code;
    private final EnvironmentCall environment;
    private GuestFault fault;

    public Interpreter(Cpu cpu, Memory memory, CodeMap code, EnvironmentCall environment) {
        this.cpu = cpu;
        this.memory = memory;
        this.code = code;
        this.environment = environment;
    }

    @Override
    public GuestFault fault() {
        return fault;
    }

    @Override
    public int run(long limit) {
        fault = null;
        DecodedSegment seg = code.find(cpu.pc);
        if (seg == null) {
            return fail(new GuestFault(GuestFault.Kind.EXECUTE_ACCESS, cpu.pc));
        }
        final Cpu cpu = this.cpu;
        final long[] x = cpu.x;
        final Memory mem = this.memory;
        long[] c = seg.code;
        int[] rem = seg.remaining;
        long base = seg.base;
        int idx = (int) ((cpu.pc - base) >>> 1);
        long count = cpu.instret + rem[idx];
        if (count > limit) {
            return EXIT_LIMIT;
        }
        try {
            for (;;) {
                enter:
                {
                final long w = c[idx];
                switch ((int) w & 0xFF) {
                    case Op.NOP:
                        break;
                    case Op.LI:
                        x[(int) (w >>> 8) & 63] = w >> 32;
                        break;
                    case Op.MV:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31];
                        break;
                    case Op.AUIPC:
                        x[(int) (w >>> 8) & 63] = base + ((long) idx << 1) + (w >> 32);
                        break;
                    case Op.AUIPC32:
                        x[(int) (w >>> 8) & 63] = (int) (base + ((long) idx << 1) + (w >> 32));
                        break;
                    case Op.ADDI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] + (w >> 32);
                        break;
                    case Op.XORI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] ^ (w >> 32);
                        break;
                    case Op.ORI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] | (w >> 32);
                        break;
                    case Op.ANDI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] & (w >> 32);
                        break;
                    case Op.SLLI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] << (w >> 32);
                        break;
                    case Op.SRLI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] >>> (w >> 32);
                        break;
                    case Op.SRAI:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] >> (w >> 32);
                        break;
                    case Op.ADDIW:
                        x[(int) (w >>> 8) & 63] = (int) (x[(int) (w >>> 14) & 31] + (w >> 32));
                        break;
                    case Op.SLLIW:
                        x[(int) (w >>> 8) & 63] = (int) x[(int) (w >>> 14) & 31] << (w >> 32);
                        break;
                    case Op.SRLIW:
                        x[(int) (w >>> 8) & 63] = (int) x[(int) (w >>> 14) & 31] >>> (w >> 32);
                        break;
                    case Op.ADD:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] + x[(int) (w >>> 19) & 31];
                        break;
                    case Op.SUB:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] - x[(int) (w >>> 19) & 31];
                        break;
                    case Op.SLT:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] < x[(int) (w >>> 19) & 31] ? 1 : 0;
                        break;
                    case Op.SLTU:
                        x[(int) (w >>> 8) & 63] =
                                Long.compareUnsigned(x[(int) (w >>> 14) & 31], x[(int) (w >>> 19) & 31]) < 0 ? 1 : 0;
                        break;
                    case Op.XOR:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] ^ x[(int) (w >>> 19) & 31];
                        break;
                    case Op.OR:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] | x[(int) (w >>> 19) & 31];
                        break;
                    case Op.AND:
                        x[(int) (w >>> 8) & 63] = x[(int) (w >>> 14) & 31] & x[(int) (w >>> 19) & 31];
                        break;
                    case Op.ADDW:
                        x[(int) (w >>> 8) & 63] = (int) (x[(int) (w >>> 14) & 31] + x[(int) (w >>> 19) & 31]);
                        break;
                    case Op.SUBW:
                        x[(int) (w >>> 8) & 63] = (int) (x[(int) (w >>> 14) & 31] - x[(int) (w >>> 19) & 31]);
                        break;
                    case Op.LB:
                        x[(int) (w >>> 8) & 63] = (byte) mem.load8(x[(int) (w >>> 14) & 31] + (w >> 32));
                        break;
                    case Op.LBU:
                        x[(int) (w >>> 8) & 63] = mem.load8(x[(int) (w >>> 14) & 31] + (w >> 32)) & 0xFF;
                        break;
                    case Op.LW:
                        x[(int) (w >>> 8) & 63] = mem.load32(x[(int) (w >>> 14) & 31] + (w >> 32));
                        break;
                    case Op.LD:
                        x[(int) (w >>> 8) & 63] = mem.load64(x[(int) (w >>> 14) & 31] + (w >> 32));
                        break;
                    case Op.SB:
                        mem.store8(x[(int) (w >>> 14) & 31] + (w >> 32), (int) x[(int) (w >>> 19) & 31]);
                        break;
                    case Op.SW:
                        mem.store32(x[(int) (w >>> 14) & 31] + (w >> 32), (int) x[(int) (w >>> 19) & 31]);
                        break;
                    case Op.SD:
                        mem.store64(x[(int) (w >>> 14) & 31] + (w >> 32), x[(int) (w >>> 19) & 31]);
                        break;
                    case Op.BEQ:
                        idx = x[(int) (w >>> 14) & 31] == x[(int) (w >>> 19) & 31] ? (int) (w >> 32)
                                : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.BNE:
                        idx = x[(int) (w >>> 14) & 31] != x[(int) (w >>> 19) & 31] ? (int) (w >> 32)
                                : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.BLT:
                        idx = x[(int) (w >>> 14) & 31] < x[(int) (w >>> 19) & 31] ? (int) (w >> 32)
                                : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.BGE:
                        idx = x[(int) (w >>> 14) & 31] >= x[(int) (w >>> 19) & 31] ? (int) (w >> 32)
                                : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.BLTU:
                        idx = x[(int) (w >>> 14) & 31] + Long.MIN_VALUE < x[(int) (w >>> 19) & 31] + Long.MIN_VALUE
                                ? (int) (w >> 32) : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.BGEU:
                        idx = x[(int) (w >>> 14) & 31] + Long.MIN_VALUE >= x[(int) (w >>> 19) & 31] + Long.MIN_VALUE
                                ? (int) (w >> 32) : idx + 1 + ((int) (w >>> 24) & 1);
                        break enter; // enters a new block: count it and check the budget
                    case Op.JAL:
                        x[(int) (w >>> 8) & 63] = base + ((long) (idx + 1 + ((int) (w >>> 24) & 1)) << 1);
                        idx = (int) (w >> 32);
                        break enter; // enters a new block: count it and check the budget
                    case Op.JALR:
                    case Op.JALR32: {
                        long target = (x[(int) (w >>> 14) & 31] + (w >> 32)) & ~1L;
                        if (((int) w & 0xFF) == Op.JALR32) {
                            target = (int) target;
                        }
                        long link = base + ((long) (idx + 1 + ((int) (w >>> 24) & 1)) << 1);
                        long off = target - base;
                        if (off >= 0 && off < seg.length) {
                            idx = (int) (off >>> 1);
                        } else {
                            seg = enter(target); // faults before the link is written: the jump has no effect
                            c = seg.code;
                            rem = seg.remaining;
                            base = seg.base;
                            idx = (int) ((target - base) >>> 1);
                        }
                        x[(int) (w >>> 8) & 63] = link;
                        break enter; // enters a new block: count it and check the budget
                    }
                    case Op.ECALL: {
                        long next = base + ((long) (idx + 1 + ((int) (w >>> 24) & 1)) << 1);
                        cpu.pc = next;
                        cpu.instret = count;
                        int action = environment.ecall((int) (w >> 32));
                        count = cpu.instret;
                        if (action != EXIT_NONE) {
                            return action;
                        }
                        if (cpu.pc == next) {
                            idx += 1 + ((int) (w >>> 24) & 1);
                        } else {
                            seg = enter(cpu.pc);
                            c = seg.code;
                            rem = seg.remaining;
                            base = seg.base;
                            idx = (int) ((cpu.pc - base) >>> 1);
                        }
                        break enter; // enters a new block: count it and check the budget
                    }
                    case Op.FAR: {
                        long pc = base + ((long) idx << 1);
                        long target = ColdOps.farTarget(cpu, w, pc);
                        seg = enter(target); // ran off the segment's end, or a jump out of it; faults if no code there
                        ColdOps.farLink(cpu, w, pc);
                        c = seg.code;
                        rem = seg.remaining;
                        base = seg.base;
                        idx = (int) ((target - base) >>> 1);
                        break enter; // enters a new block: count it and check the budget
                    }
                    case Op.HALT:
                        cpu.pc = base + ((long) idx << 1);
                        cpu.instret = count;
                        return EXIT_HALT;
                    default:
                        cold(w, count - rem[idx]);
                        break;
                }
                idx += 1 + ((int) (w >>> 24) & 1);
                continue;
                }
                // Control transfers end up here: one shared block entry keeps the dispatch method small.
                count += rem[idx];
                if (count > limit) {
                    return stopAt(seg, idx, count - rem[idx]);
                }
            }
        } catch (GuestFault f) {
            cpu.pc = base + ((long) idx << 1);
            // a host call that faults keeps what it charged (cpu.instret is otherwise stale, hence lower)
            cpu.instret = Math.max(cpu.instret, count - rem[idx]);
            return fail(f);
        }
    }

    /** The multiplications, divisions and everything outside the hot set. */
    private void cold(long w, long instret) {
        int op = (int) w & 0xFF;
        if (op >= Op.FADD_S) {
            FpDispatch.execute(cpu, memory, w);
        } else {
            ColdOps.execute(cpu, memory, w, instret);
        }
    }

    /** Leaves at a block boundary because the budget is exhausted. */
    private int stopAt(DecodedSegment seg, int idx, long count) {
        cpu.pc = seg.base + ((long) idx << 1);
        cpu.instret = count;
        return EXIT_LIMIT;
    }

    /** Finds the segment for a jump target outside the current one, or faults. */
    private DecodedSegment enter(long target) {
        DecodedSegment s = code.find(target);
        if (s == null || s.code[(int) ((target - s.base) >>> 1)] == FAR_SENTINEL) {
            throw new GuestFault(GuestFault.Kind.EXECUTE_ACCESS, target);
        }
        return s;
    }

    private static final long FAR_SENTINEL = Op.slot(Op.FAR, 0, 0, 0, 0, false, 0);

    private int fail(GuestFault f) {
        fault = f;
        return EXIT_FAULT;
    }
}
