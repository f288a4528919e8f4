package dev.riscvsandbox.abi;

import java.util.Set;

/**
 * The XPath 1.0 dialect the XML host calls accept, and a worst-case bound of the work evaluating an expression does
 * on a document of a known shape. Evaluation itself is the JDK's; this class only reads the expression.
 *
 * <h2>Why a bound</h2>
 * The JDK's XPath engine evaluates location paths without removing duplicates between steps, sorts results that come
 * out of document order by insertion, recounts the context list for every {@code last()} and compares node-sets pair
 * by pair. Its time is therefore not proportional to the document: {@code //*}{@code /descendant::*}{@code /ancestor::*}
 * is cubic on a deep document, {@code //x//b} and {@code //x/b} over nested {@code x} elements take minutes and
 * seconds on 10,000 nodes, {@code /r/a[last()]} is quadratic, and a predicate holding an absolute path multiplies the
 * document by itself. Charging per node would let
 * a 1 KiB expression buy minutes of host time for a few instructions, and the engine cannot be interrupted. So the
 * host reads the expression first and charges an upper bound of the work, computed from the document's
 * {@link Shape}: {@code N} nodes, the depth {@code D}, the largest number of children plus attributes of one node
 * {@code C}, and per element name the number of elements and the nodes and characters below them. A work unit is one
 * node visited; a character read, copied or compared is {@value #CHAR} of a unit.
 *
 * <h2>The model</h2>
 * An expression is evaluated for a multiset of context nodes: {@code K} evaluations in all, no node more than
 * {@code mu} times. A node-set result is bounded by its total size over all evaluations, the highest multiplicity of
 * one node in it, and its largest size in one evaluation. A step with a per-node fan-out {@code f} (self and parent
 * 1, child and sibling axes {@code C}, a named attribute 1, other attributes {@code C}, ancestors {@code D}, descendants
 * {@code N}) visits every context and every candidate; child and attribute steps preserve multiplicity (a node has one
 * parent), so their total is also at most {@code mu·N}, which keeps {@code //a[@id='x']} linear; descendant steps
 * multiply it by at most {@code D}. The node test then bounds the result by {@code mu} times the number of nodes it can
 * match (the elements of that name, say). Predicates are evaluated once per candidate, with the candidates as
 * contexts. A path whose nodes may come out of document order (a child step below elements that nest, reverse axes,
 * descendants of overlapping subtrees) pays for the engine's insertion sort: every node produced times the distinct
 * nodes of one evaluation; {@code //T} without positional predicates counts as the engine's single descendant walk.
 * Producing string values costs their nodes and characters, bounded per element name. Comparisons of two
 * node-sets pay for every pair; {@code last()} pays for its whole context list; substring searches pay the product of
 * the lengths. The bound is loose for exotic expressions (they may run out of budget) and close to the real work for
 * the common ones: a path with attribute and child predicates costs a few times {@code N}.
 *
 * <h2>What is refused</h2>
 * Expressions this class cannot bound or that need a context the host does not give: variables ({@code $x}),
 * namespace prefixes in names ({@code x:a}, {@code x:*}: documents are parsed without namespace processing, so
 * names match as written; use {@code *[name()='x:a']}), the {@code following}, {@code preceding} and
 * {@code namespace} axes, functions other than the XPath 1.0 core library, {@code id()}, expressions nested more than
 * {@value #MAX_NESTING} deep, and expressions whose result is not a node-set.
 */
final class XPathCost {
    /** Deepest nesting of parentheses, predicates and function arguments. */
    static final int MAX_NESTING = 32;
    /** Work units per character. */
    static final double CHAR = 0.125;
    /** Bounds are saturated here (about 2^60 work units): anything above cannot be paid anyway. */
    private static final double SATURATED = 1e18;

