package dev.riscvsandbox.diff;

/** Human-readable renderings of FP register contents and fcsr for failure reports. */
final class FpFormat {
    private FpFormat() {
    }

    static String describe(long bits) {
        if ((bits >>> 32) == 0xFFFFFFFFL) {
            return "s:" + Float.intBitsToFloat((int) bits);
        }
        return "d:" + Double.longBitsToDouble(bits);
    }

    static String fcsr(int v) {
        StringBuilder sb = new StringBuilder("frm=").append((v >> 5) & 7).append(" flags=");
        String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        boolean any = false;
        for (int i = 4; i >= 0; i--) {
            if ((v & (1 << i)) != 0) {
                sb.append(any ? "|" : "").append(names[i]);
                any = true;
            }
        }
        return any ? sb.toString() : sb.append("-").toString();
    }
}
