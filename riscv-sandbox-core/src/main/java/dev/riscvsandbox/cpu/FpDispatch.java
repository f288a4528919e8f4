package dev.riscvsandbox.cpu;

import static dev.riscvsandbox.isa.Op.*;

import dev.riscvsandbox.GuestFault;
import dev.riscvsandbox.memory.Memory;

/** Executes F and D operations by delegating to {@link FpOps}, after resolving the rounding mode. */
final class FpDispatch {
    private FpDispatch() {
    }

    static void execute(Cpu cpu, Memory memory, long w) {
        cpu.fpWritten(); // most of these write f or fflags; the few that do not (compares, moves to x) need not care
        final long[] f = cpu.f;
        final long[] x = cpu.x;
        final int rd = rd(w);
        final int rs1 = rs1(w);
        final long a = f[rs1];
        final long b = f[rs2(w)];
        switch (op(w)) {
            // ---- single
            case FADD_S: f[rd] = FpOps.faddS(cpu, a, b, rm(cpu, w)); break;
            case FSUB_S: f[rd] = FpOps.fsubS(cpu, a, b, rm(cpu, w)); break;
            case FMUL_S: f[rd] = FpOps.fmulS(cpu, a, b, rm(cpu, w)); break;
            case FDIV_S: f[rd] = FpOps.fdivS(cpu, a, b, rm(cpu, w)); break;
            case FSQRT_S: f[rd] = FpOps.fsqrtS(cpu, a, rm(cpu, w)); break;
            case FSGNJ_S: f[rd] = FpOps.fsgnjS(a, b); break;
            case FSGNJN_S: f[rd] = FpOps.fsgnjnS(a, b); break;
            case FSGNJX_S: f[rd] = FpOps.fsgnjxS(a, b); break;
            case FMIN_S: f[rd] = FpOps.fminS(cpu, a, b); break;
            case FMAX_S: f[rd] = FpOps.fmaxS(cpu, a, b); break;
            case FCVT_W_S: x[rd] = FpOps.fcvtWS(cpu, a, rm(cpu, w)); break;
            case FCVT_WU_S: x[rd] = FpOps.fcvtWUS(cpu, a, rm(cpu, w)); break;
            case FCVT_L_S: x[rd] = FpOps.fcvtLS(cpu, a, rm(cpu, w)); break;
            case FCVT_LU_S: x[rd] = FpOps.fcvtLUS(cpu, a, rm(cpu, w)); break;
            case FMV_X_W: x[rd] = FpOps.fmvXW(a); break;
            case FEQ_S: x[rd] = FpOps.feqS(cpu, a, b); break;
            case FLT_S: x[rd] = FpOps.fltS(cpu, a, b); break;
            case FLE_S: x[rd] = FpOps.fleS(cpu, a, b); break;
            case FCLASS_S: x[rd] = FpOps.fclassS(a); break;
            case FCVT_S_W: f[rd] = FpOps.fcvtSW(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_S_WU: f[rd] = FpOps.fcvtSWU(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_S_L: f[rd] = FpOps.fcvtSL(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_S_LU: f[rd] = FpOps.fcvtSLU(cpu, x[rs1], rm(cpu, w)); break;
            case FMV_W_X: f[rd] = FpOps.fmvWX(x[rs1]); break;
            case FMADD_S: f[rd] = FpOps.fmaddS(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FMSUB_S: f[rd] = FpOps.fmsubS(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FNMSUB_S: f[rd] = FpOps.fnmsubS(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FNMADD_S: f[rd] = FpOps.fnmaddS(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            // ---- double
            case FADD_D: f[rd] = FpOps.faddD(cpu, a, b, rm(cpu, w)); break;
            case FSUB_D: f[rd] = FpOps.fsubD(cpu, a, b, rm(cpu, w)); break;
            case FMUL_D: f[rd] = FpOps.fmulD(cpu, a, b, rm(cpu, w)); break;
            case FDIV_D: f[rd] = FpOps.fdivD(cpu, a, b, rm(cpu, w)); break;
            case FSQRT_D: f[rd] = FpOps.fsqrtD(cpu, a, rm(cpu, w)); break;
            case FSGNJ_D: f[rd] = FpOps.fsgnjD(a, b); break;
            case FSGNJN_D: f[rd] = FpOps.fsgnjnD(a, b); break;
            case FSGNJX_D: f[rd] = FpOps.fsgnjxD(a, b); break;
            case FMIN_D: f[rd] = FpOps.fminD(cpu, a, b); break;
            case FMAX_D: f[rd] = FpOps.fmaxD(cpu, a, b); break;
            case FCVT_W_D: x[rd] = FpOps.fcvtWD(cpu, a, rm(cpu, w)); break;
            case FCVT_WU_D: x[rd] = FpOps.fcvtWUD(cpu, a, rm(cpu, w)); break;
            case FCVT_L_D: x[rd] = FpOps.fcvtLD(cpu, a, rm(cpu, w)); break;
            case FCVT_LU_D: x[rd] = FpOps.fcvtLUD(cpu, a, rm(cpu, w)); break;
            case FMV_X_D: x[rd] = a; break;
            case FEQ_D: x[rd] = FpOps.feqD(cpu, a, b); break;
            case FLT_D: x[rd] = FpOps.fltD(cpu, a, b); break;
            case FLE_D: x[rd] = FpOps.fleD(cpu, a, b); break;
            case FCLASS_D: x[rd] = FpOps.fclassD(a); break;
            case FCVT_D_W: f[rd] = FpOps.fcvtDW(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_D_WU: f[rd] = FpOps.fcvtDWU(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_D_L: f[rd] = FpOps.fcvtDL(cpu, x[rs1], rm(cpu, w)); break;
            case FCVT_D_LU: f[rd] = FpOps.fcvtDLU(cpu, x[rs1], rm(cpu, w)); break;
            case FMV_D_X: f[rd] = x[rs1]; break;
            case FMADD_D: f[rd] = FpOps.fmaddD(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FMSUB_D: f[rd] = FpOps.fmsubD(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FNMSUB_D: f[rd] = FpOps.fnmsubD(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FNMADD_D: f[rd] = FpOps.fnmaddD(cpu, a, b, f[rs3(w)], rm(cpu, w)); break;
            case FCVT_S_D: f[rd] = FpOps.fcvtSD(cpu, a, rm(cpu, w)); break;
            case FCVT_D_S: rm(cpu, w); f[rd] = FpOps.fcvtDS(cpu, a); break;
            default:
                throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, 0, "unhandled FP operation " + op(w));
        }
    }

    /** The effective rounding mode: the static one, or frm for DYN; reserved values are illegal instructions. */
    private static int rm(Cpu cpu, long w) {
        int rm = imm(w) & 7;
        if (rm == 7) {
            rm = cpu.frm;
        }
        if (rm > 4) {
            throw new GuestFault(GuestFault.Kind.ILLEGAL_INSTRUCTION, 0, 0, "invalid rounding mode " + rm);
        }
        return rm;
    }
}
