package dev.riscvsandbox.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * A test case: an instruction sequence plus the machine state it starts from.
 *
 * @param ops     the operations
 * @param x       initial integer registers, index 0..31 (x0 and the reserved base register are ignored)
 * @param f       initial floating-point registers as raw 64-bit patterns
 * @param frm     initial dynamic rounding mode (0..4); fflags always start cleared
 * @param scratch initial contents of the 64-byte scratch buffer
 */
public record Sequence(List<GuestOp> ops, long[] x, long[] f, int frm, byte[] scratch) {

    public static final int SCRATCH_SIZE = 64;

    public Sequence {
        ops = List.copyOf(ops);
        if (x.length != 32 || f.length != 32 || scratch.length != SCRATCH_SIZE) {
            throw new IllegalArgumentException("bad state sizes");
        }
        if (frm < 0 || frm > 4) {
            throw new IllegalArgumentException("frm must be 0..4: " + frm);
        }
        x = x.clone();
        f = f.clone();
        scratch = scratch.clone();
    }

    /** A sequence with all-zero initial state. */
    public static Sequence of(List<GuestOp> ops) {
        return new Sequence(ops, new long[32], new long[32], 0, new byte[SCRATCH_SIZE]);
    }

    public Sequence withOps(List<GuestOp> newOps) {
        return new Sequence(newOps, x, f, frm, scratch);
    }

    public Sequence withoutOp(int index) {
        List<GuestOp> l = new ArrayList<>(ops);
        l.remove(index);
        return withOps(l);
    }

    public Sequence withX(int reg, long value) {
        long[] nx = x.clone();
        nx[reg] = value;
        return new Sequence(ops, nx, f, frm, scratch);
    }

    public Sequence withF(int reg, long value) {
        long[] nf = f.clone();
        nf[reg] = value;
        return new Sequence(ops, x, nf, frm, scratch);
    }

    public Sequence withFrm(int newFrm) {
        return new Sequence(ops, x, f, newFrm, scratch);
    }

    public Sequence withScratch(byte[] newScratch) {
        return new Sequence(ops, x, f, frm, newScratch);
    }

    @Override
    public String toString() {
        return "Sequence[" + ops.size() + " ops]";
    }
}
