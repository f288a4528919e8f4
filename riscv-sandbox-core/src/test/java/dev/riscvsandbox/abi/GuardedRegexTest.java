package dev.riscvsandbox.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.abi.GuardedRegex.Cache;
import dev.riscvsandbox.abi.GuardedRegex.RegexException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedRegexTest {
    static final Duration QUICK = Duration.ofSeconds(2);

    static boolean find(String regex, String subject) throws RegexException {
        return GuardedRegex.find(GuardedRegex.compile(regex), subject);
    }

    static String replace(String regex, String subject, String replacement, boolean all) throws RegexException {
        return GuardedRegex.replace(GuardedRegex.compile(regex), subject, replacement, all, 1000);
    }

    static String compileError(String regex) {
        return assertThrows(RegexException.class, () -> GuardedRegex.compile(regex)).getMessage();
    }

    @Test
    void findsMatchesAnywhere() throws Exception {
        assertTrue(find("b+", "abbbc"));
        assertFalse(find("x", "abc"));
        assertTrue(find("", ""));
        assertTrue(find("^/api/v[0-9]+/", "/api/v2/users"));
        assertFalse(find("^/api/", "/v1/api/"));
        assertTrue(find("\\.(css|js)$", "/static/app.js"));
        assertFalse(find("\\.(css|js)$", "/static/app.json"));
        assertTrue(find("(?i)^mozilla", "MOZILLA/5.0"));
        assertFalse(find("^mozilla", "MOZILLA/5.0"));
        assertTrue(find("(\\w+)=\\1", "x abc=abc"));
    }

    @Test
    void replacesFirstOrAllWithGroupReferences() throws Exception {
        assertEquals("X-b-c", replace("[a-c]", "a-b-c", "X", false));
        assertEquals("X-X-X", replace("[a-c]", "a-b-c", "X", true));
        assertEquals("v=k; 1=v", replace("(\\w+)=(\\w+)", "k=v; 1=v", "\\2=\\1", false));
        assertEquals("v=k; v=1", replace("(\\w+)=(\\w+)", "k=v; 1=v", "\\2=\\1", true));
        assertEquals("<ab>c", replace("ab", "abc", "<\\0>", false));
        assertEquals("no match", replace("x", "no match", "y", true));
        // empty matches, as Matcher.replaceAll: between every char
        assertEquals("-a-b-", replace("", "ab", "-", true));
    }

    @Test
    void replacementSyntaxIsVarnishLike() throws Exception {
        assertEquals("\\", replace("a", "a", "\\\\", false));
        assertEquals("$1 \\x \\", replace("a", "a", "$1 \\x \\", false));
        // a group that does not exist or did not take part inserts nothing
        assertEquals("[][]", replace("a(b)?", "a", "[\\1][\\7]", false));
        assertEquals("\\1", replace("a", "a", "\\\\1", false));
    }

    @Test
    void replaceResultIsCapped() throws Exception {
        Pattern p = GuardedRegex.compile("a");
        assertEquals("bbbb", GuardedRegex.replace(p, "aaaa", "b", true, 4));
        RegexException e = assertThrows(RegexException.class,
                () -> GuardedRegex.replace(p, "aaaa", "bb", true, 7));
        assertTrue(e.getMessage().contains("longer than 7"), e.getMessage());
        assertThrows(RegexException.class, () -> GuardedRegex.replace(p, "xaaaa", "", true, 0));
        assertThrows(IllegalArgumentException.class, () -> GuardedRegex.replace(p, "a", "", true, -1));
    }

    @Test
    void javaMemoizesTheClassicCatastrophicPattern() {
        // (a+)+$ is exponential in PCRE and in Java 8; since Java 9 the engine memoizes it and answers quickly
        assertTimeoutPreemptively(QUICK, () -> assertFalse(find("(a+)+$", "a".repeat(40) + "!")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a|a){1,40}$", "(a|aa)+?$", "(a+)+\\1$", "(.*a){25}", "(a+){2,40}$", "^(\\w+\\s?)*?$"})
    void catastrophicBacktrackingStopsAtTheStepLimit(String regex) {
        String subject = "a".repeat(40) + "!";
        RegexException e = assertTimeoutPreemptively(QUICK,
                () -> assertThrows(RegexException.class, () -> find(regex, subject)));
        assertEquals("regex exceeded 1000000 steps", e.getMessage());
        assertTimeoutPreemptively(QUICK,
                () -> assertThrows(RegexException.class, () -> replace(regex, subject, "x", true)));
    }

    @Test
    void stepLimitCoversTheWholeReplaceOperation() throws Exception {
        Pattern p = GuardedRegex.compile("a");
        String subject = "a".repeat(600_000);
        assertTrue(GuardedRegex.find(p, subject));
        // each find reads once, but together they exceed the budget; so does a large subject scanned once
        assertThrows(RegexException.class, () -> GuardedRegex.replace(p, subject + subject, "", true, 10));
        assertThrows(RegexException.class, () -> GuardedRegex.find(GuardedRegex.compile("x"), subject + subject));
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 40, 300})
    void zeroWidthBacktrackingIsRefusedAtCompileTime(int n) {
        // these never read the subject, so the step counter alone would not stop them: 2^n paths at each position
        assertTimeoutPreemptively(QUICK, () -> {
            assertTrue(compileError("(|)".repeat(n) + "(?!)").startsWith("regex too ambiguous"));
            compileError("a" + "(?:|)".repeat(n) + "\\z");
            compileError("(?=" + "(a?)?".repeat(n) + "(?!))");
        });
    }

    @Test
    void longAlternationsAreRefusedButTypicalPatternsAreNot() throws Exception {
        compileError(String.join("|", Collections.nCopies(300, "ab")));
        for (String regex : List.of(
                String.join("|", Collections.nCopies(200, "ab")),
                "^(GET|POST|PUT|DELETE)\\s+(/[a-z]+|/)(\\?.*)?\\s+HTTP/(1\\.0|1\\.1|2)$",
                "^\\s*(\\w+)\\s*=\\s*\"?([^\"]*)\"?\\s*;?\\s*$",
                "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+"
                        + "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
                "(a?)?(b?)?(c?)?(d?)?(e?)?", "(?<year>\\d{4})-(?<m>\\d\\d)-\\k<m>", "[]a(|)]x[^]|]\\Q(|)(|)(|)\\E",
                "\\p{Lu}\\x{41}{2}\\b{g}(?i-s:a)(?<=x)(?<!y)(?>z)a++b*?c{2,}+")) {
            GuardedRegex.compile(regex);
        }
    }

    @Test
    void badPatternsAreRefusedWithTheReason() {
        String invalid = compileError("(a");
        assertTrue(invalid.startsWith("invalid regex: Unclosed group"), invalid);
        assertTrue(compileError("a{2,1}").startsWith("invalid regex:"));
        assertEquals("regex longer than 4096 characters", compileError("a".repeat(4097)));
        assertTrue(compileError("(?x) a # comment").contains("comments mode"));
        assertEquals("regex nested deeper than 200 groups", compileError("(".repeat(300) + "a" + ")".repeat(300)));
        // deeper still, java.util.regex itself runs out of stack (reported as a syntax error)
        compileError("(".repeat(2000) + "a" + ")".repeat(2000));
    }

    @Test
    void deepRecursionInTheEngineIsReported() throws Exception {
        Pattern p = GuardedRegex.compile("(?:a|b)*c");
        RegexException e = assertThrows(RegexException.class, () -> GuardedRegex.find(p, "ab".repeat(200_000)));
        assertTrue(e.getMessage().contains("recursion"), e.getMessage());
    }

    @Test
    void cacheReturnsTheSamePatternAndStaysBounded() throws Exception {
        Cache cache = new Cache(2);
        Pattern a = cache.compile("a+");
        assertSame(a, cache.compile("a+"));
        cache.compile("b+");
        Pattern c = cache.compile("c+");
        assertEquals("c+", c.pattern());
        assertEquals(2, cache.size());
        // past the bound, patterns still compile but are not kept
        assertTrue(c != cache.compile("c+"));
        assertSame(a, cache.compile("a+"));
        assertThrows(RegexException.class, () -> cache.compile("("));
        assertEquals(2, cache.size());
    }

    @Test
    void cacheDoesNotKeepFailedCompiles() {
        Cache cache = new Cache(4);
        assertThrows(RegexException.class, () -> cache.compile("["));
        assertThrows(RegexException.class, () -> cache.compile("["));
        assertEquals(0, cache.size());
    }

    @Test
    void cacheIsThreadSafe() throws Exception {
        Cache cache = new Cache(16);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Set<Pattern>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    Set<Pattern> seen = Collections.newSetFromMap(new ConcurrentHashMap<>());
                    for (int i = 0; i < 1000; i++) {
                        Pattern p = cache.compile("(\\w+)@example\\.com");
                        seen.add(p);
                        assertTrue(GuardedRegex.find(p, "mail bob@example.com"));
                        cache.compile("x" + (i % 40)); // more patterns than the cache holds
                    }
                    return seen;
                }));
            }
            start.countDown();
            Set<Pattern> all = new java.util.HashSet<>();
            for (Future<Set<Pattern>> f : results) {
                all.addAll(f.get());
            }
            assertEquals(1, all.size(), "every thread got the same cached instance");
            assertEquals(16, cache.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
