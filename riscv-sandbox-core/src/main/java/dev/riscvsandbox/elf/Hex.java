package dev.riscvsandbox.elf;

/** Formatting helper: error messages print offsets and addresses as unsigned hex, like readelf. */
final class Hex {
    private Hex() {
    }

    static String of(long value) {
        return "0x" + Long.toHexString(value);
    }
}
