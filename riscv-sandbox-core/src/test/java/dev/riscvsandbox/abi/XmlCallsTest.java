package dev.riscvsandbox.abi;

import static dev.riscvsandbox.testutil.Asm.A0;
import static dev.riscvsandbox.testutil.Asm.A1;
import static dev.riscvsandbox.testutil.Asm.A2;
import static dev.riscvsandbox.testutil.Asm.A7;
import static dev.riscvsandbox.testutil.Asm.S1;
import static dev.riscvsandbox.testutil.Asm.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.riscvsandbox.host.HookException;
import dev.riscvsandbox.host.InMemoryRequest;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.tenant.Limits;
import dev.riscvsandbox.tenant.TenantConfig;
import dev.riscvsandbox.tenant.TenantLoadException;
import dev.riscvsandbox.tenant.TenantProgram;
import dev.riscvsandbox.tenant.TenantVm;
import dev.riscvsandbox.testutil.Asm;
import dev.riscvsandbox.testutil.TestElf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The XML host calls 542–548 through tiny assembled tenants: each test's on_recv makes the calls, stores every
 * result in a slot of guest memory, and the test reads the slots (and the output buffer) after the hook.
 */
class XmlCallsTest {
    static final int PARSE = 542, SET_ATTRIBUTE = 543, GET_ATTRIBUTE = 544, SERIALIZE = 545, FREE = 546,
            GET_TEXT = 547, SET_TEXT = 548;
    /** Result slots (8 bytes each) at the start of the data segment; strings and documents follow. */
    static final long DATA = 0x20000;
    static final int SLOTS = 32;
    /** An output buffer in the zero-filled tail of the data segment. */
    static final long OUT = DATA + (6 << 20);
    static final int OUT_SIZE = 1 << 20;

    static final String MANIFEST = """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT634.566S">
              <BaseURL>http://cdn.example/</BaseURL>
              <Period id="p0">
                <AdaptationSet mimeType="video/mp4" segmentAlignment="true">
                  <Representation id="video1" bandwidth="500000" width="640" height="360" codecs="avc1.4d401e"/>
                  <Representation id="video2" bandwidth="1000000" width="1280" height="720" codecs="avc1.4d401f"/>
                </AdaptationSet>
                <AdaptationSet mimeType="audio/mp4" lang="en">
                  <Representation id="audio1" bandwidth="128000" codecs="mp4a.40.2"/>
                </AdaptationSet>
              </Period>
            </MPD>
            """;

    /** Assembles a tenant: main() registers on_recv, whose body is written by the test through this object. */
    static final class Guest {
        final Asm a;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        /** {@code functions}: labels the test defines later, registered by name (539) in main(). */
        Guest(String... functions) {
            this(64, functions);
        }

        /** An RV32 or RV64 tenant; RV32 results are stored as 32-bit values in the low half of each slot. */
        Guest(int xlen, String... functions) {
            a = xlen == 32 ? Asm.rv32() : Asm.rv64();
            data.writeBytes(new byte[SLOTS * 8]);
            a.label("_start");
            for (String f : functions) {
                long[] name = str(f);
                a.li(A0, name[0]).li(A1, name[1]).la(A2, f).li(A7, 539).ecall();
            }
            a.la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
            a.label("on_recv");
        }

        /** Places bytes in the data segment; returns {address, length}. */
        long[] bytes(byte[] b) {
            long address = DATA + data.size();
            data.writeBytes(b);
            while (data.size() % 8 != 0) {
                data.write(0);
            }
            return new long[] {address, b.length};
        }

        long[] str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code ecall nr} with a0.. = args; a0 stored in result slot {@code slot} (if >= 0). */
        Guest call(int slot, int nr, long... args) {
            for (int i = 0; i < args.length; i++) {
                a.li(A0 + i, args[i]);
            }
            a.li(A7, nr).ecall();
            if (slot >= 0) {
                a.li(T0, DATA + 8L * slot);
                if (a.xlen() == 32) {
                    a.sw(A0, 0, T0);
                } else {
                    a.sd(A0, 0, T0);
                }
            }
            return this;
        }

        Guest parse(int slot, String document) {
            return parse(slot, document.getBytes(StandardCharsets.UTF_8));
        }

        Guest parse(int slot, byte[] document) {
            long[] d = bytes(document);
            return call(slot, PARSE, d[0], d[1]);
        }

        Guest setAttribute(int slot, long handle, String xpath, String name, String value) {
            long[] x = str(xpath);
            long[] n = str(name);
            long[] v = str(value);
            return call(slot, SET_ATTRIBUTE, handle, x[0], x[1], n[0], n[1], v[0], v[1]);
        }

        Guest getAttribute(int slot, long handle, String xpath, String name, long dst, long size) {
            long[] x = str(xpath);
            long[] n = str(name);
            return call(slot, GET_ATTRIBUTE, handle, x[0], x[1], n[0], n[1], dst, size);
        }

