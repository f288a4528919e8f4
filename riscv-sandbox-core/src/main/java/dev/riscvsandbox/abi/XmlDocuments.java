package dev.riscvsandbox.abi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML documents of one VM (host calls 542–548): at most {@value #MAX_DOCUMENTS}, parsed by the JDK's own parser
 * with every external or expanding feature off, queried with the JDK's XPath engine (no functions or variables from
 * the host) and serialized by its identity transformer. Documents belong to one request: {@link #clear()} drops them
 * when the VM is reset. The parser, XPath object and transformer are created once per VM and reused (none is
 * thread-safe; a VM serves one request at a time).
 */
final class XmlDocuments {
    /** Documents one VM may hold at once. */
    static final int MAX_DOCUMENTS = 4;
    /** Largest document parsed. */
    static final int MAX_DOCUMENT = 4 << 20;
    /** Largest serialized document. */
    static final int MAX_OUTPUT = 16 << 20;
    /** Deepest element nesting the parser accepts. */
    static final int MAX_DEPTH = 256;
    /**
     * Host heap a document takes, estimated per node and per character (measured with the JDK 17 DOM: 88 bytes per
     * node for a DASH manifest, 116 for a document of empty elements with one attribute, both including the text).
     */
    static final long BYTES_PER_NODE = 96, BYTES_PER_CHAR = 2;

    private static final DocumentBuilderFactory PARSERS = parsers();
    private static final XPathFactory XPATHS = xpaths();
    private static final TransformerFactory SERIALIZERS = serializers();

    /** Pays for host work in work units; throws (ending the hook) if it cannot. */
    interface Meter {
        void pay(long units);
    }

    /** A parsed document, its shape (for billing XPath) and its last serialization. */
    static final class Doc {
        final Document dom;
        /** Whether the parsed text started with an XML declaration (serialization writes one then). */
        final boolean declaration;
        /** The shape, or null after an edit until it is measured again. */
        XPathCost.Shape shape;
        /** An upper bound of the document's nodes, also after edits. */
        long nodes;
        /** The host heap it is estimated to take, with its cached serialization. */
        long footprint;
        /** The last serialization, until the next edit. */
        byte[] serialized;

        Doc(Document dom, boolean declaration) {
            this.dom = dom;
            this.declaration = declaration;
        }

    }

    private final Doc[] docs = new Doc[MAX_DOCUMENTS];
    /** The estimated host heap all documents take together. */
    private long held;
    private DocumentBuilder builder;
    private XPath xpath;
    private Transformer transformer;

    /** Drops every document (the tools are kept for the VM's next request). */
    void clear() {
        for (int i = 0; i < docs.length; i++) {
            if (docs[i] != null) { // only what a request used: the unused array stays clean in other cores' caches
                docs[i] = null;
            }
        }
        if (held != 0) {
            held = 0;
        }
    }

    /** The estimated host heap the documents take. */
    long held() {
        return held;
    }

    boolean full() {
        for (Doc d : docs) {
            if (d == null) {
                return false;
            }
        }
        return true;
    }

    /** Stores a document in the lowest free slot; returns its handle. */
    int add(Doc d) {
        for (int i = 0; i < MAX_DOCUMENTS; i++) {
            if (docs[i] == null) {
                docs[i] = d;
                held = saturatedAdd(held, d.footprint);
                return i;
            }
        }
        throw new IllegalStateException("no free document slot");
    }

    /** The document with this handle, or null. */
    Doc get(long handle) {
        return handle >= 0 && handle < MAX_DOCUMENTS ? docs[(int) handle] : null;
    }

    /** Frees a slot; whether it held a document. */
    boolean free(int handle) {
        Doc d = docs[handle];
        docs[handle] = null;
        if (d != null) {
            held -= d.footprint;
        }
        return d != null;
    }

    /**
     * Records an edit of up to {@code elements} elements, each gaining at most one node, with a new string of
     * {@code length} characters (shared by all of them): the shape must be measured again, the serialization is stale.
     */
    void edited(Doc d, long elements, long length) {
        long grown = saturatedAdd(multiplySaturated(elements, BYTES_PER_NODE), multiplySaturated(length, BYTES_PER_CHAR));
        if (d.serialized != null) {
            grown -= d.serialized.length;
            d.serialized = null;
        }
        d.shape = null;
        d.nodes = saturatedAdd(d.nodes, elements);
        d.footprint = saturatedAdd(d.footprint, grown);
        held = saturatedAdd(held, grown);
    }

    /** The host heap an edit of up to {@code elements} elements with a string of {@code length} may add. */
    static long growth(long elements, long length) {
        return saturatedAdd(multiplySaturated(elements, BYTES_PER_NODE), multiplySaturated(length, BYTES_PER_CHAR));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Parsing

    /** Parses {@code bytes}; null if they are not a well-formed document, have a DOCTYPE or exceed a parser limit. */
    Doc parse(byte[] bytes) {
        DocumentBuilder b = builder();
        b.setErrorHandler(STRICT);
        b.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not available");
        });
        Document dom;
        try {
            dom = b.parse(new InputSource(new ByteArrayInputStream(bytes)));
        } catch (SAXException | IOException e) { // IOException: bytes invalid in the document's encoding
            return null;
        } finally {
            b.reset();
        }
        Doc d = new Doc(dom, hasDeclaration(bytes));
        measure(d);
        d.footprint = saturatedAdd(multiplySaturated(d.nodes, BYTES_PER_NODE),
                multiplySaturated(d.shape.chars(), BYTES_PER_CHAR));
        return d;
    }

    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    /**
     * Walks the whole document once, without recursion, for its shape: node counts by kind, depth, fan-out, and per
     * element name the elements and the nodes and text characters below them.
     */
    static void measure(Doc d) {
        long nodes = 0;
        long maxDepth = 0;
        long fanout = 1;
        long chars = 0;
        long names = 0;
        long elements = 0;
        long attributes = 0;
        long texts = 0;
        long others = 0;
        java.util.Map<String, XPathCost.Names> byName = new java.util.HashMap<>();
        java.util.Map<String, int[]> open = new java.util.HashMap<>(); // elements of each name on the current path
        java.util.Map<String, XPathCost.Names> attributesByName = new java.util.HashMap<>();
        // nodes and text characters below each open element, by depth
        long[] below = new long[MAX_DEPTH + 8];
        long[] textBelow = new long[MAX_DEPTH + 8];
        Node node = d.dom;
        int depth = 0;
        walk:
        while (true) {
            nodes++;
            maxDepth = Math.max(maxDepth, depth);
            if (depth + 1 >= below.length) {
                below = Arrays.copyOf(below, below.length * 2);
                textBelow = Arrays.copyOf(textBelow, textBelow.length * 2);
            }
            long children = 0;
            switch (node.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    elements++;
                    String name = node.getNodeName();
                    names = Math.max(names, name.length());
                    XPathCost.Names stats = byName.computeIfAbsent(name, k -> new XPathCost.Names());
                    stats.minDepth = Math.min(stats.minDepth, depth);
                    stats.maxDepth = Math.max(stats.maxDepth, depth);
                    int[] openOfName = open.computeIfAbsent(name, k -> new int[1]);
                    stats.nested |= openOfName[0] > 0;
                    openOfName[0]++;
                    NamedNodeMap as = node.getAttributes();
                    int n = as.getLength();
                    children += n;
                    nodes += n;
                    attributes += n;
                    for (int i = 0; i < n; i++) {
                        Node a = as.item(i);
                        int length = a.getNodeValue().length();
                        chars += length;
                        names = Math.max(names, a.getNodeName().length());
                        XPathCost.Names attribute = attributesByName.computeIfAbsent(a.getNodeName(),
                                k -> new XPathCost.Names());
                        attribute.count++;
                        attribute.charsBelow += length;
                    }
                    below[depth] = 0;
                    textBelow[depth] = 0;
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    texts++;
                    long length = node.getNodeValue().length();
                    chars += length;
                    if (depth >= 2) {
                        below[depth - 1]++;
                        textBelow[depth - 1] += length;
                    }
                }
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> {
                    others++;
                    String v = node.getNodeValue();
                    chars += v == null ? 0 : v.length();
                    if (depth >= 2) {
                        below[depth - 1]++;
                    }
                }
                default -> {
                }
            }
            for (Node ch = node.getFirstChild(); ch != null; ch = ch.getNextSibling()) {
                children++;
            }
            fanout = Math.max(fanout, children);
            Node child = node.getFirstChild();
            if (child != null) {
                node = child;
                depth++;
                continue;
            }
            while (true) { // leave this node, then every ancestor that has no next sibling
                if (node.getNodeType() == Node.ELEMENT_NODE) {
                    XPathCost.Names e = byName.get(node.getNodeName());
                    open.get(node.getNodeName())[0]--;
                    e.count++;
                    e.nodesBelow += below[depth];
                    e.charsBelow += textBelow[depth];
                    if (depth >= 2) {
                        below[depth - 1] += below[depth] + 1;
                        textBelow[depth - 1] += textBelow[depth];
                    }
                }
                Node next = node.getNextSibling();
                if (next != null) {
                    node = next;
                    continue walk;
                }
                node = node.getParentNode();
                depth--;
                if (node == null) {
                    break walk;
                }
            }
        }
        d.nodes = nodes;
        // attributes sit one below the deepest element; ancestors of the deepest node, plus one
        d.shape = new XPathCost.Shape(nodes, maxDepth + 2, fanout, chars, names, elements, attributes, texts, others,
                byName, attributesByName);
    }

    /** Whether the text starts with {@code <?xml} and white space, after an optional byte order mark. */
    static boolean hasDeclaration(byte[] b) {
        String head;
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            head = new String(b, 2, Math.min(b.length - 2, 12), StandardCharsets.UTF_16BE);
        } else if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            head = new String(b, 2, Math.min(b.length - 2, 12), StandardCharsets.UTF_16LE);
        } else if (b.length >= 2 && b[0] == 0 && b[1] == '<') {
            head = new String(b, 0, Math.min(b.length, 12), StandardCharsets.UTF_16BE);
        } else if (b.length >= 2 && b[0] == '<' && b[1] == 0) {
            head = new String(b, 0, Math.min(b.length, 12), StandardCharsets.UTF_16LE);
        } else {
            int skip = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
            head = new String(b, skip, Math.min(b.length - skip, 6), StandardCharsets.ISO_8859_1);
        }
        return head.length() >= 6 && head.startsWith("<?xml")
                && (head.charAt(5) == ' ' || head.charAt(5) == '\t' || head.charAt(5) == '\r' || head.charAt(5) == '\n');
    }

    // ---------------------------------------------------------------------------------------------------------------
    // XPath

    /** Evaluates a (checked and paid for) expression against the document node. */
    NodeList select(Doc d, String expression) throws XPathExpressionException {
        XPath x = xpath();
        try {
            return (NodeList) x.compile(expression).evaluate(d.dom, XPathConstants.NODESET);
        } finally {
            x.reset();
        }
    }

    /**
     * The XPath string value of a node (an element's descendant text, an attribute's value; the document's is its
     * root element's), paying a unit per node walked and per character collected.
     */
    static String text(Node node, Meter meter) {
        switch (node.getNodeType()) {
            case Node.ATTRIBUTE_NODE, Node.TEXT_NODE, Node.CDATA_SECTION_NODE, Node.COMMENT_NODE,
                    Node.PROCESSING_INSTRUCTION_NODE -> {
                String v = node.getNodeValue();
                v = v == null ? "" : v;
                meter.pay(1 + v.length());
                return v;
            }
            case Node.DOCUMENT_NODE -> {
                Element root = ((Document) node).getDocumentElement();
                return root == null ? "" : text(root, meter);
            }
            default -> {
            }
        }
        StringBuilder out = new StringBuilder();
        Node n = node.getFirstChild();
        while (n != null) {
            long units = 1;
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                String v = n.getNodeValue();
                units += v.length();
                meter.pay(units);
                if (out.length() + v.length() > MAX_OUTPUT) {
                    throw HostCalls.fault("xml text exceeds " + MAX_OUTPUT + " characters");
                }
                out.append(v);
            } else {
                meter.pay(units);
            }
            Node next = n.getNodeType() == Node.ELEMENT_NODE ? n.getFirstChild() : null;
            if (next == null) {
                while (n != node && n.getNextSibling() == null) {
                    n = n.getParentNode();
                }
                next = n == node ? null : n.getNextSibling();
            }
            n = next;
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Serialization

    /**
     * The document as UTF-8: an XML declaration (version, {@code encoding="UTF-8"}, {@code standalone="yes"} if
     * declared) if the parsed text had one, then the document. Each chunk of output is paid for (a unit per byte)
     * before it is kept; more than {@value #MAX_OUTPUT} bytes fault. The result is kept until the next edit if the
     * documents' host heap stays within {@code limit}.
     */
    byte[] serialize(Doc d, Meter meter, long limit) {
        if (d.serialized != null) {
            meter.pay(d.serialized.length);
            return d.serialized;
        }
        Output out = new Output(meter);
        try {
            if (d.declaration) {
                String version = d.dom.getXmlVersion() == null ? "1.0" : d.dom.getXmlVersion();
                out.write(("<?xml version=\"" + version + "\" encoding=\"UTF-8\""
                        + (d.dom.getXmlStandalone() ? " standalone=\"yes\"" : "") + "?>\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            Transformer t = transformer();
            try {
                t.setOutputProperty(OutputKeys.VERSION, d.dom.getXmlVersion() == null ? "1.0" : d.dom.getXmlVersion());
                t.transform(new DOMSource(d.dom), new StreamResult(out));
            } finally {
                t.reset();
                configure(t);
            }
        } catch (IOException | TransformerException e) {
            if (out.failure != null) {
                throw out.failure; // the meter could not pay (a timeout) or the output is too large
            }
            throw HostCalls.fault("xml_serialize: " + e.getMessage());
        }
        if (out.failure != null) {
            throw out.failure;
        }
        byte[] result = out.toByteArray();
        if (held + result.length <= limit) {
            d.serialized = result;
            d.footprint += result.length;
            held += result.length;
        }
        return result;
    }

    /** Collects the output, capped, paying for each chunk before keeping it. */
    private static final class Output extends OutputStream {
        private final Meter meter;
        private byte[] buf = new byte[8192];
        private int count;
        RuntimeException failure;

        Output(Meter meter) {
            this.meter = meter;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw new IOException("output stopped");
            }
            if (len > MAX_OUTPUT - count) {
                failure = HostCalls.fault("the serialized document exceeds " + MAX_OUTPUT + " bytes");
                throw new IOException("output too large");
            }
            try {
                meter.pay(len);
            } catch (RuntimeException e) {
                failure = e;
                throw new IOException("output not paid for");
            }
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(MAX_OUTPUT, Math.max(count + (long) len, 2L * buf.length)));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The JDK's XML tools, configured once

    private DocumentBuilder builder() {
        if (builder == null) {
            synchronized (PARSERS) {
                try {
                    builder = PARSERS.newDocumentBuilder();
                } catch (ParserConfigurationException e) {
                    throw new IllegalStateException("the JDK's XML parser cannot be configured", e);
                }
            }
        }
        return builder;
    }

    private XPath xpath() {
        if (xpath == null) {
            synchronized (XPATHS) {
                xpath = XPATHS.newXPath(); // no function, variable or namespace resolver
            }
        }
        return xpath;
    }

    private Transformer transformer() {
        if (transformer == null) {
            synchronized (SERIALIZERS) {
                try {
                    transformer = SERIALIZERS.newTransformer(); // the identity transformation
                } catch (TransformerConfigurationException e) {
                    throw new IllegalStateException("the JDK's XML serializer cannot be configured", e);
                }
            }
            configure(transformer);
        }
        return transformer;
    }

    private static void configure(Transformer t) {
        t.setOutputProperty(OutputKeys.METHOD, "xml");
        t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        t.setOutputProperty(OutputKeys.INDENT, "no");
    }

    /**
     * The JDK's built-in parser (never one found on the class path): secure processing; no DOCTYPE at all (so no
     * entity declarations, internal or external: no XXE, no billion laughs); no external entities, external DTDs or
     * XInclude; entity references not expanded; no namespace processing (names match XPath as written); elements
     * nested at most {@value #MAX_DEPTH} deep; nodes created eagerly, so parsing is paid for in full.
     */
    private static DocumentBuilderFactory parsers() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a required feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", Integer.toString(MAX_DEPTH));
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        return f;
    }

    /** The JDK's built-in XPath engine with secure processing (extension functions off); no resolvers are set. */
    private static XPathFactory xpaths() {
        XPathFactory f = XPathFactory.newDefaultInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (XPathFactoryConfigurationException e) {
            throw new IllegalStateException("the JDK's XPath engine cannot be secured", e);
        }
        return f;
    }

    /** The JDK's built-in identity transformer, with secure processing and no external access. */
    private static TransformerFactory serializers() {
        TransformerFactory f = TransformerFactory.newDefaultInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (TransformerConfigurationException e) {
            throw new IllegalStateException("the JDK's XML serializer cannot be secured", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        return f;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    static long multiplySaturated(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** Whether {@code s} is an XML 1.0 Name (fifth edition). */
    static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (i == 0 ? !isNameStart(cp) : !isNameChar(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static boolean isNameStart(int c) {
        return c == ':' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6)
                || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D)
                || (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F)
                || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF)
                || (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
    }

    private static boolean isNameChar(int c) {
        return isNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7
                || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
    }

    /** Index of the first character XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF), or -1. */
    static int invalidChar(String s) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) {
                return i;
            }
            i += Character.charCount(c);
        }
        return -1;
    }

    /** Sets {@code name} on every element of {@code nodes}; returns how many. */
    static int setAttribute(NodeList nodes, String name, String value) {
        int changed = 0;
        for (int i = 0, n = nodes.getLength(); i < n; i++) {
            if (nodes.item(i) instanceof Element e) {
                e.setAttribute(name, value);
                changed++;
            }
        }
        return changed;
    }

    /** Replaces the children of every element of {@code nodes} by one text node; returns how many. */
    static int setText(NodeList nodes, String text) {
        int changed = 0;
        for (int i = 0, n = nodes.getLength(); i < n; i++) {
            if (nodes.item(i) instanceof Element e) {
                e.setTextContent(text);
                changed++;
            }
        }
        return changed;
    }

    /** The first element of {@code nodes}, or null. */
    static Element firstElement(NodeList nodes) {
        for (int i = 0, n = nodes.getLength(); i < n; i++) {
            if (nodes.item(i) instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /** The value of attribute {@code name} of {@code e}, or null if it has none. */
    static String attribute(Element e, String name) {
        Attr a = e.getAttributeNode(name);
        return a == null ? null : a.getValue();
    }
}
