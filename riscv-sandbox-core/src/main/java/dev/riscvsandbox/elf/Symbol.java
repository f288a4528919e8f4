package dev.riscvsandbox.elf;

import java.util.Objects;

/**
 * A defined, named symbol from the symbol table. ELF32 values are zero-extended; {@code value} and {@code size} are
 * unsigned. For ET_DYN files {@code value} is the link-time address: add the load bias to get the runtime address.
 *
 * @param name  the symbol name, never empty
 * @param value {@code st_value}: the address (or TLS offset for {@link Type#TLS} symbols)
 * @param size  {@code st_size}: size in bytes, 0 if unknown
 * @param type  the symbol type from {@code st_info}
 * @param bind  the binding from {@code st_info}
 */
public record Symbol(String name, long value, long size, Type type, Bind bind) {

    /** Symbol types ({@code ELF_ST_TYPE}). */
    public enum Type {
        /** {@code STT_NOTYPE}. */
        NOTYPE,
        /** {@code STT_OBJECT}: a data object. */
        OBJECT,
        /** {@code STT_FUNC}: a function. */
        FUNC,
        /** {@code STT_SECTION}. */
        SECTION,
        /** {@code STT_FILE}: a source file name. */
        FILE,
        /** {@code STT_COMMON}. */
        COMMON,
        /** {@code STT_TLS}: value is an offset into the TLS block. */
        TLS,
        /** {@code STT_GNU_IFUNC}: an indirect function. */
        GNU_IFUNC,
        /** Any other (OS- or processor-specific) value. */
        OTHER;

        /**
         * @param code the low four bits of {@code st_info}
         * @return the matching type, or {@link #OTHER}
         */
        public static Type of(int code) {
            return switch (code) {
                case 0 -> NOTYPE;
                case 1 -> OBJECT;
                case 2 -> FUNC;
                case 3 -> SECTION;
                case 4 -> FILE;
                case 5 -> COMMON;
                case 6 -> TLS;
                case 10 -> GNU_IFUNC;
                default -> OTHER;
            };
        }
    }

    /** Symbol bindings ({@code ELF_ST_BIND}). */
    public enum Bind {
        /** {@code STB_LOCAL}. */
        LOCAL,
        /** {@code STB_GLOBAL}. */
        GLOBAL,
        /** {@code STB_WEAK}. */
        WEAK,
        /** {@code STB_GNU_UNIQUE}. */
        GNU_UNIQUE,
        /** Any other (OS- or processor-specific) value. */
        OTHER;

        /**
         * @param code the high four bits of {@code st_info}
         * @return the matching binding, or {@link #OTHER}
         */
        public static Bind of(int code) {
            return switch (code) {
                case 0 -> LOCAL;
                case 1 -> GLOBAL;
                case 2 -> WEAK;
                case 10 -> GNU_UNIQUE;
                default -> OTHER;
            };
        }
    }

    /**
     * Creates a symbol.
     *
     * @param name  the symbol name
     * @param value {@code st_value}
     * @param size  {@code st_size}
     * @param type  the symbol type
     * @param bind  the binding
     * @throws NullPointerException if {@code name}, {@code type} or {@code bind} is null
     */
    public Symbol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(bind, "bind");
    }

    /**
     * @param address a virtual address
     * @return whether {@code address} lies in {@code [value, value+size)} (unsigned, never true when size is 0)
     */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, value) >= 0 && Long.compareUnsigned(address - value, size) < 0;
    }

    /**
     * Formats an address relative to this symbol, as used in backtraces.
     *
     * @param address an address at or after {@link #value()}
     * @return {@code "name"} if the address equals the value, otherwise {@code "name+0x1c"}
     */
    public String describe(long address) {
        long delta = address - value;
        return delta == 0 ? name : name + "+0x" + Long.toHexString(delta);
    }

    @Override
    public String toString() {
        return name + " [" + type + " " + bind + " 0x" + Long.toHexString(value) + " size 0x"
                + Long.toHexString(size) + "]";
    }
}