        Guest getText(int slot, long handle, String xpath, long dst, long size) {
            long[] x = str(xpath);
            return call(slot, GET_TEXT, handle, x[0], x[1], dst, size);
        }

        Guest setText(int slot, long handle, String xpath, String text) {
            long[] x = str(xpath);
            long[] t = str(text);
            return call(slot, SET_TEXT, handle, x[0], x[1], t[0], t[1]);
        }

        byte[] elf() {
            a.ret();
            byte[] d = data.toByteArray();
            if (DATA + d.length > OUT) {
                throw new IllegalStateException("test data overlaps the output buffer");
            }
            return TestElf.builder(a.xlen()).text(a).data(DATA, d, OUT - DATA + OUT_SIZE).build();
        }

        TenantProgram load() throws TenantLoadException {
            return XmlCallsTest.load(elf(), Limits.DEFAULTS);
        }
    }

    static TenantProgram load(byte[] elf, Limits limits) throws TenantLoadException {
        return TenantProgram.load(new TenantConfig("xml.test", Path.of("xml.elf"), "test", List.of(), limits), elf);
    }

    /** The result slots after one on_recv (which must succeed). */
    static long[] run(Guest g) throws Exception {
        try (TenantVm vm = g.load().fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            return slots(vm.machine());
        }
    }

    static long[] slots(Machine m) {
        long[] r = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            r[i] = m.memory().load64(DATA + 8L * i);
        }
        return r;
    }

    /** on_recv fails; returns the failure. */
    static HookException fails(Guest g) throws Exception {
        try (TenantVm vm = g.load().fork()) {
            return assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
        }
    }

    static String out(Machine m, long length) {
        return new String(m.memory().readBytes(OUT, (int) length), StandardCharsets.UTF_8);
    }

    static Document jdkParse(String xml) throws Exception {
        return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static Element representation(Document d, String id) {
        NodeList list = d.getElementsByTagName("Representation");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no Representation " + id);
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void parseSetAttributeAndSerializeAManifest() throws Exception {
        Guest g = new Guest()
                .parse(0, MANIFEST)
                .setAttribute(1, 0, "//Representation[@id='video1']", "bandwidth", "12345678")
                .call(2, SERIALIZE, 0, 0, 0)
                .call(3, SERIALIZE, 0, OUT, OUT_SIZE);
        try (TenantVm vm = g.load().fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            assertEquals(0, r[0], "handle");
            assertEquals(1, r[1], "elements changed");
            assertTrue(r[2] > 0);
            assertEquals(r[2], r[3], "the length query and the serialization agree");
            assertEquals(0, vm.machine().memory().load8(OUT + r[3]), "NUL after the document");
            String xml = out(vm.machine(), r[3]);
            assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MPD "), xml);
            Document d = jdkParse(xml);
            assertEquals("12345678", representation(d, "video1").getAttribute("bandwidth"));
            assertEquals("1000000", representation(d, "video2").getAttribute("bandwidth"));
            assertEquals("128000", representation(d, "audio1").getAttribute("bandwidth"));
            assertEquals("urn:mpeg:dash:schema:mpd:2011", d.getDocumentElement().getAttribute("xmlns"));
            assertEquals("http://cdn.example/", d.getElementsByTagName("BaseURL").item(0).getTextContent());
            // only the attribute changed: the rest of the text is the original's (attributes may be reordered)
            assertEquals(MANIFEST.replace(" bandwidth=\"500000\"", "").replaceAll("\\s+", " ").length() + 20,
                    xml.replaceAll("\\s+", " ").length(), xml);
        }
    }

    /** RV32 guests: pointers and lengths are 32-bit, -1 comes back as 0xFFFFFFFF. */
    @Test
    void rv32GuestsUseTheSameCalls() throws Exception {
        Guest g = new Guest(32).parse(0, MANIFEST)
                .setAttribute(1, 0, "//Representation[@id='video1']", "bandwidth", "42")
                .getAttribute(2, 0, "//Representation[@id='video1']", "bandwidth", OUT, 16)
                .setAttribute(3, 0, "//[", "a", "b")
                .call(4, SERIALIZE, 0, 0, 0)
                .call(5, SERIALIZE, 0, OUT + 64, OUT_SIZE - 64)
                .call(6, FREE, 0);
        try (TenantVm vm = g.load().fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            assertEquals(List.of(0L, 1L, 2L, 0xFFFF_FFFFL, r[5], 0L), List.of(r[0], r[1], r[2], r[3], r[4], r[6]));
            assertEquals("42", out(vm.machine(), 2));
            String xml = new String(vm.machine().memory().readBytes(OUT + 64, (int) r[5]), StandardCharsets.UTF_8);
            assertEquals("42", representation(jdkParse(xml), "video1").getAttribute("bandwidth"));
        }
        assertTrue(fails(new Guest(32).parse(0, "<a/>").call(1, SERIALIZE, -1, 0, 0)).getMessage()
                .contains("no XML document with handle -1"));
    }

    @Test
    void selectionsWorkWithOrWithoutTheDefaultNamespace() throws Exception {
        long[] r = run(new Guest()
                .parse(0, MANIFEST)
                .setAttribute(1, 0, "//*[local-name()='Representation'][@id='video2']", "x", "1")
                .setAttribute(2, 0, "/MPD/Period/AdaptationSet[@mimeType='video/mp4']/Representation", "y", "2")
                .setAttribute(3, 0, "//Representation[@bandwidth > 200000 and @height >= 720]", "hd", "true")
                .setAttribute(4, 0, "//AdaptationSet[@lang='en']/Representation | //BaseURL", "z", "3")
                .setAttribute(5, 0, "//Representation[contains(@codecs, 'avc1')][last()]", "last", "1")
                .setAttribute(6, 0, "//Representation[@id='none']", "n", "1")
                .setAttribute(7, 0, "//Representation/@id", "n", "1")); // attributes are not elements
        assertEquals(List.of(0L, 1L, 2L, 1L, 2L, 1L, 0L, 0L), List.of(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]));
    }

    @Test
    void doctypesEntitiesAndIncludesAreRefused() throws Exception {
        List<String> hostile = List.of(
                "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
                "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
                "<!DOCTYPE foo [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x.dtd\"> %p;]><foo/>",
                "<!DOCTYPE foo SYSTEM \"http://127.0.0.1:1/foo.dtd\"><foo/>",
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                        + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                        + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
                        + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                        + "<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
                        + "]><lolz>&lol9;</lolz>",
                "<!DOCTYPE a><a/>");
        Guest g = new Guest();
        for (int i = 0; i < hostile.size(); i++) {
            g.parse(i, hostile.get(i));
        }
        // XInclude is not processed: the element stays an element
        g.parse(10, "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\""
                + " parse=\"text\"/></a>");
        g.getText(11, 0, "/a", OUT, OUT_SIZE);
        long[] r = run(g);
        for (int i = 0; i < hostile.size(); i++) {
            assertEquals(-1, r[i], hostile.get(i));
        }
        assertEquals(0, r[10]);
        assertEquals(0, r[11], "no file content was included");
    }

    @Test
    void documentsThatAreNotWellFormedAreRefused() throws Exception {
        List<byte[]> bad = new ArrayList<>();
        for (String s : List.of("<a><b></a>", "<a>", "", "just text", "<a/><b/>", "<a>&undefined;</a>",
                "<a x='1' x='2'/>", "<a>\u0001</a>", "<a>" + "<b>".repeat(300) + "</b>".repeat(300) + "</a>")) {
            bad.add(s.getBytes(StandardCharsets.UTF_8));
        }
        bad.add(new byte[] {'<', 'a', '>', (byte) 0xC3, '(', '<', '/', 'a', '>'}); // invalid UTF-8
        bad.add("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><a/>".getBytes(StandardCharsets.UTF_8));
        Guest g = new Guest();
        for (int i = 0; i < bad.size(); i++) {
            g.parse(i, bad.get(i));
        }
        // the declaration's encoding is honoured
        g.parse(20, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\u00e9</a>".getBytes(StandardCharsets.ISO_8859_1));
        g.getText(21, 0, "/a", OUT, OUT_SIZE);
        try (TenantVm vm = g.load().fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            for (int i = 0; i < bad.size(); i++) {
                assertEquals(-1, r[i], new String(bad.get(i), StandardCharsets.ISO_8859_1));
            }
            assertEquals(0, r[20]);
            assertEquals(2, r[21]);
            assertEquals("\u00e9", out(vm.machine(), 2), "text comes back as UTF-8");
        }
    }

    @Test
    void invalidAndRefusedXPathsAnswerMinusOne() throws Exception {
        List<String> refused = List.of("//[", "", "//a[", "$v", "count(//a)", "'text'", "//x:a", "java:foo()",
                "//a[following::b]", "//a/preceding::*", "//namespace::*", "id('x')", "//a[unknown()]",
                "//a[" + "(".repeat(40) + "1" + ")".repeat(40) + "]", "1 +", "//a[@b=]",
                // XSLT functions the JDK's engine knows: no host details, no documents, no keys
                "//*[system-property('java.version')]", "//*[generate-id()]", "//*[current()]", "//*[key('a', 'b')]",
                "//*[function-available('concat')]", "//*[unparsed-entity-uri('x')]", "document('file:///etc/passwd')",
                "//*[element-available('x')]", "//*[here()]");
        Guest g = new Guest().parse(0, MANIFEST);
        for (int i = 0; i < refused.size(); i++) {
            g.setAttribute(i + 1, 0, refused.get(i), "a", "b");
        }
        g.setText(20, 0, "//[", "t").getText(21, 0, "//[", OUT, OUT_SIZE).getAttribute(22, 0, "//[", "id", OUT, 99);
        long[] r = run(g);
        for (int i = 0; i < refused.size(); i++) {
            assertEquals(-1, r[i + 1], refused.get(i));
        }
        assertEquals(List.of(-1L, -1L, -1L), List.of(r[20], r[21], r[22]));
    }

    @Test
    void atMostFourDocumentsPerVm() throws Exception {
        Guest g = new Guest();
        for (int i = 0; i < 4; i++) {
            g.parse(i, "<a/>");
        }
        g.call(4, FREE, 2).parse(5, "<b/>"); // the freed handle is reused
        long[] r = run(g);
        assertEquals(List.of(0L, 1L, 2L, 3L, 0L, 2L), List.of(r[0], r[1], r[2], r[3], r[4], r[5]));

        Guest five = new Guest();
        for (int i = 0; i < 5; i++) {
            five.parse(i, "<a/>");
        }
        assertTrue(fails(five).getMessage().contains("more than 4 XML documents"), "a fifth document faults");
        // failed parses take no slot
        Guest failures = new Guest();
        for (int i = 0; i < 6; i++) {
            failures.parse(i, "<a>");
        }
        failures.parse(6, "<ok/>");
        assertEquals(0, run(failures)[6]);
    }

    /** Documents may take as much (estimated) host heap as the VM's max_memory; freeing gives it back. */
    @Test
    void documentsCountAgainstTheMemoryLimit() throws Exception {
        String dense = "<r>" + "<a b='1'/>".repeat(100_000) + "</r>"; // 1 MiB, 200 000 nodes: about 19 MiB of heap
        Guest two = new Guest().parse(0, dense).parse(1, dense);
        try (TenantVm vm = load(two.elf(), Limits.DEFAULTS).fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
            assertTrue(e.getMessage().contains("MiB of host memory; the limit is max_memory, 32 MiB"), e.getMessage());
            assertEquals(0, slots(vm.machine())[0], "the first one fitted");
        }
        long[] r = run(new Guest().parse(0, dense).call(1, FREE, 0).parse(2, dense));
        assertEquals(List.of(0L, 0L, 0L), List.of(r[0], r[1], r[2]));
        // edits grow documents: a value on every element
        Guest edit = new Guest().parse(0, dense).setAttribute(1, 0, "//a", "c", "x");
        try (TenantVm vm = load(edit.elf(), Limits.DEFAULTS.withMaxMemory(24 << 20)).fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
            assertTrue(e.getMessage().contains("host memory"), e.getMessage());
        }
    }

    @Test
    void badHandlesFault() throws Exception {
        assertTrue(fails(new Guest().call(0, SERIALIZE, 0, 0, 0)).getMessage().contains("no XML document"));
        assertTrue(fails(new Guest().parse(0, "<a/>").call(1, SERIALIZE, 7, 0, 0)).getMessage()
                .contains("no XML document with handle 7"));
        assertTrue(fails(new Guest().parse(0, "<a/>").call(1, SERIALIZE, -1, 0, 0)).getMessage()
                .contains("no XML document with handle -1"));
        assertTrue(fails(new Guest().parse(0, "<a/>").call(1, FREE, 0).setText(2, 0, "/a", "x")).getMessage()
                .contains("no XML document with handle 0"), "a freed handle");
        assertTrue(fails(new Guest().call(0, FREE, 4)).getMessage().contains("no XML document with handle 4"));
        assertTrue(fails(new Guest().parse(0, "<a/>").getAttribute(1, 3, "/a", "x", OUT, 10)).getMessage()
                .contains("no XML document with handle 3"));
        long[] r = run(new Guest().parse(0, "<a/>").call(1, FREE, 0).call(2, FREE, 0).call(3, FREE, 3));
        assertEquals(List.of(0L, -1L, -1L), List.of(r[1], r[2], r[3]), "freeing an empty handle answers -1");
    }

    @Test
    void getAttributeGetTextAndSetText() throws Exception {
        Guest g = new Guest().parse(0, MANIFEST)
                .getAttribute(1, 0, "//Representation[@id='video2']", "bandwidth", OUT, 100)
                .getAttribute(2, 0, "//Representation[@id='video2']", "missing", OUT + 100, 100)
                .getAttribute(3, 0, "//Nothing", "id", OUT + 100, 100)
                .getAttribute(4, 0, "//AdaptationSet", "mimeType", OUT + 200, 100) // the first match
                .getText(5, 0, "//BaseURL", OUT + 300, 100)
                .setText(6, 0, "//BaseURL", "https://x/?a=1&b=<2>]]>")
                .getText(7, 0, "//BaseURL", OUT + 400, 100)
                .setAttribute(8, 0, "//Period", "id", "\"><script>alert(1)</script><x y=\"")
                .setText(9, 0, "//Representation", "t\u00e9\uD83D\uDE00") // every Representation
                .getText(10, 0, "//Representation[@id='audio1']", OUT + 500, 100)
                .getText(11, 0, "//Nothing", OUT + 600, 100)
                .getText(12, 0, "//AdaptationSet/@mimeType", OUT + 600, 100) // attribute nodes have text too
                .call(13, SERIALIZE, 0, OUT + 4096, OUT_SIZE - 4096);
        try (TenantVm vm = g.load().fork()) {
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            Machine m = vm.machine();
            assertEquals(7, r[1]);
            assertEquals("1000000", new String(m.memory().readBytes(OUT, 7), StandardCharsets.UTF_8));
            assertEquals(0, m.memory().load8(OUT + 7));
            assertEquals(-1, r[2], "no such attribute");
            assertEquals(-1, r[3], "no match");
            assertEquals("video/mp4", new String(m.memory().readBytes(OUT + 200, (int) r[4]), StandardCharsets.UTF_8));
            assertEquals("http://cdn.example/", new String(m.memory().readBytes(OUT + 300, (int) r[5]),
                    StandardCharsets.UTF_8));
            assertEquals(1, r[6]);
            assertEquals("https://x/?a=1&b=<2>]]>", new String(m.memory().readBytes(OUT + 400, (int) r[7]),
                    StandardCharsets.UTF_8));
            assertEquals(1, r[8]);
            assertEquals(3, r[9]);
            assertEquals("t\u00e9\uD83D\uDE00", new String(m.memory().readBytes(OUT + 500, (int) r[10]),
                    StandardCharsets.UTF_8));
            assertEquals(-1, r[11]);
            assertEquals(9, r[12]);
            String xml = new String(m.memory().readBytes(OUT + 4096, (int) r[13]), StandardCharsets.UTF_8);
            Document d = jdkParse(xml); // still well-formed: values and text were escaped, nothing injected
            assertEquals(0, d.getElementsByTagName("script").getLength(), xml);
            assertEquals("\"><script>alert(1)</script><x y=\"",
                    ((Element) d.getElementsByTagName("Period").item(0)).getAttribute("id"));
            assertEquals("https://x/?a=1&b=<2>]]>", d.getElementsByTagName("BaseURL").item(0).getTextContent());
            assertEquals("t\u00e9\uD83D\uDE00", representation(d, "video1").getTextContent());
        }
    }

    @Test
    void badNamesValuesAndArgumentsFault() throws Exception {
        assertTrue(fails(new Guest().parse(0, "<a/>").setAttribute(1, 0, "/a", "1bad", "v")).getMessage()
                .contains("not an XML name"));
        assertTrue(fails(new Guest().parse(0, "<a/>").setAttribute(1, 0, "/a", "a b", "v")).getMessage()
                .contains("not an XML name"));
        assertTrue(fails(new Guest().parse(0, "<a/>").setAttribute(1, 0, "/a", "", "v")).getMessage()
                .contains("not an XML name"));
        assertTrue(fails(new Guest().parse(0, "<a/>").setAttribute(1, 0, "/a", "x", "nul\0")).getMessage()
                .contains("XML cannot carry"));
        assertTrue(fails(new Guest().parse(0, "<a/>").setText(1, 0, "/a", "bell\u0007")).getMessage()
                .contains("XML cannot carry"));
        assertTrue(fails(new Guest().parse(0, "<a/>").setText(1, 0, "/" + "a".repeat(1100), "x")).getMessage()
                .contains("exceeds the limit of 1024"));
        Guest badUtf8 = new Guest().parse(0, "<a/>");
        long[] x = badUtf8.bytes(new byte[] {'/', (byte) 0xFF});
        long[] t = badUtf8.str("t");
        badUtf8.call(1, SET_TEXT, 0, x[0], x[1], t[0], t[1]);
        assertTrue(fails(badUtf8).getMessage().contains("not valid UTF-8"));
        // a document over 4 MiB faults before it is read
        assertTrue(fails(new Guest().call(0, PARSE, DATA, (4 << 20) + 1)).getMessage().contains("exceeds the limit"));
        // output buffers are checked like any guest store
        assertTrue(fails(new Guest().parse(0, "<a/>").call(1, SERIALIZE, 0, 0x10000, 100)).getMessage()
                .length() > 0);
    }

    @Test
    void smallBuffersAnswerMinusOneAndLengthQueriesWork() throws Exception {
        Guest g = new Guest().parse(0, "<a x=\"12345\">hello</a>")
                .call(1, SERIALIZE, 0, 0, 0)
                .call(2, SERIALIZE, 0, OUT, 5)
                .getAttribute(3, 0, "/a", "x", OUT + 100, 4)
                .getAttribute(4, 0, "/a", "x", OUT + 100, 5) // exactly the length: no room for the NUL
                .getText(5, 0, "/a", OUT + 200, 4)
                .getText(6, 0, "/a", OUT + 200, 5)
                .call(7, SERIALIZE, 0, OUT + 300, 0);
        try (TenantVm vm = g.load().fork()) {
            vm.machine().memory().store8(OUT + 105, 'Z');
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            assertEquals("<a x=\"12345\">hello</a>".length(), r[1]);
            assertEquals(-1, r[2]);
            assertEquals(-1, r[3]);
            assertEquals(5, r[4]);
            assertEquals('Z', vm.machine().memory().load8(OUT + 105), "no NUL past the buffer");
            assertEquals(-1, r[5]);
            assertEquals(5, r[6]);
            assertEquals(-1, r[7], "a non-null buffer of size 0 is too small");
        }
    }

    /** Parsing and XPath cost instructions in proportion to the document; a call that cannot pay is a timeout. */
    @Test
    void costGrowsWithTheDocument() throws Exception {
        long small = instructions(manifest(100));
        long large = instructions(manifest(1000));
        double ratio = (double) large / small;
        assertTrue(ratio > 5 && ratio < 20, small + " vs " + large + " instructions");
        long perByte = large / manifest(1000).length();
        assertTrue(perByte >= XmlCalls.PARSE_COST, perByte + " instructions per byte");

        // a document whose parse the budget cannot pay for times out before it is parsed
        String doc = manifest(1000);
        Guest g = new Guest().parse(0, doc);
        try (TenantVm vm = load(g.elf(), Limits.DEFAULTS.withMaxInstructions(doc.length())).fork()) {
            HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")));
            assertTrue(e.isTimeout(), e.getMessage());
        }
    }

    /** Instructions of one on_recv that parses {@code doc}, edits and reads back one attribute. */
    static long instructions(String doc) throws Exception {
        Guest g = new Guest().parse(0, doc).setAttribute(1, 0, "//Representation[@id='r7']", "bandwidth", "1")
                .getAttribute(2, 0, "//Representation[@id='r7']", "bandwidth", OUT, 10);
        try (TenantVm vm = g.load().fork()) {
            long before = vm.machine().instructions();
            vm.onRecv(InMemoryRequest.get("/"));
            long[] r = slots(vm.machine());
            assertEquals(List.of(0L, 1L, 1L), List.of(r[0], r[1], r[2]));
            return vm.machine().instructions() - before;
        }
    }

    /** A manifest with {@code n} Representations. */
    static String manifest(int n) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MPD xmlns=\"urn:mpeg:"
                + "dash:schema:mpd:2011\" type=\"static\">\n <Period id=\"p0\">\n  <AdaptationSet mimeType=\"video/mp4\">\n");
        for (int i = 0; i < n; i++) {
            sb.append("   <Representation id=\"r").append(i).append("\" bandwidth=\"").append(100000 + i)
                    .append("\" width=\"1280\" height=\"720\" codecs=\"avc1.4d401f\"><BaseURL>seg-").append(i)
                    .append(".mp4</BaseURL></Representation>\n");
        }
        return sb.append("  </AdaptationSet>\n </Period>\n</MPD>\n").toString();
    }

    /**
     * Expressions whose evaluation is superlinear in the JDK's engine (the first is cubic: minutes of host time on a
     * 2000-element chain) are charged their worst case and end as timeouts at once.
     */
    @Test
    void superlinearXPathsRunOutOfBudgetInsteadOfHostTime() throws Exception {
        String chain = "<a>".repeat(250) + "</a>".repeat(250);
        String flat = "<r>" + "<a/>".repeat(20000) + "</r>";
        List<String[]> cases = List.of(
                new String[] {chain, "//*/descendant::*/ancestor::*"},
                new String[] {flat, "/r/a[last()]"},
                new String[] {flat, "//a[count(//a) > 1]"},
                new String[] {flat, "//a[. = //a]"});
        for (String[] c : cases) {
            Guest g = new Guest().parse(0, c[0]).setAttribute(1, 0, c[1], "x", "1");
            long start = System.nanoTime();
            try (TenantVm vm = g.load().fork()) {
                HookException e = assertThrows(HookException.class, () -> vm.onRecv(InMemoryRequest.get("/")), c[1]);
                assertTrue(e.isTimeout(), c[1] + ": " + e.getMessage());
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5000, c[1] + " took " + ms + " ms");
        }
    }

    /**
     * Host time per instruction charged, for each kind of work (printed: the measurements behind the billing
     * constants in {@link XmlCalls}). The bound is loose (timing on shared machines varies); it catches work that is
     * not charged at all.
     */
    @Test
    void billingMatchesHostTime() throws Exception {
        String doc = manifest(3000); // about 400 KiB
        String[][] work = {
                {"parse", null},
                {"xpath //Representation[@id='r7']", "//Representation[@id='r7']"},
                {"xpath //BaseURL[contains(., 'seg-29')]", "//BaseURL[contains(., 'seg-29')]"},
                {"xpath /MPD/Period/AdaptationSet/Representation", "/MPD/Period/AdaptationSet/Representation"},
                {"serialize", ""}};
        for (String[] w : work) {
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 6; round++) {
                Guest g = new Guest().parse(0, doc);
                int first = 1;
                if (w[1] != null && !w[1].isEmpty()) {
                    g.setAttribute(first, 0, w[1], "x", "1");
                } else if (w[1] != null) {
                    g.call(first, SERIALIZE, 0, OUT, OUT_SIZE);
                }
                try (TenantVm vm = g.load().fork()) {
                    Machine m = vm.machine();
                    // time the parse alone, then the whole hook, and attribute the difference to the work
                    long before = m.instructions();
                    long t0 = System.nanoTime();
                    vm.onRecv(InMemoryRequest.get("/"));
                    long nanos = System.nanoTime() - t0;
                    long charged = m.instructions() - before;
                    if (w[1] != null) {
                        long parseCharged = (long) doc.length() * XmlCalls.PARSE_COST;
                        long parseNanos = parseNanos(doc);
                        nanos -= parseNanos;
                        charged -= parseCharged;
                    }
                    best = Math.min(best, (double) nanos / charged);
                }
            }
            System.out.printf("%s: %.2f ns per instruction charged%n", w[0], best);
            assertTrue(best < 1000, w[0] + ": " + best + " ns per instruction charged");
        }
    }

    /** Each call has a fixed cost on the host (the XPath engine's about 30 µs): loops of tiny calls pay for it. */
    @Test
    void loopsOfSmallCallsPayTheirFixedCost() throws Exception {
        String[] kinds = {"xpath", "parse", "serialize"};
        for (String kind : kinds) {
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 4; round++) {
                Guest g = new Guest().parse(0, "<a b='1'><c/></a>");
                g.a.li(S1, 300).label("loop");
                switch (kind) {
                    case "xpath" -> g.getAttribute(1, 0, "/a[c]", "b", OUT, 16);
                    case "parse" -> g.parse(1, "<a b='1'><c/></a>").call(2, FREE, 1);
                    default -> g.call(1, SERIALIZE, 0, OUT, 64).setText(2, 0, "/a/c", "x"); // edits drop the cache
                }
                g.a.addi(S1, S1, -1).bnez(S1, "loop");
                try (TenantVm vm = g.load().fork()) {
                    long before = vm.machine().instructions();
                    long t0 = System.nanoTime();
                    vm.onRecv(InMemoryRequest.get("/"));
                    long nanos = System.nanoTime() - t0;
                    best = Math.min(best, (double) nanos / (vm.machine().instructions() - before));
                }
            }
            System.out.printf("300 small %s calls: %.2f ns per instruction charged%n", kind, best);
            assertTrue(best < 1000, kind + ": " + best + " ns per instruction charged");
        }
    }

    private static long parseNanos(String doc) throws Exception {
        Guest g = new Guest().parse(0, doc);
        long best = Long.MAX_VALUE;
        TenantProgram p = g.load();
        for (int i = 0; i < 3; i++) {
            try (TenantVm vm = p.fork()) {
                long t0 = System.nanoTime();
                vm.onRecv(InMemoryRequest.get("/"));
                best = Math.min(best, System.nanoTime() - t0);
            }
        }
        return best;
    }

    /** Documents belong to their request: a recycled VM starts without them, even in the same VM object. */
    @Test
    void documentsDoNotOutliveTheirRequest() throws Exception {
        Guest g = new Guest("peek").parse(0, "<secret>tenant data</secret>");
        g.a.ret().label("peek"); // a named function: serializes handle 0 into OUT
        g.call(1, SERIALIZE, 0, OUT, OUT_SIZE).a.li(A0, 0); // returns a null string
        TenantProgram p = g.load();
        Machine first;
        try (TenantVm vm = p.fork()) {
            first = vm.machine();
            vm.onRecv(InMemoryRequest.get("/"));
            assertEquals(0, slots(first)[0]);
            vm.call("peek", ""); // same request, a later call: the document is still there
            assertEquals("<secret>tenant data</secret>", out(first, slots(first)[1]));
        }
        try (TenantVm vm = p.fork()) {
            assertSame(first, vm.machine(), "the VM was recycled");
            HookException e = assertThrows(HookException.class, () -> vm.call("peek", ""));
            assertTrue(e.getMessage().contains("no XML document with handle 0"), e.getMessage());
        }
        try (TenantVm vm = p.fork()) { // and again after a failed request
            assertSame(first, vm.machine());
            assertThrows(HookException.class, () -> vm.call("peek", ""));
        }
    }

    @Test
    void notAvailableWhileInitialising() {
        Guest g = new Guest();
        Asm a = Asm.rv64();
        long[] doc = g.str("<a/>");
        a.label("_start").li(A0, doc[0]).li(A1, doc[1]).li(A7, PARSE).ecall()
                .la(A0, "on_recv").li(A1, 0).li(A7, 510).ecall();
        a.label("on_recv").ret();
        byte[] elf = TestElf.builder(64).text(a).data(DATA, g.data.toByteArray(), 4096).build();
        TenantLoadException e = assertThrows(TenantLoadException.class, () -> load(elf, Limits.DEFAULTS));
        assertTrue(e.getMessage().contains("xml_parse is only available while handling a request"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The bound itself

    static XPathCost.Shape shape(String xml) {
        XmlDocuments.Doc d = new XmlDocuments().parse(xml.getBytes(StandardCharsets.UTF_8));
        return d.shape;
    }

    static final XPathCost.Shape MANIFEST_3000 = shape(manifest(3000));

    static double bound(String xpath) throws XPathCost.InvalidXPath {
        return XPathCost.bound(xpath, MANIFEST_3000);
    }

    /** On a manifest of 3000 Representations (about 400 KiB), common expressions cost a few times its node count. */
    @Test
    void commonExpressionsAreBoundedLinearly() throws Exception {
        double n = MANIFEST_3000.nodes();
        for (String x : List.of("//Representation[@id='video1']", "/MPD/Period/AdaptationSet/Representation",
                "//*[local-name()='Representation'][@id='video1']", "//AdaptationSet[@lang='en']/Representation",
                "//Representation[@bandwidth > 200000 and @height >= 720]", "//BaseURL | //Period",
                "//Representation[1]", "//Representation[position() < 3]", "//a[not(@b)]", "//a[b/c = 'x']",
                "//a[starts-with(@href, 'http:')]", "/", "//text()", "//a/..", "//a[@x][@y][@z]",
                "//BaseURL[contains(., 'seg-29')]", "//Representation[BaseURL = 'seg-7.mp4']",
                "//*[@id='r7']", "//Representation[@id='r7']/BaseURL/text()",
                "//AdaptationSet[Role/@value='main']/Representation[contains(@codecs, 'avc1')]")) {
            double b = bound(x);
            assertTrue(b < 12 * n, x + ": " + b + " work units for " + n + " nodes");
            assertTrue(b * XmlCalls.XPATH_COST < Limits.DEFAULTS.maxInstructions() / 4, x + ": " + b);
        }
    }

    /** Expressions that are superlinear in the JDK's engine are bounded as such: the default budget cannot pay. */
    @Test
    void superlinearExpressionsAreBoundedAsSuch() throws Exception {
        XPathCost.Shape chain = shape("<a>".repeat(250) + "</a>".repeat(250));
        XPathCost.Shape flat = shape("<r>" + "<a>x</a>".repeat(20000) + "</r>");
        long budget = Limits.DEFAULTS.maxInstructions();
        for (String x : List.of("//*/descendant::*/ancestor::*", "//*//*//*", "//a[ancestor::*[ancestor::*]]")) {
            assertTrue(XPathCost.bound(x, chain) * XmlCalls.XPATH_COST > budget, x);
        }
        for (String x : List.of("/r/a[last()]", "//a[count(//a) > 1]", "//a[. = //a]", "//*[contains(string(/), 'x')]",
                "//a[//a]", "//a[translate(., string(/), 'x') = 'y']", "//a[../a = 'x']", "//*[*/../* = 'q']",
                "//a[following-sibling::a]", "(//a | //a | //a)[last()]", "//a[concat(/, /, /, /) = 'x']")) {
            assertTrue(XPathCost.bound(x, flat) * XmlCalls.XPATH_COST > budget, x);
        }
    }

    @Test
    void tokensFollowTheXPathDisambiguationRules() throws Exception {
        // '*' and operator names after an operand are operators; names before '(' are functions or node types
        for (String x : List.of("//div[div * 2 > div]", "//and[@or = 'mod']", "//*[* and *]", "//a[@b - 1 = 2]",
                "//a[@b-c]", "//a[.5 < @x]", "//a[-@x < 1]", "//node()[self::text()]",
                "//processing-instruction('x')", "//a [ @b = \"c'd\" ] / e", "child::a/attribute::b/parent::*",
                "//a[ancestor-or-self::b][following-sibling::c][preceding-sibling::d]", "(//a)[1]/b", "//a[@b!='c']")) {
            assertTrue(bound(x) > 0, x);
        }
        for (String x : List.of("//a[@b=='c']", "//a[@b!]", "//a:", "a::b", "//a[1]]", "//@", "//a[", "/(a)")) {
            assertThrows(XPathCost.InvalidXPath.class, () -> bound(x), x);
        }
    }

    @Test
    void declarationsAreDetected() {
        assertTrue(XmlDocuments.hasDeclaration("<?xml version=\"1.0\"?><a/>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(XmlDocuments.hasDeclaration("\uFEFF<?xml version=\"1.0\"?><a/>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(XmlDocuments.hasDeclaration("\uFEFF<?xml version=\"1.0\"?><a/>".getBytes(StandardCharsets.UTF_16BE)));
        assertTrue(XmlDocuments.hasDeclaration("<?xml version=\"1.0\"?><a/>".getBytes(StandardCharsets.UTF_16LE)));
        assertFalse(XmlDocuments.hasDeclaration("<a/>".getBytes(StandardCharsets.UTF_8)));
        assertFalse(XmlDocuments.hasDeclaration("<?xml-stylesheet href='x'?><a/>".getBytes(StandardCharsets.UTF_8)));
    }
}
