package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.index;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.machine.Machine;
import java.util.regex.Pattern;

/**
 * Regex host calls (529, 531–535) on {@link GuardedRegex}: patterns are compiled once per program and cached, each VM
 * holds at most {@link VmState#MAX_REGEXES} handles (those compiled during initialisation are inherited), and every
 * match runs under a step limit, so a catastrophic pattern faults the request instead of hanging a thread.
 */
final class RegexCalls {
    /** Bit 31 of REGEX_SUBST's length argument asks to replace every match. */
    private static final long SUBST_ALL = 1L << 31;
    private static final long INVALID = -1;
    /**
     * Longest regex subject. Unanchored matches on longer subjects would exceed the step limit anyway, and patterns
     * that backtrack without reading the subject cost time per start position, so the subject length bounds them.
     */
    static final int MAX_SUBJECT = 1 << 20;

    private RegexCalls() {
    }

    /** 531: compiles a pattern (or finds it among this VM's handles); returns its handle. */
    static void compile(Machine m) {
        VmState s = state(m);
        String regex = HostCalls.utf8(m, ptr(m, 0), len(m, 1), GuardedRegex.MAX_PATTERN_LENGTH, "regex");
        int free = -1;
        for (int i = 0; i < VmState.MAX_REGEXES; i++) {
            Pattern p = s.regexes[i];
            if (p == null) {
                free = free < 0 ? i : free;
            } else if (p.pattern().equals(regex)) {
                m.setReg(10, i);
                return;
            }
        }
        if (free < 0) {
            throw fault("more than " + VmState.MAX_REGEXES + " regexes in one VM; free some (535)");
        }
        try {
            s.regexes[free] = s.ctx.regexCache.compile(regex);
        } catch (GuardedRegex.RegexException e) {
            throw fault("regex: " + e.getMessage());
        }
        m.charge(regex.length());
        m.setReg(10, free);
    }

    /** 532: 1 if the pattern matches somewhere in the subject, else 0. */
    static void match(Machine m) {
        Pattern p = HostCalls.regex(state(m), m.reg(10) & 0xFFFF_FFFFL);
        String subject = HostCalls.text(m, ptr(m, 1), len(m, 2), MAX_SUBJECT, "regex subject");
        m.charge(subject.length() >>> 3);
        m.setReg(10, find(p, subject) ? 1 : 0);
    }

    /**
     * 533: replaces the first (or, with bit 31 of the size, every) match and writes the result and a NUL to the
     * buffer; returns the result's length, or INVALID if it does not fit.
     */
    static void substitute(Machine m) {
        Pattern p = HostCalls.regex(state(m), m.reg(10) & 0xFFFF_FFFFL);
        String subject = HostCalls.text(m, ptr(m, 1), len(m, 2), MAX_SUBJECT, "regex subject");
        String replacement = HostCalls.text(m, ptr(m, 3), len(m, 4), HttpFields.MAX_FIELD_LENGTH, "replacement");
        long dst = ptr(m, 5);
        long size = m.reg(16) & 0xFFFF_FFFFL;
        boolean all = (size & SUBST_ALL) != 0;
        size &= SUBST_ALL - 1;
        m.charge(subject.length() >>> 3);
        String result = replace(p, subject, replacement, all, (int) Math.min(size, HostCalls.MAX_BUFFER));
        if (result == null || result.length() >= size) {
            m.setReg(10, INVALID);
            return;
        }
        HostCalls.writeResult(m, HostCalls.latin1(result), dst, size, true);
    }

    /** 534: regex replacement over a whole field line, written back (and validated); returns the new length. */
    static void substituteField(Machine m) {
        VmState s = state(m);
        Pattern p = HostCalls.regex(s, m.reg(10) & 0xFFFF_FFFFL);
        HttpFields f = s.http((int) m.reg(11));
        long idx = index(m, 2);
        String replacement = HostCalls.text(m, ptr(m, 3), len(m, 4), HttpFields.MAX_FIELD_LENGTH, "replacement");
        boolean all = m.reg(15) != 0;
        String line = f.get(idx);
        if (line == null) {
            m.setReg(10, INVALID);
            return;
        }
        String result = replace(p, line, replacement, all, HttpFields.MAX_FIELD_LENGTH);
        if (result == null) {
            throw fault("regex replacement result is longer than " + HttpFields.MAX_FIELD_LENGTH + " bytes");
        }
        try {
            f.set(idx, result);
        } catch (IllegalArgumentException e) {
            throw fault(e.getMessage());
        }
        m.setReg(10, result.length());
    }

    /** 529: unsets every header line that matches, working from the top down; returns how many. */
    static void unsetMatching(Machine m) {
        VmState s = state(m);
        HttpFields f = s.http((int) m.reg(10));
        Pattern p = HostCalls.regex(s, m.reg(11) & 0xFFFF_FFFFL);
        int removed = 0;
        for (int i = f.count() - 1; i >= HttpFields.FIRST_HEADER; i--) {
            String line = f.get(i);
            if (line != null && find(p, line)) {
                f.unset(i);
                removed++;
            }
        }
        m.setReg(10, removed);
    }

    /** 535: frees a handle; returns 0, or INVALID if it held no regex. */
    static void free(Machine m) {
        VmState s = state(m);
        long h = m.reg(10) & 0xFFFF_FFFFL;
        if (h >= VmState.MAX_REGEXES) {
            throw fault("no regex with handle " + h);
        }
        boolean held = s.regexes[(int) h] != null;
        s.regexes[(int) h] = null;
        m.setReg(10, held ? 0 : INVALID);
    }

    private static boolean find(Pattern p, String subject) {
        try {
            return GuardedRegex.find(p, subject);
        } catch (GuardedRegex.RegexException e) {
            throw fault("regex '" + p.pattern() + "': " + e.getMessage());
        }
    }

    /** The replaced text, or null if longer than {@code max}. */
    private static String replace(Pattern p, String subject, String replacement, boolean all, int max) {
        try {
            return GuardedRegex.replace(p, subject, replacement, all, max);
        } catch (GuardedRegex.RegexException e) {
            if (e.resultTooLong()) {
                return null;
            }
            throw fault("regex '" + p.pattern() + "': " + e.getMessage());
        }
    }
}