    /** The expression is not in the accepted dialect (or not XPath). */
    static final class InvalidXPath extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidXPath(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Elements of one name: how many, and the nodes and text characters below all of them together (what their
     * string values cost).
     */
    static final class Names {
        long count;
        long nodesBelow;
        long charsBelow;
        /** Whether one of these elements contains another. */
        boolean nested;
        long minDepth = Long.MAX_VALUE;
        long maxDepth;
    }

    /**
     * The shape of a document: upper bounds, exact right after parsing.
     *
     * @param nodes      every node: the document, elements, attributes, text, CDATA, comments, processing instructions
     * @param depth      ancestors of the deepest node, plus one
     * @param fanout     the most children plus attributes of one node (at least 1)
     * @param chars      characters of text, CDATA, comments, processing instructions and attribute values
     * @param nameLength the longest element or attribute name
     * @param elements   elements
     * @param attributes attributes
     * @param texts      text and CDATA nodes
     * @param others     comments and processing instructions
     * @param byName     elements by name
     * @param attributesByName attributes by name ({@link Names#charsBelow}: the characters of their values)
     *                         (null maps: every name may match every element or attribute)
     */
    record Shape(long nodes, long depth, long fanout, long chars, long nameLength, long elements, long attributes,
                 long texts, long others, java.util.Map<String, Names> byName,
                 java.util.Map<String, Names> attributesByName) {
    }

    private static final Set<String> AXES = Set.of("child", "attribute", "self", "parent", "descendant",
            "descendant-or-self", "ancestor", "ancestor-or-self", "following-sibling", "preceding-sibling");
    private static final Set<String> NODE_TYPES = Set.of("node", "text", "comment", "processing-instruction");

    // token kinds
    private static final int END = 0, LPAREN = 1, RPAREN = 2, LBRACK = 3, RBRACK = 4, DOT = 5, DOTDOT = 6, AT = 7,
            COMMA = 8, DCOLON = 9, SLASH = 10, DSLASH = 11, PIPE = 12, PLUS = 13, MINUS = 14, EQ = 15, NEQ = 16,
            LT = 17, LE = 18, GT = 19, GE = 20, MUL = 21, AND = 22, OR = 23, MOD = 24, DIV = 25, NAMETEST = 26,
            FUNCTION = 27, NODETYPE = 28, AXIS = 29, LITERAL = 30, NUMBER = 31;

    // value types
    private static final int NODESET = 0, STRING = 1, NUMBER_VALUE = 2, BOOLEAN = 3;

    private final String src;
    private final int[] kinds;
    private final String[] texts;
    private int count;
    private int pos;
    private int nesting;
    /** Calls of position() and last() so far, and whether the last predicate was a number (both positional). */
    private int positionalCalls;
    private boolean lastPredicateNumeric;
    private final Shape shape;
    private final double n;
    private final double d;
    private final double c;
    /** The most one string value costs: the document's, every node and character. */
    private final double tMax;
    /** What the string values of all elements cost together, and of all other nodes but the document. */
    private final double elementStrings;
    private final double leafStrings;
    private final double names;

    private XPathCost(String src, Shape s) {
        this.src = src;
        this.kinds = new int[src.length() + 1];
        this.texts = new String[src.length() + 1];
        this.shape = s;
        this.n = Math.max(1, s.nodes());
        this.d = Math.max(1, s.depth());
        this.c = Math.max(1, s.fanout());
        this.tMax = n + CHAR * s.chars();
        double elements = 0;
        if (s.byName() == null) {
            elements = d * tMax;
        } else {
            for (Names e : s.byName().values()) {
                elements += e.count + e.nodesBelow + CHAR * e.charsBelow;
            }
        }
        this.elementStrings = sat(elements);
        this.leafStrings = sat(s.attributes() + s.texts() + s.others() + CHAR * s.chars());
        this.names = 1 + CHAR * Math.max(1, s.nameLength());
    }

    /**
     * The worst-case work units of evaluating {@code expression} as a node-set with the document node as context,
     * including building the engine's view of the document ({@code N}) and handing over the result; at most about
     * 10^18.
     *
     * @throws InvalidXPath if the expression is not in the accepted dialect or its result is not a node-set
     */
    static double bound(String expression, Shape shape) throws InvalidXPath {
        XPathCost p = new XPathCost(expression, shape);
        p.tokenize();
        Val v = p.expr(new Ctx(1, 1, 1, p.tMax));
        if (p.kinds[p.pos] != END) {
            throw new InvalidXPath("unexpected '" + p.texts[p.pos] + "'");
        }
        if (v.type != NODESET) {
            throw new InvalidXPath("the expression does not select nodes");
        }
        return sat(v.work + p.n + 4 * v.total); // the engine's view of the document; the result list
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tokens (XPath 1.0, section 3.7, including its disambiguation rules)

    private void tokenize() throws InvalidXPath {
        int i = 0;
        int len = src.length();
        while (true) {
            while (i < len && isSpace(src.charAt(i))) {
                i++;
            }
            if (i >= len) {
                add(END, "end of expression");
                return;
            }
            char ch = src.charAt(i);
            switch (ch) {
                case '(' -> add(LPAREN, "(");
                case ')' -> add(RPAREN, ")");
                case '[' -> add(LBRACK, "[");
                case ']' -> add(RBRACK, "]");
                case '@' -> add(AT, "@");
                case ',' -> add(COMMA, ",");
                case '|' -> add(PIPE, "|");
                case '+' -> add(PLUS, "+");
                case '-' -> add(MINUS, "-");
                case '=' -> add(EQ, "=");
                case '$' -> throw new InvalidXPath("variables are not available");
                default -> {
                }
            }
            if (isSingle(ch)) {
                i++;
                continue;
            }
            if (ch == '!') {
                if (i + 1 < len && src.charAt(i + 1) == '=') {
                    add(NEQ, "!=");
                    i += 2;
                    continue;
                }
                throw new InvalidXPath("unexpected '!'");
            }
            if (ch == '<' || ch == '>') {
                boolean eq = i + 1 < len && src.charAt(i + 1) == '=';
                add(ch == '<' ? (eq ? LE : LT) : (eq ? GE : GT), eq ? ch + "=" : String.valueOf(ch));
                i += eq ? 2 : 1;
                continue;
            }
            if (ch == '/') {
                boolean dbl = i + 1 < len && src.charAt(i + 1) == '/';
                add(dbl ? DSLASH : SLASH, dbl ? "//" : "/");
                i += dbl ? 2 : 1;
                continue;
            }
            if (ch == ':') {
                if (i + 1 < len && src.charAt(i + 1) == ':') {
                    add(DCOLON, "::");
                    i += 2;
                    continue;
                }
                throw new InvalidXPath("namespace prefixes are not available");
            }
            if (ch == '"' || ch == '\'') {
                int end = src.indexOf(ch, i + 1);
                if (end < 0) {
                    throw new InvalidXPath("unterminated literal");
                }
                add(LITERAL, src.substring(i + 1, end));
                i = end + 1;
                continue;
            }
            if (ch == '.') {
                if (i + 1 < len && src.charAt(i + 1) == '.') {
                    add(DOTDOT, "..");
                    i += 2;
                    continue;
                }
                if (!(i + 1 < len && isDigit(src.charAt(i + 1)))) {
                    add(DOT, ".");
                    i++;
                    continue;
                }
            }
            if (isDigit(ch) || ch == '.') {
                int j = i;
                while (j < len && isDigit(src.charAt(j))) {
                    j++;
                }
                if (j < len && src.charAt(j) == '.') {
                    j++;
                    while (j < len && isDigit(src.charAt(j))) {
                        j++;
                    }
                }
                add(NUMBER, src.substring(i, j));
                i = j;
                continue;
            }
            boolean operatorPosition = operatorPosition();
            if (ch == '*') {
                add(operatorPosition ? MUL : NAMETEST, "*");
                i++;
                continue;
            }
            if (!isNameStart(ch)) {
                throw new InvalidXPath("unexpected character '" + ch + "'");
            }
            int j = i + 1;
            while (j < len && isNameChar(src.charAt(j))) {
                j++;
            }
            String name = src.substring(i, j);
            i = j;
            if (i < len && src.charAt(i) == ':' && !(i + 1 < len && src.charAt(i + 1) == ':')) {
                throw new InvalidXPath("namespace prefixes are not available: '" + name + ":'");
            }
            if (operatorPosition) {
                switch (name) {
                    case "and" -> add(AND, name);
                    case "or" -> add(OR, name);
                    case "mod" -> add(MOD, name);
                    case "div" -> add(DIV, name);
                    default -> throw new InvalidXPath("expected an operator, found '" + name + "'");
                }
                continue;
            }
            int k = i;
            while (k < len && isSpace(src.charAt(k))) {
                k++;
            }
            if (k < len && src.charAt(k) == '(') {
                add(NODE_TYPES.contains(name) ? NODETYPE : FUNCTION, name);
            } else if (k + 1 < len && src.charAt(k) == ':' && src.charAt(k + 1) == ':') {
                add(AXIS, name);
            } else {
                add(NAMETEST, name);
            }
        }
    }

    private static boolean isSingle(char ch) {
        return "()[]@,|+-=".indexOf(ch) >= 0;
    }

    /** Whether a '*' or a name here is an operator: the previous token ends an operand. */
    private boolean operatorPosition() {
        if (count == 0) {
            return false;
        }
        return switch (kinds[count - 1]) {
            case RPAREN, RBRACK, DOT, DOTDOT, NAMETEST, LITERAL, NUMBER -> true;
            default -> false;
        };
    }

    private void add(int kind, String text) {
        kinds[count] = kind;
        texts[count] = text;
        count++;
    }

    private static boolean isSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private static boolean isNameStart(char ch) {
        return ch == '_' || Character.isLetter(ch) || (ch >= 0xC0 && !Character.isWhitespace(ch) && ch != 0xD7
                && ch != 0xF7 && !Character.isISOControl(ch));
    }

    private static boolean isNameChar(char ch) {
        return isNameStart(ch) || isDigit(ch) || ch == '-' || ch == '.' || ch == 0xB7;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Grammar and cost

    /**
     * The contexts of an evaluation: {@code k} evaluations, no node more than {@code mu} times, context lists of at
     * most {@code f} nodes, and what the string values of all the nodes that can be contexts cost together.
     */
    private record Ctx(double k, double mu, double f, double strSum) {
    }

    /** A bound of an expression's value and the work computing it, over all evaluations of its context. */
    private static final class Val {
        int type;
        double work;
        // node-sets: total size over all evaluations, multiplicity, largest size in one evaluation, and what the string
        // values of every node the set may hold cost together
        double total;
        double mult;
        double per;
        double strSum;
        /** The distinct nodes the set can hold. */
        double distinct;
        // per evaluation: nodes come in document order (duplicates only adjacent), without duplicates, none is an
        // ancestor of another, all at the same depth
        boolean ordered;
        boolean unique;
        boolean antichain;
        boolean level;
        // strings: total length over all evaluations and longest in one evaluation, in work units
        double lenAgg;
        double lenMax;

        static Val of(int type, double work) {
            Val v = new Val();
            v.type = type;
            v.work = sat(work);
            return v;
        }

        static Val nodes(double work, double total, double mult, double per, double strSum) {
            Val v = of(NODESET, work);
            v.total = sat(total);
            v.mult = sat(Math.max(1, mult));
            v.per = sat(per);
            v.strSum = sat(strSum);
            return v;
        }

        /** One node per evaluation (the document, or the context node). */
        static Val single(double work, double k, double mult, double strSum) {
            Val v = nodes(work, k, mult, 1, strSum);
            v.distinct = 1;
            return v.flags(true, true, true, true);
        }

        Val flags(boolean ordered, boolean unique, boolean antichain, boolean level) {
            this.ordered = ordered;
            this.unique = unique;
            this.antichain = antichain;
            this.level = level;
            return this;
        }

        static Val string(double work, double lenAgg, double lenMax) {
            Val v = of(STRING, work);
            v.lenAgg = sat(lenAgg);
            v.lenMax = sat(lenMax);
            return v;
        }
    }

    private static double sat(double v) {
        return v > SATURATED || Double.isNaN(v) ? SATURATED : v;
    }

    private int peek() {
        return kinds[pos];
    }

    private boolean accept(int kind) {
        if (kinds[pos] == kind) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(int kind, String what) throws InvalidXPath {
        if (!accept(kind)) {
            throw new InvalidXPath("expected " + what + ", found '" + texts[pos] + "'");
        }
    }

    private void enter() throws InvalidXPath {
        if (++nesting > MAX_NESTING) {
            throw new InvalidXPath("nested more than " + MAX_NESTING + " deep");
        }
    }

    /** The context nodes of {@code x} as a node-set. */
    private Val contextNodes(Ctx x, double work) {
        return Val.single(work, x.k, x.mu, x.strSum);
    }

    private Val expr(Ctx x) throws InvalidXPath {
        Val v = and(x);
        while (accept(OR)) {
            v = Val.of(BOOLEAN, v.work + and(x).work + x.k);
        }
        return v;
    }

    private Val and(Ctx x) throws InvalidXPath {
        Val v = equality(x);
        while (accept(AND)) {
            v = Val.of(BOOLEAN, v.work + equality(x).work + x.k);
        }
        return v;
    }

    private Val equality(Ctx x) throws InvalidXPath {
        Val v = relational(x);
        while (peek() == EQ || peek() == NEQ) {
            pos++;
            v = compare(x, v, relational(x));
        }
        return v;
    }

    private Val relational(Ctx x) throws InvalidXPath {
        Val v = additive(x);
        while (peek() == LT || peek() == LE || peek() == GT || peek() == GE) {
            pos++;
            v = compare(x, v, additive(x));
        }
        return v;
    }

    private Val additive(Ctx x) throws InvalidXPath {
        Val v = multiplicative(x);
        while (peek() == PLUS || peek() == MINUS) {
            pos++;
            v = arithmetic(x, v, multiplicative(x));
        }
        return v;
    }

    private Val multiplicative(Ctx x) throws InvalidXPath {
        Val v = unary(x);
        while (peek() == MUL || peek() == DIV || peek() == MOD) {
            pos++;
            v = arithmetic(x, v, unary(x));
        }
        return v;
    }

    private Val unary(Ctx x) throws InvalidXPath {
        int minus = 0;
        while (accept(MINUS)) {
            minus++;
        }
        Val v = union(x);
        return minus == 0 ? v : Val.of(NUMBER_VALUE, v.work + toNumber(x, v) + x.k);
    }

    private Val union(Ctx x) throws InvalidXPath {
        Val v = path(x);
        while (accept(PIPE)) {
            Val r = path(x);
            if (v.type != NODESET || r.type != NODESET) {
                throw new InvalidXPath("'|' joins node-sets only");
            }
            double total = v.total + r.total;
            // each side is sorted on its own (charged at its end), then merged in document order
            v = Val.nodes(v.work + r.work + total, total, v.mult + r.mult, v.per + r.per, v.strSum + r.strSum)
                    .flags(true, true, false, false);
            v.distinct = v.per;
        }
        return v;
    }

    private Val path(Ctx x) throws InvalidXPath {
        int k = peek();
        if (k == SLASH || k == DSLASH) {
            pos++;
            Val root = Val.single(x.k, x.k, x.k, tMax); // the document node, once per evaluation
            if (k == DSLASH) {
                return steps(descendantOrSelf(root), root);
            }
            return startsStep(peek()) ? steps(root) : root;
        }
        if (startsStep(k)) {
            return steps(contextNodes(x, 0));
        }
        Val v = filter(x);
        if (peek() == SLASH || peek() == DSLASH) {
            if (v.type != NODESET) {
                throw new InvalidXPath("a path can only continue from a node-set");
            }
            v.ordered = true; // a node-set value is sorted, without duplicates
            v.unique = true;
            if (accept(DSLASH)) {
                return steps(descendantOrSelf(v), v);
            }
            pos++;
            return steps(v);
        }
        return v;
    }

    private static boolean startsStep(int k) {
        return k == NAMETEST || k == AXIS || k == AT || k == DOT || k == DOTDOT || k == NODETYPE;
    }

    /** One step, then more after '/' or '//'; the result sorted. */
    private Val steps(Val cur) throws InvalidXPath {
        return steps(cur, null);
    }

    /** Steps; {@code beforeDoubleSlash}: the set before a '//' that {@code cur} is the descendants of. */
    private Val steps(Val cur, Val beforeDoubleSlash) throws InvalidXPath {
        cur = step(cur, beforeDoubleSlash);
        while (true) {
            if (accept(SLASH)) {
                cur = step(cur, null);
            } else if (accept(DSLASH)) {
                cur = step(descendantOrSelf(cur), cur);
            } else {
                return sorted(cur);
            }
        }
    }

    /**
     * The engine sorts a path's result by insertion, scanning back from the end for each node, unless the nodes
     * already come in document order: up to the distinct nodes of one evaluation for each node produced.
     */
    private Val sorted(Val v) {
        if (!v.ordered) {
            v.work = sat(v.work + v.total * Math.min(v.per, Math.max(1, v.distinct)));
            v.ordered = true;
            v.unique = true;
        }
        return v;
    }

    // node tests
    private static final int TEST_NAME = 0, TEST_ANY = 1, TEST_TEXT = 2, TEST_OTHER = 3, TEST_NODE = 4;

    private Val descendantOrSelf(Val cur) {
        return axis(cur, "descendant-or-self", TEST_NODE, null);
    }

    private Val step(Val cur, Val beforeDoubleSlash) throws InvalidXPath {
        if (accept(DOT)) {
            return axis(cur, "self", TEST_NODE, null);
        }
        if (accept(DOTDOT)) {
            return axis(cur, "parent", TEST_NODE, null);
        }
        boolean explicitAxis = peek() == AXIS || peek() == AT;
        String axis = "child";
        if (accept(AT)) {
            axis = "attribute";
        } else if (peek() == AXIS) {
            axis = texts[pos++];
            if (!AXES.contains(axis)) {
                throw new InvalidXPath("the " + axis + " axis is not available");
            }
            expect(DCOLON, "'::'");
        }
        int test;
        String name = null;
        if (peek() == NAMETEST) {
            name = texts[pos++];
            test = name.equals("*") ? TEST_ANY : TEST_NAME;
        } else if (peek() == NODETYPE) {
            String type = texts[pos++];
            expect(LPAREN, "'('");
            if (type.equals("processing-instruction")) {
                accept(LITERAL);
            }
            expect(RPAREN, "')'");
            test = switch (type) {
                case "node" -> TEST_NODE;
                case "text" -> TEST_TEXT;
                default -> TEST_OTHER;
            };
        } else {
            throw new InvalidXPath("expected a node test, found '" + texts[pos] + "'");
        }
        Val next = axis(cur, axis, test, name);
        double list = Math.min(fanout(axis, test), Math.max(1, matches(axis, test, name)));
        int positional = positionalCalls;
        boolean numeric = false;
        while (peek() == LBRACK) {
            next = predicate(next, list);
            numeric |= lastPredicateNumeric;
        }
        if (beforeDoubleSlash != null && axis.equals("child") && !explicitAxis && positionalCalls == positional
                && !numeric) {
            // '//T' without positional predicates: the engine walks the descendants of the set before '//' instead
            Val b = beforeDoubleSlash;
            boolean ordered = b.ordered && b.unique && b.antichain;
            boolean level = sameDepth(test, name);
            next.flags(ordered, ordered, ordered && (nestFree(test, name) || level), level);
        }
        return next;
    }

    /** Whether no node a test on the child or descendant axis matches contains another. */
    private boolean nestFree(int test, String name) {
        return switch (test) {
            case TEST_NAME -> {
                Names e = shape.byName() == null ? null : shape.byName().get(name);
                yield shape.byName() != null && (e == null || !e.nested);
            }
            case TEST_TEXT, TEST_OTHER -> true;
            default -> false;
        };
    }

    /** Whether every element a name test matches is at the same depth. */
    private boolean sameDepth(int test, String name) {
        if (test != TEST_NAME || shape.byName() == null) {
            return false;
        }
        Names e = shape.byName().get(name);
        return e == null || e.minDepth == e.maxDepth;
    }

    /** Candidates one context node yields on an axis. */
    private double fanout(String axis, int test) {
        return switch (axis) {
            case "self", "parent" -> 1;
            case "attribute" -> test == TEST_NAME ? 1 : c;
            case "ancestor", "ancestor-or-self" -> d;
            case "descendant", "descendant-or-self" -> n;
            default -> c; // child, following-sibling, preceding-sibling
        };
    }

    /** How many distinct nodes of the document a node test on an axis can match. */
    private double matches(String axis, int test, String name) {
        if (axis.equals("attribute")) {
            return switch (test) {
                case TEST_NAME -> {
                    if (shape.attributesByName() == null) {
                        yield shape.attributes();
                    }
                    Names a = shape.attributesByName().get(name);
                    yield a == null ? 0 : a.count;
                }
                case TEST_ANY, TEST_NODE -> shape.attributes();
                default -> 0;
            };
        }
        return switch (test) {
            case TEST_NAME -> {
                if (shape.byName() == null) {
                    yield shape.elements();
                }
                Names e = shape.byName().get(name);
                yield e == null ? 0 : e.count;
            }
            case TEST_ANY -> shape.elements();
            case TEST_TEXT -> shape.texts();
            case TEST_OTHER -> shape.others();
            default -> n;
        };
    }

    /** What the string values of all the nodes a node test can match cost together. */
    private double strings(String axis, int test, String name) {
        if (axis.equals("attribute")) {
            if (test == TEST_NAME && shape.attributesByName() != null) {
                Names a = shape.attributesByName().get(name);
                return a == null ? 0 : a.count + CHAR * a.charsBelow;
            }
            return leafStrings;
        }
        return switch (test) {
            case TEST_NAME -> {
                if (shape.byName() == null) {
                    yield elementStrings;
                }
                Names e = shape.byName().get(name);
                yield e == null ? 0 : e.count + e.nodesBelow + CHAR * e.charsBelow;
            }
            case TEST_ANY -> elementStrings;
            case TEST_TEXT, TEST_OTHER -> leafStrings;
            default -> elementStrings + leafStrings + tMax;
        };
    }

    /** The bound after applying an axis and a node test to every node of {@code cur}. */
    private Val axis(Val cur, String axis, int test, String name) {
        double f = fanout(axis, test);
        double raw;
        double mult;
        switch (axis) {
            case "self" -> {
                raw = cur.total;
                mult = cur.mult;
            }
            case "parent" -> {
                raw = cur.total;
                mult = Math.min(cur.total, cur.mult * c);
            }
            case "child", "attribute" -> {
                raw = Math.min(cur.total * f, cur.mult * n);
                mult = cur.mult;
            }
            case "descendant", "descendant-or-self" -> {
                raw = Math.min(cur.total * n, cur.mult * d * n);
                mult = Math.min(cur.total, cur.mult * d);
            }
            case "ancestor", "ancestor-or-self" -> {
                raw = cur.total * d;
                mult = Math.min(cur.total, cur.mult * n);
            }
            default -> { // siblings
                raw = cur.total * c;
                mult = Math.min(cur.total, cur.mult * c);
            }
        }
        raw = sat(raw);
        mult = Math.max(1, mult);
        double matches = matches(axis, test, name);
        double total = Math.min(raw, mult * matches);
        double strSum = axis.equals("self") && test == TEST_NODE ? cur.strSum : strings(axis, test, name);
        double work = cur.work + cur.total + raw + total; // every context, every candidate tested, every match kept
        Val v = Val.nodes(work, total, mult, Math.min(total, cur.per * f), strSum);
        v.distinct = axis.equals("self") && test == TEST_NODE ? cur.distinct : matches;
        // the order the engine produces them in, one evaluation at a time
        boolean sorted = cur.ordered && cur.unique;
        boolean level = sameDepth(test, name);
        switch (axis) {
            case "self" -> v.flags(cur.ordered, cur.unique, cur.antichain, cur.level);
            // children of nodes in document order are in document order if the nodes are disjoint subtrees, or if
            // only one depth can match (their parents are then disjoint too)
            case "child" -> v.flags(sorted && (cur.antichain || level), cur.unique, cur.antichain || level,
                    cur.level || level);
            // an element's attributes come right after it
            case "attribute" -> v.flags(sorted, cur.unique, true, cur.level);
            case "descendant", "descendant-or-self" -> {
                boolean disjoint = sorted && cur.antichain; // subtrees that do not overlap, in document order
                boolean own = axis.equals("descendant") || test != TEST_NODE; // the context itself is not a match
                v.flags(disjoint, disjoint, disjoint && own && (nestFree(test, name) || level), level);
            }
            // parents of nodes at one depth, in document order: in document order, duplicates adjacent
            case "parent" -> v.flags(cur.ordered && cur.level, cur.per <= 1, cur.level, cur.level);
            case "following-sibling" -> v.flags(cur.per <= 1, cur.per <= 1, cur.per <= 1 || cur.level, cur.level);
            default -> v.flags(false, false, false, false); // reverse axes: ancestors, preceding siblings
        }
        return v;
    }

    /** {@code [expr]} over the candidates of {@code set}; context lists of at most {@code listSize}. */
    private Val predicate(Val set, double listSize) throws InvalidXPath {
        expect(LBRACK, "'['");
        enter();
        Val p = expr(new Ctx(set.total, set.mult, Math.min(listSize, set.total), set.strSum));
        nesting--;
        expect(RBRACK, "']'");
        lastPredicateNumeric = p.type == NUMBER_VALUE;
        Val v = Val.nodes(set.work + p.work + set.total, set.total, set.mult, set.per, set.strSum)
                .flags(set.ordered, set.unique, set.antichain, set.level);
        v.distinct = set.distinct;
        return v;
    }

    private Val filter(Ctx x) throws InvalidXPath {
        Val v = primary(x);
        while (peek() == LBRACK) {
            if (v.type != NODESET) {
                throw new InvalidXPath("predicates apply to node-sets only");
            }
            v = predicate(v, v.per);
        }
        return v;
    }

    private Val primary(Ctx x) throws InvalidXPath {
        int k = peek();
        if (accept(LPAREN)) {
            enter();
            Val v = expr(x);
            nesting--;
            expect(RPAREN, "')'");
            return v;
        }
        if (k == LITERAL) {
            double length = CHAR * texts[pos++].length();
            return Val.string(x.k, x.k * length, length);
        }
        if (k == NUMBER) {
            pos++;
            return Val.of(NUMBER_VALUE, x.k);
        }
        if (k == FUNCTION) {
            return function(x);
        }
        throw new InvalidXPath("unexpected '" + texts[pos] + "'");
    }

    private Val function(Ctx x) throws InvalidXPath {
        String name = texts[pos++];
        expect(LPAREN, "'('");
        enter();
        java.util.List<Val> args = new java.util.ArrayList<>(3);
        if (peek() != RPAREN) {
            args.add(expr(x));
            while (accept(COMMA)) {
                args.add(expr(x));
            }
        }
        nesting--;
        expect(RPAREN, "')'");
        double work = x.k;
        for (Val a : args) {
            work += a.work;
        }
        Val a0 = args.isEmpty() ? contextNodes(x, 0) : args.get(0);
        switch (name) {
            case "last":
                positionalCalls++;
                return Val.of(NUMBER_VALUE, work + x.k * x.f); // the engine counts the context list each time
            case "position":
                positionalCalls++;
                return Val.of(NUMBER_VALUE, work);
            case "true", "false":
                return Val.of(name.equals("position") ? NUMBER_VALUE : BOOLEAN, work);
            case "count":
                return Val.of(NUMBER_VALUE, work + nodeSet(a0, name).total);
            case "local-name", "name", "namespace-uri":
                nodeSet(a0, name);
                return Val.string(work + x.k * names, x.k * names, names);
            case "string", "normalize-space", "substring": {
                double[] s = stringOf(x, a0);
                for (int i = 1; i < args.size(); i++) {
                    work += toNumber(x, args.get(i));
                }
                return Val.string(work + s[0] * (name.equals("string") ? 1 : 2), s[0], s[1]);
            }
            case "string-length":
                return Val.of(NUMBER_VALUE, work + stringOf(x, a0)[0]);
            case "concat": {
                double agg = 0;
                double max = 0;
                for (Val a : args) {
                    double[] s = stringOf(x, a);
                    agg += s[0];
                    max += s[1];
                }
                return Val.string(work + 2 * agg, agg, max);
            }
            case "starts-with", "contains", "substring-before", "substring-after", "translate": {
                arity(name, args, 2);
                double[] a = stringOf(x, args.get(0));
                double[] b = stringOf(x, args.get(1));
                double extra = 0;
                for (int i = 2; i < args.size(); i++) {
                    extra += stringOf(x, args.get(i))[0];
                }
                // naive substring search and translate's lookups: the product of the lengths in characters
                double search = Math.min(a[0] * b[1], a[1] * b[0]) / CHAR;
                work += a[0] + b[0] + extra + search;
                if (name.equals("starts-with") || name.equals("contains")) {
                    return Val.of(BOOLEAN, work);
                }
                return Val.string(work + a[0], a[0], a[1]);
            }
            case "boolean", "not":
                arity(name, args, 1);
                return Val.of(BOOLEAN, work + x.k);
            case "number":
                return Val.of(NUMBER_VALUE, work + toNumber(x, a0));
            case "sum":
                return Val.of(NUMBER_VALUE, work + strings(nodeSet(a0, name)) + nodeSet(a0, name).total);
            case "floor", "ceiling", "round":
                arity(name, args, 1);
                return Val.of(NUMBER_VALUE, work + toNumber(x, a0));
            case "lang":
                arity(name, args, 1);
                return Val.of(BOOLEAN, work + stringOf(x, a0)[0] + x.k * d);
            default:
                throw new InvalidXPath("function " + name + "() is not available");
        }
    }

    private static void arity(String name, java.util.List<Val> args, int min) throws InvalidXPath {
        if (args.size() < min) {
            throw new InvalidXPath(name + "() needs " + min + " argument" + (min > 1 ? "s" : ""));
        }
    }

    private static Val nodeSet(Val v, String function) throws InvalidXPath {
        if (v.type != NODESET) {
            throw new InvalidXPath(function + "() takes a node-set");
        }
        return v;
    }

    /** What the string values of every node of {@code v}, over all evaluations, cost together. */
    private double strings(Val v) {
        return sat(Math.min(v.total * tMax, v.mult * v.strSum));
    }

    /** {total length, longest} (in work units) of {@code v} converted to a string in every evaluation. */
    private double[] stringOf(Ctx x, Val v) {
        return switch (v.type) {
            case NODESET -> new double[] {sat(Math.min(x.k * tMax, strings(v))), tMax}; // the first node's value
            case STRING -> new double[] {v.lenAgg, v.lenMax};
            case NUMBER_VALUE -> new double[] {x.k * 24 * CHAR, 24 * CHAR};
            default -> new double[] {x.k * 5 * CHAR, 5 * CHAR};
        };
    }

    private double toNumber(Ctx x, Val v) {
        return stringOf(x, v)[0] + x.k;
    }

    private Val compare(Ctx x, Val a, Val b) {
        double work = a.work + b.work + x.k;
        if (a.type == NODESET && b.type == NODESET) {
            double pairs = Math.min(a.total * b.per, a.per * b.total);
            double chars = Math.min(strings(a) * b.per, strings(b) * a.per);
            work += strings(a) + strings(b) + pairs + chars;
        } else if (a.type == NODESET || b.type == NODESET) {
            Val ns = a.type == NODESET ? a : b;
            Val other = a.type == NODESET ? b : a;
            work += strings(ns) + ns.total + (other.type == BOOLEAN ? 0 : stringOf(x, other)[0]);
        } else {
            work += stringOf(x, a)[0] + stringOf(x, b)[0];
        }
        return Val.of(BOOLEAN, work);
    }

    private Val arithmetic(Ctx x, Val a, Val b) {
        return Val.of(NUMBER_VALUE, a.work + b.work + toNumber(x, a) + toNumber(x, b));
    }
}
