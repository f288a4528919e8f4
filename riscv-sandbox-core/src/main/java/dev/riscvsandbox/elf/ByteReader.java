package dev.riscvsandbox.elf;

/**
 * Little-endian reads from the file image. Every read is bounds-checked with unsigned arithmetic and fails with an
 * {@link ElfException}, so no guest-controlled offset can cause an unchecked exception.
 */
final class ByteReader {
    private final byte[] data;

    ByteReader(byte[] data) {
        this.data = data;
    }

    byte[] array() {
        return data;
    }

    int size() {
        return data.length;
    }

    /** Whether {@code [offset, offset+length)} lies inside the file; both values are unsigned, no overflow. */
    boolean inRange(long offset, long length) {
        return Long.compareUnsigned(offset, data.length) <= 0
                && Long.compareUnsigned(length, data.length - offset) <= 0;
    }

    private int at(long offset, int n) throws ElfException {
        if (!inRange(offset, n)) {
            throw new ElfException("read of " + n + " bytes at offset " + Hex.of(offset)
                    + " is outside the file (size " + Hex.of(data.length) + ")");
        }
        return (int) offset;
    }

    int u8(long offset) throws ElfException {
        return data[at(offset, 1)] & 0xff;
    }

    int u16(long offset) throws ElfException {
        int i = at(offset, 2);
        return (data[i] & 0xff) | (data[i + 1] & 0xff) << 8;
    }

    long u32(long offset) throws ElfException {
        int i = at(offset, 4);
        return ((data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16
                | (data[i + 3] & 0xff) << 24) & 0xffff_ffffL;
    }

    long u64(long offset) throws ElfException {
        at(offset, 8);
        return u32(offset) | u32(offset + 4) << 32;
    }

    /** An address-sized unsigned word: 4 bytes zero-extended for ELF32, 8 bytes for ELF64. */
    long word(long offset, boolean is64) throws ElfException {
        return is64 ? u64(offset) : u32(offset);
    }
}
