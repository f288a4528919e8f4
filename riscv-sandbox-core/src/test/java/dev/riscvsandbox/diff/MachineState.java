package dev.riscvsandbox.diff;

import java.util.ArrayList;
import java.util.List;

/** The state dumped at the end of one sequence: registers, fcsr and the scratch buffer. */
public record MachineState(long[] x, long[] f, int fcsr, byte[] scratch) {

    private static final String[] ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
        "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
        "t5", "t6"};

    public static String xName(int r) {
        return "x" + r + "(" + ABI[r] + ")";
    }

    /** One differing location. */
    public record Difference(String location, long expected, long actual, String note) {
        @Override
        public String toString() {
            return String.format("%-10s qemu=0x%016x  ours=0x%016x%s", location, expected, actual,
                    note.isEmpty() ? "" : "  " + note);
        }
    }

    /** Differences between {@code this} (the reference, qemu) and {@code ours}. */
    public List<Difference> compare(MachineState ours) {
        List<Difference> d = new ArrayList<>();
        for (int i = 1; i < 32; i++) {
            if (x[i] != ours.x[i]) {
                d.add(new Difference(xName(i), x[i], ours.x[i], ""));
            }
        }
        for (int i = 0; i < 32; i++) {
            if (f[i] != ours.f[i]) {
                d.add(new Difference("f" + i, f[i], ours.f[i], FpFormat.describe(f[i]) + " vs "
                        + FpFormat.describe(ours.f[i])));
            }
        }
        if (fcsr != ours.fcsr) {
            d.add(new Difference("fcsr", fcsr, ours.fcsr, FpFormat.fcsr(fcsr) + " vs " + FpFormat.fcsr(ours.fcsr)));
        }
        for (int i = 0; i < scratch.length; i += 8) {
            long a = word(scratch, i);
            long b = word(ours.scratch, i);
            if (a != b) {
                d.add(new Difference("mem[" + i + "]", a, b, "(scratch bytes " + i + ".." + (i + 7) + ")"));
            }
        }
        return d;
    }

    static long word(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }
}
