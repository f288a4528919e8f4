package dev.riscvsandbox.elf;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Names from one string table section. Offsets are checked and every name must end with a NUL inside the table.
 *
 * <p>Guest-controlled name offsets could make many symbols point into one long unterminated run of bytes, costing
 * time and memory quadratic in the file size. So decoded names are cached by offset and the total number of bytes
 * scanned for distinct names is capped at a budget proportional to the table size.
 */
final class StringTable {
    private final ByteReader reader;
    private final long offset;
    private final long size;
    private final String description;
    private final Map<Long, String> cache = new HashMap<>();
    private long budget;

    StringTable(ByteReader reader, long offset, long size, String description) {
        this.reader = reader;
        this.offset = offset;
        this.size = size;
        this.description = description;
        // Legitimate tables decode to about their own size (a little more with tail merging).
        this.budget = (16L << 20) + 4 * size;
    }

    /**
     * @param nameOffset the name's offset into the table (unsigned)
     * @param owner      the referring item, e.g. "symbol 12 in section 20 (.symtab)", for messages
     */
    String get(long nameOffset, String owner) throws ElfException {
        if (Long.compareUnsigned(nameOffset, size) >= 0) {
            throw new ElfException(owner + ": name offset " + Hex.of(nameOffset) + " is outside " + description
                    + " (size " + Hex.of(size) + ")");
        }
        String cached = cache.get(nameOffset);
        if (cached != null) {
            return cached;
        }
        byte[] data = reader.array();
        // The table lies inside the file (checked by the caller), so these casts are exact.
        int start = (int) (offset + nameOffset);
        int tableEnd = (int) (offset + size);
        long scanEnd = Math.min(tableEnd, start + budget + 1);
        int nul = -1;
        for (int i = start; i < scanEnd; i++) {
            if (data[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            if (scanEnd == tableEnd) {
                throw new ElfException(owner + ": name at offset " + Hex.of(nameOffset)
                        + " is not NUL-terminated within " + description);
            }
            throw new ElfException(owner + ": names in " + description + " exceed the decoding budget");
        }
        budget -= nul - start;
        String name = new String(data, start, nul - start, StandardCharsets.UTF_8);
        cache.put(nameOffset, name);
        return name;
    }
}
