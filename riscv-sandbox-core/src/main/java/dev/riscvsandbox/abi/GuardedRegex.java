package dev.riscvsandbox.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions for untrusted guests, with the host protected against catastrophic backtracking (ReDoS).
 *
 * <p>The syntax is {@link java.util.regex}'s, compiled without flags; for common patterns it matches PCRE (what
 * Varnish uses): classes, anchors, groups, {@code (?i)}, lazy and possessive quantifiers, lookaround, backreferences.
 * Comments mode {@code (?x)} is refused.
 *
 * <p>Two guards bound the work of one operation:
 * <ul>
 *   <li>At match time the subject is read through a {@link CharSequence} that counts {@code charAt} calls and
 *       aborts the operation after {@link #MAX_STEPS}. Backtracking that re-reads the subject is caught this way.</li>
 *   <li>java.util.regex also backtracks without reading: at the end of the subject, or over zero-width constructs
 *       ({@code (|)(|)(|)...(?!)} explores 2<sup>n</sup> paths and never calls {@code charAt}). {@link #compile}
 *       therefore estimates, per pattern, an upper bound on the nodes visited between two reads and refuses patterns
 *       above {@link #MAX_ZERO_WIDTH_STEPS}.</li>
 * </ul>
 * An operation thus visits at most about {@code (MAX_STEPS + subject length) * MAX_ZERO_WIDTH_STEPS} nodes: a
 * few milliseconds for real patterns, around a second for a pattern crafted to reach both limits (OpenJDK 17). Since
 * Java 9 the engine memoizes some classic cases such as {@code (a+)+$}; bounded repetitions, lazy loops and
 * backreferences ({@code (a|a){1,40}$}, {@code (.*a){25}}) still backtrack exponentially and hit the step limit.
 * Deep recursion in the engine (long subjects under {@code (a|b)*}) is reported as a {@link RegexException} too.
 */
public final class GuardedRegex {
    /** Longer patterns are refused. */
    public static final int MAX_PATTERN_LENGTH = 4096;
    /** Subject reads ({@code charAt} calls) allowed per find or replace operation. */
    public static final long MAX_STEPS = 1_000_000;
    /**
     * Most pattern nodes java.util.regex may visit between two reads of the subject, as estimated by
     * {@link #compile}. Typical patterns stay below 30 and ambiguous ones grow exponentially; a long alternation
     * (over about 250 alternatives) is refused too, since at the end of the subject every alternative is tried
     * without reading. Limits the work between two counted steps to a microsecond or two.
     */
    public static final int MAX_ZERO_WIDTH_STEPS = 256;

    private GuardedRegex() {
    }

    /**
     * Compiles a pattern after checking its length, its syntax and its zero-width backtracking (see the class
     * comment). Prefer {@link Cache#compile}, which reuses compiled patterns.
     *
     * @throws RegexException the pattern is too long, invalid or could backtrack without reading the subject
     */
    public static Pattern compile(String regex) throws RegexException {
        return compileWeighted(regex).pattern();
    }

    /**
     * A compiled pattern and its weight: the most pattern nodes it may visit per subject read (at least 1), by which
     * callers multiply the steps an operation took to bill its work.
     */
    public record Compiled(Pattern pattern, int weight) {
    }

    /** Like {@link #compile}, with the pattern's weight. */
    public static Compiled compileWeighted(String regex) throws RegexException {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            throw new RegexException("regex longer than " + MAX_PATTERN_LENGTH + " characters");
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RegexException("invalid regex: " + e.getDescription() + " near index " + e.getIndex());
        } catch (StackOverflowError e) {
            throw new RegexException("regex nested too deeply");
        }
        double steps = ZeroWidth.steps(regex);
        if (steps > MAX_ZERO_WIDTH_STEPS) {
            throw new RegexException(String.format(Locale.ROOT,
                    "regex too ambiguous: it may backtrack through %.3g nodes without reading the subject (limit %d); remove empty alternatives and nested optional groups, or"
                    + " split long alternations", steps, MAX_ZERO_WIDTH_STEPS));
        }
        return new Compiled(p, (int) Math.max(1, Math.ceil(steps)));
    }

    /**
     * Whether {@code p} matches somewhere in {@code subject} ({@link Matcher#find()} semantics, like a PCRE or
     * Varnish regex match). {@code p} should come from {@link #compile} or {@link Cache#compile}: patterns compiled
     * elsewhere miss the zero-width check.
     *
     * @throws RegexException the match took more than {@link #MAX_STEPS} steps or recursed too deeply
     */
    public static boolean find(Pattern p, CharSequence subject) throws RegexException {
        return find(p, subject, new Budget(MAX_STEPS));
    }

    /** {@link #find(Pattern, CharSequence)} within {@code budget}, which records the steps taken. */
    public static boolean find(Pattern p, CharSequence subject, Budget budget) throws RegexException {
        Matcher m = p.matcher(new GuardedSequence(subject, 0, subject.length(), budget));
        try {
            return m.find();
        } catch (StepLimitExceeded | StackOverflowError e) {
            throw limitExceeded(e);
        }
    }

    /**
     * Replaces the first or every match of {@code p} in {@code subject}. In {@code replacement}, {@code \0} to
     * {@code \9} insert a capturing group (0: the whole match; nothing if the group does not exist or did not take
     * part in the match) and {@code \\} inserts one backslash; every other character, {@code $} included, is
     * literal. Empty matches are replaced as by {@link Matcher#replaceAll}.
     *
     * @param maxLength longest accepted result, in chars
     * @throws RegexException the result would exceed {@code maxLength}, or matching took more than
     *                        {@link #MAX_STEPS} steps (inserting the replacement counts a step per template part)
     */
    public static String replace(Pattern p, CharSequence subject, String replacement, boolean all, int maxLength)
            throws RegexException {
        return replace(p, subject, replacement, all, maxLength, new Budget(MAX_STEPS));
    }

    /**
     * {@link #replace(Pattern, CharSequence, String, boolean, int)} within {@code budget}, which records the steps
     * taken; building the result costs a step per 8 chars.
     */
    public static String replace(Pattern p, CharSequence subject, String replacement, boolean all, int maxLength,
                                 Budget budget) throws RegexException {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength < 0: " + maxLength);
        }
        List<Object> template = parseReplacement(replacement);
        Matcher m = p.matcher(new GuardedSequence(subject, 0, subject.length(), budget));
        StringBuilder out = new StringBuilder();
        int copied = 0;
        try {
            while (m.find()) {
                append(out, subject, copied, m.start(), maxLength, budget);
                // a long template of absent groups appends nothing, so charge for it rather than for the output
                budget.charge(template.size());
                for (Object part : template) {
                    if (part instanceof String literal) {
                        append(out, literal, 0, literal.length(), maxLength, budget);
                    } else {
                        int group = (Integer) part;
                        if (group <= m.groupCount() && m.start(group) >= 0) {
                            append(out, subject, m.start(group), m.end(group), maxLength, budget);
                        }
                    }
                }
                copied = m.end();
                if (!all) {
                    break;
                }
            }
            append(out, subject, copied, subject.length(), maxLength, budget);
        } catch (StepLimitExceeded | StackOverflowError e) {
            throw limitExceeded(e);
        }
        return out.toString();
    }

    /** Splits a replacement into literal strings and group numbers (Integer). */
    private static List<Object> parseReplacement(String replacement) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : 0;
            if (c == '\\' && next >= '0' && next <= '9') {
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(next - '0');
                i++;
            } else {
                literal.append(c);
                if (c == '\\' && next == '\\') {
                    i++;
                }
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return parts;
    }

    /** Appends from the caller's subject, not the guarded view: copying is linear and capped by maxLength. */
    private static void append(StringBuilder out, CharSequence s, int start, int end, int maxLength, Budget budget)
            throws RegexException {
        if (end - start > maxLength - out.length()) {
            throw new RegexException("regex replacement result longer than " + maxLength + " characters", true);
        }
        budget.charge((end - start) >>> 3);
        out.append(s, start, end);
    }

    private static RegexException limitExceeded(Throwable e) {
        return e instanceof StepLimitExceeded
                ? new RegexException("regex exceeded " + MAX_STEPS + " steps", false, true)
                : new RegexException("regex recursion too deep for this subject");
    }

    /**
     * Compiled patterns of one tenant program, keyed by pattern string. Thread-safe. Bounded: once
     * {@code maxEntries} patterns are cached, further ones are compiled on every call and not kept (a guest that
     * builds patterns dynamically pays for it, the host's memory stays bounded). Failed compiles are not cached.
     */
    public static final class Cache {
        private final ConcurrentHashMap<String, Compiled> patterns = new ConcurrentHashMap<>();
        // counts reserved slots, so racing threads never push the map past maxEntries
        private final AtomicInteger size = new AtomicInteger();
        private final int maxEntries;

        /** A cache keeping at most {@code maxEntries} compiled patterns. */
        public Cache(int maxEntries) {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("maxEntries < 0: " + maxEntries);
            }
            this.maxEntries = maxEntries;
        }

        /**
         * The cached pattern for {@code regex}, compiling it with {@link GuardedRegex#compile} on a miss.
         *
         * @throws RegexException as {@link GuardedRegex#compile}
         */
        public Pattern compile(String regex) throws RegexException {
            return compiled(regex).pattern();
        }

        /** Like {@link #compile}, with the pattern's weight. */
        public Compiled compiled(String regex) throws RegexException {
            Compiled cached = patterns.get(regex);
            if (cached != null) {
                return cached;
            }
            Compiled c = GuardedRegex.compileWeighted(regex);
            if (size.incrementAndGet() > maxEntries) {
                size.decrementAndGet();
                return patterns.getOrDefault(regex, c); // another thread may have cached it while we compiled
            }
            Compiled raced = patterns.putIfAbsent(regex, c);
            if (raced != null) {
                size.decrementAndGet();
                return raced;
            }
            return c;
        }

        /** Number of cached patterns. */
        public int size() {
            return patterns.size();
        }
    }

    /** A regex was refused or aborted; the message says why and is meant for the guest. */
    public static final class RegexException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean resultTooLong;
        private final boolean stepLimit;

        /** An exception with a message saying what went wrong. */
        public RegexException(String message) {
            this(message, false, false);
        }

        RegexException(String message, boolean resultTooLong) {
            this(message, resultTooLong, false);
        }

        RegexException(String message, boolean resultTooLong, boolean stepLimit) {
            super(message);
            this.resultTooLong = resultTooLong;
            this.stepLimit = stepLimit;
        }

        /** Whether the operation ran out of its step budget. */
        public boolean stepLimit() {
            return stepLimit;
        }

        /** Whether a replacement was refused only because its result exceeded the length limit. */
        public boolean resultTooLong() {
            return resultTooLong;
        }
    }

    /**
     * The steps (subject reads) one operation may take, and how many it took: callers can bill them. Confined to the
     * thread running the operation.
     */
    public static final class Budget {
        private final long limit;
        private long remaining;

        /** A budget of {@code steps}, at most {@link #MAX_STEPS}. */
        public Budget(long steps) {
            this.limit = Math.max(0, Math.min(steps, MAX_STEPS));
            this.remaining = limit;
        }

        /** Steps taken so far (at most the limit). */
        public long used() {
            return limit - Math.max(0, remaining);
        }

        /** Whether this budget is smaller than the per-operation limit {@link #MAX_STEPS}. */
        public boolean reduced() {
            return limit < MAX_STEPS;
        }

        void charge(long steps) {
            remaining -= steps;
            if (remaining < 0) {
                throw StepLimitExceeded.INSTANCE;
            }
        }
    }

    /** Unwinds the regex engine when the budget is spent; shared and without a stack trace, so throwing is cheap. */
    private static final class StepLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final StepLimitExceeded INSTANCE = new StepLimitExceeded();

        private StepLimitExceeded() {
            super(null, null, false, false);
        }
    }

    /**
     * A view of {@code text[start, end)} charging the budget for every char read. Sub-sequences share the budget and
     * {@code toString} charges for each char it copies, so no way of reading the subject escapes the count.
     */
    private static final class GuardedSequence implements CharSequence {
        private final CharSequence text;
        private final int start;
        private final int end;
        private final Budget budget;

        GuardedSequence(CharSequence text, int start, int end, Budget budget) {
            this.text = text;
            this.start = start;
            this.end = end;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            Objects.checkIndex(index, end - start);
            budget.charge(1);
            return text.charAt(start + index);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            Objects.checkFromToIndex(from, to, end - start);
            return new GuardedSequence(text, start + from, start + to, budget);
        }

        @Override
        public String toString() {
            budget.charge(end - start);
            return text.subSequence(start, end).toString();
        }
    }

    /**
     * Upper bound on the pattern nodes java.util.regex visits between two reads of the subject, from a recursive
     * descent over the pattern (already validated by {@link Pattern#compile}). Measured on OpenJDK 17: an alternation
     * explores every alternative; a quantified group ({@code ?}, {@code *}, {@code {n,m}}, lazy or not) makes at
     * most one iteration that reads nothing, then exits; lookaround and atomic groups succeed at most once.
     */
    private static final class ZeroWidth {
        private static final int MAX_NESTING = 200;

        /**
         * Bounds for one sub-expression, as doubles since they may grow exponentially. {@code ways}: paths through it
         * that read nothing; {@code visits}: nodes visited exploring them from its start; {@code tail}: nodes visited
         * from just after a read inside it to its end without reading again; {@code exits}: paths doing the latter.
         */
        private record Cost(double ways, double visits, double tail, double exits) {
            static final Cost EMPTY = new Cost(1, 0, 0, 0);
            static final Cost READS = new Cost(0, 1, 0, 1);
            static final Cost ZERO_WIDTH = new Cost(1, 1, 0, 0);
            static final Cost MAYBE_READS = new Cost(1, 1, 0, 1); // backreference: empty if its group was

            Cost then(Cost next) {
                return new Cost(ways * next.ways, visits + ways * next.visits,
                        Math.max(tail + exits * next.visits, next.tail), Math.max(exits * next.ways, next.exits));
            }

            Cost or(Cost other) {
                return new Cost(ways + other.ways, visits + other.visits, Math.max(tail, other.tail),
                        Math.max(exits, other.exits));
            }

            /** Quantified: skip it, or one empty iteration; after a read inside, finish it and maybe go again. */
            Cost repeated() {
                return new Cost(ways + 1, visits + 1, tail + exits * (visits + 1), exits * (ways + 1));
            }

            /** A group node (one visit); {@code once}: lookaround or atomic, which backtrack into nothing. */
            Cost group(boolean once, boolean lookaround) {
                double w = lookaround ? 1 : once ? Math.min(ways, 1) : ways;
                return new Cost(w, visits + 1, tail, once ? Math.min(exits, 1) : exits);
            }
        }

        private final String re;
        private int pos;

        private ZeroWidth(String re) {
            this.re = re;
        }

        static double steps(String regex) throws RegexException {
            ZeroWidth z = new ZeroWidth(regex);
            Cost c = z.alternatives(0);
            if (z.pos != regex.length()) {
                throw z.unsupported();
            }
            return Math.max(c.visits, c.tail);
        }

        private Cost alternatives(int depth) throws RegexException {
            if (depth > MAX_NESTING) {
                throw new RegexException("regex nested deeper than " + MAX_NESTING + " groups");
            }
            Cost c = sequence(depth);
            while (peek('|')) {
                pos++;
                c = c.or(sequence(depth));
            }
            return c;
        }

        private Cost sequence(int depth) throws RegexException {
            Cost c = Cost.EMPTY;
            while (pos < re.length() && !peek('|') && !peek(')')) {
                Cost atom = atom(depth);
                while (quantifier()) {
                    atom = atom.repeated();
                }
                c = c.then(atom);
            }
            return c;
        }

        private Cost atom(int depth) throws RegexException {
            char c = re.charAt(pos++);
            switch (c) {
                case '(':
                    return group(depth);
                case '[':
                    skipClass();
                    return Cost.READS;
                case '\\':
                    return escape();
                case '^':
                case '$':
                    return Cost.ZERO_WIDTH;
                default:
                    return Cost.READS;
            }
        }

        private Cost group(int depth) throws RegexException {
            boolean once = false;
            boolean lookaround = false;
            if (peek('?')) {
                pos++;
                char kind = next();
                if (kind == '=' || kind == '!') {
                    lookaround = true;
                } else if (kind == '<' && (peek('=') || peek('!'))) {
                    pos++;
                    lookaround = true;
                } else if (kind == '<') {
                    skipPast('>'); // named group
                } else if (kind == '>') {
                    once = true;
                } else if (kind != ':') {
                    pos--;
                    if (flags()) {
                        return Cost.EMPTY; // (?i) alone: compiled into the following nodes, not a node itself
                    }
                }
            }
            Cost inner = alternatives(depth + 1);
            if (next() != ')') {
                throw unsupported();
            }
            return inner.group(once || lookaround, lookaround);
        }

        /** Inline flags up to ')' (returns true) or ':'; comments mode would change what the rest means. */
        private boolean flags() throws RegexException {
            boolean on = true;
            while (true) {
                char c = next();
                if (c == ')' || c == ':') {
                    return c == ')';
                } else if (c == '-') {
                    on = false;
                } else if (c == 'x' && on) {
                    throw new RegexException("regex comments mode (?x) is not supported");
                }
            }
        }

        private Cost escape() throws RegexException {
            char c = next();
            switch (c) {
                case 'Q': {
                    int end = re.indexOf("\\E", pos);
                    boolean empty = end == pos || pos == re.length();
                    pos = end < 0 ? re.length() : end + 2;
                    return empty ? Cost.ZERO_WIDTH : Cost.READS;
                }
                case 'b':
                    if (peek('{')) {
                        skipPast('}'); // \b{g}
                    }
                    return Cost.ZERO_WIDTH;
                case 'B':
                case 'A':
                case 'z':
                case 'Z':
                case 'G':
                    return Cost.ZERO_WIDTH;
                case 'p':
                case 'P':
                case 'x':
                case 'N':
                    if (peek('{')) {
                        skipPast('}');
                    }
                    return Cost.READS;
                case 'k':
                    skipPast('>');
                    return Cost.MAYBE_READS;
                case 'c':
                    next(); // control character: the next char is its name, not syntax
                    return Cost.READS;
                default:
                    return c >= '1' && c <= '9' ? Cost.MAYBE_READS : Cost.READS;
            }
        }

        /** Skips a character class after its '['; classes may nest, a leading ']' is literal. */
        private void skipClass() throws RegexException {
            int depth = 1;
            skipClassStart();
            while (depth > 0) {
                char c = next();
                if (c == '\\') {
                    char escaped = next();
                    if (escaped == 'Q') {
                        int end = re.indexOf("\\E", pos);
                        pos = end < 0 ? re.length() : end + 2;
                    } else if (escaped == 'c') {
                        next();
                    }
                } else if (c == '[') {
                    depth++;
                    skipClassStart();
                } else if (c == ']') {
                    depth--;
                }
            }
        }

        private void skipClassStart() {
            if (peek('^')) {
                pos++;
            }
            if (peek(']')) {
                pos++;
            }
        }

        private boolean quantifier() throws RegexException {
            if (peek('?') || peek('*') || peek('+')) {
                pos++;
            } else if (peek('{')) {
                skipPast('}');
            } else {
                return false;
            }
            if (peek('?') || peek('+')) {
                pos++; // lazy or possessive
            }
            return true;
        }

        private void skipPast(char c) throws RegexException {
            int i = re.indexOf(c, pos);
            if (i < 0) {
                throw unsupported();
            }
            pos = i + 1;
        }

        private boolean peek(char c) {
            return pos < re.length() && re.charAt(pos) == c;
        }

        private char next() throws RegexException {
            if (pos >= re.length()) {
                throw unsupported();
            }
            return re.charAt(pos++);
        }

        private RegexException unsupported() {
            return new RegexException("regex syntax not supported near index " + Math.min(pos, re.length()));
        }
    }
}
