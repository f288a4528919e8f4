package dev.riscvsandbox.elf;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lookup structures over the symbol list, built once at parse time so that queries are cheap. */
final class SymbolIndex {
    private final Map<String, Symbol> byName = new HashMap<>();
    /** FUNC and OBJECT symbols sorted by unsigned value; equal values ordered so the preferred one comes last. */
    private final Symbol[] sorted;
    private final long[] values;
    /** maxEnd[i]: largest (saturated) value+size among sorted[0..i]; lets the containment scan stop early. */
    private final long[] maxEnd;
    /** lastFunc[i]: index of the last FUNC symbol in sorted[0..i], or -1. */
    private final int[] lastFunc;
    private final List<ProgramHeader> loads;

    SymbolIndex(List<Symbol> symbols, List<ProgramHeader> loads) {
        this.loads = loads;
        for (Symbol s : symbols) {
            Symbol old = byName.get(s.name());
            if (old == null || bindRank(s) > bindRank(old)) {
                byName.put(s.name(), s);
            }
        }
        sorted = symbols.stream()
                .filter(s -> s.type() == Symbol.Type.FUNC || s.type() == Symbol.Type.OBJECT)
                .sorted(Comparator.comparing(Symbol::value, Long::compareUnsigned)
                        .thenComparingInt(SymbolIndex::addressRank))
                .toArray(Symbol[]::new);
        int n = sorted.length;
        values = new long[n];
        maxEnd = new long[n];
        lastFunc = new int[n];
        long runningEnd = 0;
        int func = -1;
        for (int i = 0; i < n; i++) {
            Symbol s = sorted[i];
            values[i] = s.value();
            long end = s.value() + s.size();
            if (Long.compareUnsigned(end, s.value()) < 0) {
                end = -1L; // saturate at 2^64-1 instead of wrapping
            }
            if (Long.compareUnsigned(end, runningEnd) > 0) {
                runningEnd = end;
            }
            maxEnd[i] = runningEnd;
            if (s.type() == Symbol.Type.FUNC) {
                func = i;
            }
            lastFunc[i] = func;
        }
    }

    private static int bindRank(Symbol s) {
        return switch (s.bind()) {
            case GLOBAL, GNU_UNIQUE -> 3;
            case WEAK -> 2;
            case LOCAL -> 1;
            case OTHER -> 0;
        };
    }

    /** Among symbols at the same address: FUNC before OBJECT, then stronger binding; higher rank sorts later. */
    private static int addressRank(Symbol s) {
        return (s.type() == Symbol.Type.FUNC ? 8 : 0) + bindRank(s);
    }

    Optional<Symbol> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<Symbol> at(long address) {
        // Last index whose value <= address (unsigned).
        int lo = 0, hi = sorted.length - 1, last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(values[mid], address) <= 0) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (last < 0) {
            return Optional.empty();
        }
        // Nearest symbol (highest value) whose extent contains the address.
        for (int i = last; i >= 0 && Long.compareUnsigned(maxEnd[i], address) > 0; i--) {
            if (sorted[i].contains(address)) {
                return Optional.of(sorted[i]);
            }
        }
        // Fall back to the nearest preceding function, but only within the same segment: an address in the heap
        // or stack must not be reported as "last_function+0x3ff000".
        int f = lastFunc[last];
        if (f < 0) {
            return Optional.empty();
        }
        Symbol func = sorted[f];
        for (ProgramHeader load : loads) {
            if (load.containsAddress(address) && load.containsAddress(func.value())) {
                return Optional.of(func);
            }
        }
        return Optional.empty();
    }
}
