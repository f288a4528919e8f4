package dev.riscvsandbox.abi;

/** Makes guest-controlled text safe to put in a log line: it cannot start lines of its own or hide characters. */
public final class GuestText {
    private GuestText() {
    }

    /** {@code text} with control characters (other than tab) written as {@code \r}, {@code \n} or {@code \xNN}. */
    public static String printable(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
