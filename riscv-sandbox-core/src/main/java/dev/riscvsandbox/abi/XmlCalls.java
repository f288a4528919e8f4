package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.machine.Machine;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.xml.xpath.XPathExpressionException;
import org.w3c.dom.DOMException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * XML host calls (542–548): guests parse, check (well-formedness) and edit XML documents held by the host, in
 * {@link XmlDocuments}. Only while handling a request: documents belong to their request and are dropped when the VM
 * is reset. Every call is billed before the work is done: parsing per byte of the document, XPath evaluation by a
 * worst-case bound of its work computed from the expression and the document's shape ({@link XPathCost}),
 * serialization per byte of output, edits per element changed, arguments per 8 bytes read; and each call has a fixed
 * part for the JDK's set-up work.
 *
 * <p>Billing constants, measured on the reference machine (JDK 17; the interpreter runs about 270 guest MIPS, so
 * ~3.7 ns per guest instruction) with {@code XmlCallsTest.billingMatchesHostTime} and
 * {@code loopsOfSmallCallsPayTheirFixedCost}, and rounded to powers of two: parsing (with the walk that measures the
 * document's shape) takes 15–35 ns per byte warm, ~7 µs per call: {@value #PARSE_COST} per byte, a little under
 * parity so that a 4 MiB document fits the default budget, plus {@value #PARSE_CALL_COST}; the XPath engine rebuilds
 * its view of the document for every evaluation, 30–60 ns per work unit of {@link XPathCost} and ~30 µs per call:
 * {@value #XPATH_COST} per unit plus {@value #XPATH_CALL_COST}; serialization ~10 ns per byte and ~8 µs per call:
 * {@value #SERIALIZE_COST} per byte plus {@value #SERIALIZE_CALL_COST}; an edit ~100 ns per element:
 * {@value #EDIT_COST}. Host time per charged instruction then stays within 1–19 ns for every affordable expression
 * tried, adversarial ones included.
 */
final class XmlCalls {
    /** Instructions charged per parse, and per byte parsed. */
    static final long PARSE_CALL_COST = 2048, PARSE_COST = 4;
    /** Instructions charged per XPath evaluation, and per work unit of its bound. */
    static final long XPATH_CALL_COST = 8192, XPATH_COST = 8;
    /** Instructions charged per serialization, and per byte of output (or copied from a cached serialization). */
    static final long SERIALIZE_CALL_COST = 2048, SERIALIZE_COST = 2;
    /** Instructions charged per node when a document's shape is measured again after an edit. */
    static final long MEASURE_COST = 8;
    /** Instructions charged per element an edit changes. */
    static final long EDIT_COST = 32;
    /** Longest XPath expression and attribute name (bytes of UTF-8). */
    static final int MAX_XPATH = 1024, MAX_NAME = 1024;
    /** Longest attribute value or text set (bytes of UTF-8). */
    static final int MAX_VALUE = XmlDocuments.MAX_DOCUMENT;

    private static final long INVALID = -1;

    private XmlCalls() {
    }

    /** 542: parses a0,a1; returns the handle, or -1 if not well-formed (or with a DOCTYPE, or over a parser limit). */
    static void parse(Machine m) {
        VmState s = state(m);
        HostCalls.requireRequest(s, "xml_parse");
        long length = len(m, 1);
        if (length > XmlDocuments.MAX_DOCUMENT) {
            throw fault("xml_parse: document of " + Long.toUnsignedString(length) + " bytes exceeds the limit of "
                    + XmlDocuments.MAX_DOCUMENT);
        }
        if (s.xml.full()) {
            throw fault("more than " + XmlDocuments.MAX_DOCUMENTS + " XML documents in one VM; free some (546)");
        }
        m.charge(PARSE_CALL_COST + length * PARSE_COST);
        byte[] bytes = HostCalls.bytes(m, ptr(m, 0), length, XmlDocuments.MAX_DOCUMENT, "xml document");
        XmlDocuments.Doc d = s.xml.parse(bytes);
        if (d == null) {
            m.setReg(10, INVALID);
            return;
        }
        requireMemory(m, s, d.footprint);
        m.setReg(10, s.xml.add(d));
    }

    /** 543: sets attribute a3,a4 to a5,a6 on every element XPath a1,a2 selects; returns how many, -1 if invalid. */
    static void setAttribute(Machine m) {
        VmState s = state(m);
        XmlDocuments.Doc d = document(m, s, "xml_set_attribute");
        String xpath = xpath(m);
        String name = name(m, 3);
        String value = value(m, 5, "attribute value");
        NodeList nodes = select(m, s, d, xpath);
        if (nodes == null) {
            m.setReg(10, INVALID);
            return;
        }
        m.charge(nodes.getLength() * EDIT_COST);
        requireMemory(m, s, XmlDocuments.growth(nodes.getLength(), value.length()));
        int changed;
        try {
            changed = XmlDocuments.setAttribute(nodes, name, value);
        } catch (DOMException e) {
            throw fault("xml_set_attribute: " + e.getMessage());
        }
        s.xml.edited(d, nodes.getLength(), value.length());
        m.setReg(10, changed);
    }

    /** 544: attribute a3,a4 of the first element XPath a1,a2 selects into a5 (size a6); length, or -1. */
    static void getAttribute(Machine m) {
        VmState s = state(m);
        XmlDocuments.Doc d = document(m, s, "xml_get_attribute");
        String xpath = xpath(m);
        String name = name(m, 3);
        NodeList nodes = select(m, s, d, xpath);
        Element e = nodes == null ? null : XmlDocuments.firstElement(nodes);
        String value = e == null ? null : XmlDocuments.attribute(e, name);
        if (value == null) {
            m.setReg(10, INVALID);
            return;
        }
        byte[] out = value.getBytes(StandardCharsets.UTF_8);
        m.charge(out.length >>> 3);
        HostCalls.writeResult(m, out, ptr(m, 5), len(m, 6), true);
    }

    /**
     * 545: the document as UTF-8 into a1 (size a2), and a NUL if room remains; returns the length, -1 if it does not
     * fit. a1 = 0 with a2 = 0 returns the length only.
     */
    static void serialize(Machine m) {
        VmState s = state(m);
        XmlDocuments.Doc d = document(m, s, "xml_serialize");
        long dst = ptr(m, 1);
        long size = len(m, 2);
        m.charge(SERIALIZE_CALL_COST);
        byte[] out = s.xml.serialize(d, bytes -> m.charge(bytes * SERIALIZE_COST), m.memory().maxBytes());
        if (dst == 0 && size == 0) {
            m.setReg(10, out.length);
            return;
        }
        HostCalls.writeResult(m, out, dst, size, true);
    }

    /** 546: frees a handle; 0, or -1 if it held no document. Handles outside 0..3 fault. */
    static void free(Machine m) {
        VmState s = state(m);
        HostCalls.requireRequest(s, "xml_free");
        long h = m.reg(10) & 0xFFFF_FFFFL;
        if (h >= XmlDocuments.MAX_DOCUMENTS) {
            throw fault("no XML document with handle " + (int) h);
        }
        m.setReg(10, s.xml.free((int) h) ? 0 : INVALID);
    }

    /** 547: the text of the first node XPath a1,a2 selects into a3 (size a4); length, or -1. */
    static void getText(Machine m) {
        VmState s = state(m);
        XmlDocuments.Doc d = document(m, s, "xml_get_text");
        String xpath = xpath(m);
        NodeList nodes = select(m, s, d, xpath);
        if (nodes == null || nodes.getLength() == 0) {
            m.setReg(10, INVALID);
            return;
        }
        String text = XmlDocuments.text(nodes.item(0), units -> m.charge(units));
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        m.charge(out.length >>> 3);
        HostCalls.writeResult(m, out, ptr(m, 3), len(m, 4), true);
    }

    /** 548: replaces the content of every element XPath a1,a2 selects by the text a3,a4; how many, -1 if invalid. */
    static void setText(Machine m) {
        VmState s = state(m);
        XmlDocuments.Doc d = document(m, s, "xml_set_text");
        String xpath = xpath(m);
        String text = value(m, 3, "text");
        NodeList nodes = select(m, s, d, xpath);
        if (nodes == null) {
            m.setReg(10, INVALID);
            return;
        }
        m.charge(nodes.getLength() * EDIT_COST);
        requireMemory(m, s, XmlDocuments.growth(nodes.getLength(), text.length()));
        int changed;
        try {
            changed = XmlDocuments.setText(nodes, text);
        } catch (DOMException e) {
            throw fault("xml_set_text: " + e.getMessage());
        }
        s.xml.edited(d, nodes.getLength(), text.length());
        m.setReg(10, changed);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The documents of a VM may take as much host heap (estimated: {@link XmlDocuments#BYTES_PER_NODE} per node and
     * {@link XmlDocuments#BYTES_PER_CHAR} per character) as its guest memory limit, {@code max_memory}, allows it
     * pages; a parse or edit that would exceed it faults.
     */
    private static void requireMemory(Machine m, VmState s, long more) {
        long limit = m.memory().maxBytes();
        if (XmlDocuments.saturatedAdd(s.xml.held(), more) > limit) {
            throw fault("XML documents would take about " + (XmlDocuments.saturatedAdd(s.xml.held(), more) >> 20)
                    + " MiB of host memory; the limit is max_memory, " + (limit >> 20) + " MiB");
        }
    }

    /** The document whose handle is in a0; a handle that holds none faults. */
    private static XmlDocuments.Doc document(Machine m, VmState s, String call) {
        HostCalls.requireRequest(s, call);
        long h = m.reg(10) & 0xFFFF_FFFFL;
        XmlDocuments.Doc d = s.xml.get(h);
        if (d == null) {
            throw fault(call + ": no XML document with handle " + (int) h);
        }
        return d;
    }

    /** The XPath in a1,a2 (at most 1 KiB of UTF-8). */
    private static String xpath(Machine m) {
        return utf8(HostCalls.chargedBytes(m, ptr(m, 1), len(m, 2), MAX_XPATH, "XPath"), "XPath");
    }

    /** The attribute name in a{i},a{i+1}: an XML name. */
    private static String name(Machine m, int i) {
        String name = utf8(HostCalls.chargedBytes(m, ptr(m, i), len(m, i + 1), MAX_NAME, "attribute name"),
                "attribute name");
        if (!XmlDocuments.isName(name)) {
            throw fault("attribute name is not an XML name: " + HttpFields.abbreviate(name));
        }
        return name;
    }

    /** A value or text in a{i},a{i+1}: UTF-8 of characters XML can carry. */
    private static String value(Machine m, int i, String what) {
        String v = utf8(HostCalls.chargedBytes(m, ptr(m, i), len(m, i + 1), MAX_VALUE, what), what);
        int bad = XmlDocuments.invalidChar(v);
        if (bad >= 0) {
            throw fault(what + " contains U+" + String.format("%04X", v.codePointAt(bad))
                    + ", which XML cannot carry");
        }
        return v;
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return c.toString();
        } catch (CharacterCodingException e) {
            throw fault(what + " is not valid UTF-8");
        }
    }

    /**
     * Checks the expression, charges the bound of its work and evaluates it; null for an expression that is not in
     * the accepted dialect or that the engine refuses.
     */
    private static NodeList select(Machine m, VmState s, XmlDocuments.Doc d, String xpath) {
        if (d.shape == null) { // edited since it was measured
            m.charge(d.nodes * MEASURE_COST);
            XmlDocuments.measure(d);
        }
        double bound;
        try {
            bound = XPathCost.bound(xpath, d.shape);
        } catch (XPathCost.InvalidXPath e) {
            return null;
        }
        double instructions = XPATH_CALL_COST + bound * XPATH_COST;
        m.charge(instructions >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) Math.ceil(instructions));
        try {
            return s.xml.select(d, xpath);
        } catch (XPathExpressionException e) {
            return null;
        } catch (StackOverflowError e) {
            throw fault("XPath expression too complex");
        }
    }
}
