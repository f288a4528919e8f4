package dev.riscvsandbox.cpu;

/**
 * The architectural state of one RISC-V hart: integer and floating-point registers, the program counter and the
 * floating-point control and status register. Plain mutable state; the interpreter keeps hot values in locals and
 * writes them back here whenever it leaves its loop.
 *
 * <p>Integer registers always hold sign-extended values, also on RV32, so that 32-bit results need no separate
 * representation. Index {@link #SCRATCH} is a write-only sink: the decoder redirects writes to {@code x0} there,
 * which keeps {@code x0} hard-wired to zero without a check per instruction.
 */
public final class Cpu {
    /** Register index that absorbs writes to {@code x0}. */
    public static final int SCRATCH = 32;

    /** fflags bits. */
    public static final int FLAG_NX = 1, FLAG_UF = 2, FLAG_OF = 4, FLAG_DZ = 8, FLAG_NV = 16;

    /** Rounding modes as encoded in the {@code rm} field and {@code frm}. */
    public static final int RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4, RM_DYN = 7;

    /** Integer registers x0..x31 plus the scratch sink. */
    public final long[] x = new long[33];
    /** Floating-point registers as raw 64-bit patterns; single-precision values are NaN-boxed. */
    public final long[] f = new long[32];
    /** Accrued exception flags (low 5 bits of fcsr). */
    public int fflags;
    /** Dynamic rounding mode (bits 7:5 of fcsr). */
    public int frm;
    /** Program counter of the next instruction to execute. */
    public long pc;
    /** 32 or 64. */
    public final int xlen;
    /** Instructions retired so far (exact whenever the interpreter is not running). */
    public long instret;
    /** LR/SC reservation address, or -1 when no reservation is held. */
    public long reservation = -1;
    /**
     * Identifies the floating-point state ({@link #f}, {@link #fflags}, {@link #frm}): two CPUs with the same version
     * and neither {@linkplain #fpWritten() written since} hold the same state, so {@link #copyFrom} can leave it alone.
     * Guests that never touch floating point then never copy those registers (a request's save, restore and reset
     * would otherwise write five cache lines each, which cost most when the next request runs on another core).
     */
    private Object fpVersion = new Object();
    private boolean fpDirty;

    public Cpu(int xlen) {
        if (xlen != 32 && xlen != 64) {
            throw new IllegalArgumentException("xlen must be 32 or 64: " + xlen);
        }
        this.xlen = xlen;
    }

    /**
     * Marks the floating-point state as written. Everything that writes {@link #f}, {@link #fflags} or {@link #frm}
     * must call this (the FP instructions, FP loads, the FP CSRs, {@link #setFcsr}, the host's register access).
     */
    public void fpWritten() {
        fpDirty = true;
    }

    /**
     * Copies all architectural state from {@code other} (same xlen). If {@code other}'s floating-point state was
     * written since it got its version, it gets a new one, so {@code other} must belong to the calling thread then
     * (a frozen snapshot's never is: {@link #sealFpState} runs before it is shared).
     */
    public void copyFrom(Cpu other) {
        System.arraycopy(other.x, 0, x, 0, 32);
        other.sealFpState();
        if (fpDirty || fpVersion != other.fpVersion) {
            System.arraycopy(other.f, 0, f, 0, 32);
            fflags = other.fflags;
            frm = other.frm;
            fpVersion = other.fpVersion;
            fpDirty = false;
        }
        pc = other.pc;
        instret = other.instret;
        reservation = -1;
    }

    /** Gives the current floating-point state a version of its own (it was written since it had one). */
    public void sealFpState() {
        if (fpDirty) {
            fpVersion = new Object();
            fpDirty = false;
        }
    }

    /** The fcsr register as the guest sees it. */
    public int fcsr() {
        return (frm << 5) | fflags;
    }

    public void setFcsr(int value) {
        fpWritten();
        fflags = value & 0x1f;
        frm = (value >>> 5) & 0x7;
    }
}
