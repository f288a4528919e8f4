package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.index;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.machine.Machine;

/**
 * Regex host calls (529, 531–535) on {@link GuardedRegex}: patterns are compiled once per program and cached, each VM
 * holds at most {@link VmState#MAX_REGEXES} handles (those compiled during initialisation are inherited), and every
 * operation is billed for its work: the subject reads it made times the pattern's weight (the nodes it may visit per
 * read). An operation never runs past the hook's budget: it gets at most the steps the budget can still pay for, and
 * running out of those is a timeout; running out of the per-operation step limit is a fault.
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
        m.charge(regex.length());
        int free = -1;
        for (int i = 0; i < VmState.MAX_REGEXES; i++) {
            GuardedRegex.Compiled c = s.regexes[i];
            if (c == null) {
                free = free < 0 ? i : free;
            } else if (c.pattern().pattern().equals(regex)) {
                m.setReg(10, i);
                return;
            }
        }
        if (free < 0) {
            throw fault("more than " + VmState.MAX_REGEXES + " regexes in one VM; free some (535)");
        }
        try {
            s.regexes[free] = s.ctx.regexCache.compiled(regex);
        } catch (GuardedRegex.RegexException e) {
            throw fault("regex: " + e.getMessage());
        }
        m.setReg(10, free);
    }

    /** 532: 1 if the pattern matches somewhere in the subject, else 0. */
    static void match(Machine m) {
        GuardedRegex.Compiled c = HostCalls.regex(state(m), m.reg(10) & 0xFFFF_FFFFL);
        String subject = subject(m);
        Billing bill = new Billing(m, c);
        m.setReg(10, bill.find(subject) ? 1 : 0);
        bill.charge();
    }

    /**
     * 533: replaces the first (or, with bit 31 of the size, every) match and writes the result and a NUL to the
     * buffer; returns the result's length, or INVALID if it does not fit.
     */
    static void substitute(Machine m) {
        GuardedRegex.Compiled c = HostCalls.regex(state(m), m.reg(10) & 0xFFFF_FFFFL);
        String subject = subject(m);
        String replacement = HostCalls.text(m, ptr(m, 3), len(m, 4), HttpFields.MAX_FIELD_LENGTH, "replacement");
        long dst = ptr(m, 5);
        long size = m.reg(16) & 0xFFFF_FFFFL;
        boolean all = (size & SUBST_ALL) != 0;
        size &= SUBST_ALL - 1;
        Billing bill = new Billing(m, c);
        String result = bill.replace(subject, replacement, all, (int) Math.min(size, HostCalls.MAX_BUFFER));
        bill.charge();
        if (result == null || result.length() >= size) {
            m.setReg(10, INVALID);
            return;
        }
        HostCalls.writeResult(m, HostCalls.latin1(result), dst, size, true);
    }

    /** 534: regex replacement over a whole field line, written back (and validated); returns the new length. */
    static void substituteField(Machine m) {
        VmState s = state(m);
        GuardedRegex.Compiled c = HostCalls.regex(s, m.reg(10) & 0xFFFF_FFFFL);
        HttpFields f = s.http((int) m.reg(11));
        long idx = index(m, 2);
        String replacement = HostCalls.text(m, ptr(m, 3), len(m, 4), HttpFields.MAX_FIELD_LENGTH, "replacement");
        boolean all = m.reg(15) != 0;
        String line = f.get(idx);
        if (line == null) {
            m.setReg(10, INVALID);
            return;
        }
        Billing bill = new Billing(m, c);
        String result = bill.replace(line, replacement, all, HttpFields.MAX_FIELD_LENGTH);
        bill.charge();
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
        GuardedRegex.Compiled c = HostCalls.regex(s, m.reg(11) & 0xFFFF_FFFFL);
        Billing bill = new Billing(m, c); // one budget for all lines
        int removed = 0;
        for (int i = f.count() - 1; i >= HttpFields.FIRST_HEADER; i--) {
            String line = f.get(i);
            if (line != null && bill.find(line)) {
                f.unset(i);
                removed++;
            }
        }
        bill.charge();
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

    /** The subject in a1/a2, charged a step per 8 bytes read. */
    private static String subject(Machine m) {
        return new String(HostCalls.chargedBytes(m, ptr(m, 1), len(m, 2), MAX_SUBJECT, "regex subject"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The step budget of one operation, what the hook's instruction budget can pay for, and the bill. */
    private static final class Billing {
        private final Machine m;
        private final GuardedRegex.Compiled regex;
        private final GuardedRegex.Budget budget;

        Billing(Machine m, GuardedRegex.Compiled regex) {
            this.m = m;
            this.regex = regex;
            this.budget = new GuardedRegex.Budget(m.remainingBudget() / regex.weight());
        }

        boolean find(String subject) {
            try {
                return GuardedRegex.find(regex.pattern(), subject, budget);
            } catch (GuardedRegex.RegexException e) {
                throw failure(e);
            }
        }

        /** The replaced text, or null if longer than {@code max}. */
        String replace(String subject, String replacement, boolean all, int max) {
            try {
                return GuardedRegex.replace(regex.pattern(), subject, replacement, all, max, budget);
            } catch (GuardedRegex.RegexException e) {
                if (e.resultTooLong()) {
                    charge();
                    return null;
                }
                throw failure(e);
            }
        }

        void charge() {
            m.charge(budget.used() * regex.weight());
        }

        private RuntimeException failure(GuardedRegex.RegexException e) {
            if (budget.reduced() && e.stepLimit()) {
                m.charge(Long.MAX_VALUE); // the hook's budget ran out first: a timeout
            }
            charge();
            return fault("regex '" + regex.pattern().pattern() + "': " + e.getMessage());
        }
    }
}
