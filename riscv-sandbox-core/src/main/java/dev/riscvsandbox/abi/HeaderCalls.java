package dev.riscvsandbox.abi;

import static dev.riscvsandbox.abi.HostCalls.fault;
import static dev.riscvsandbox.abi.HostCalls.index;
import static dev.riscvsandbox.abi.HostCalls.len;
import static dev.riscvsandbox.abi.HostCalls.ptr;
import static dev.riscvsandbox.abi.HostCalls.state;

import dev.riscvsandbox.host.HttpSyntax;
import dev.riscvsandbox.machine.Machine;
import dev.riscvsandbox.memory.Memory;

/** Host calls on HTTP fields (519, 521–528, 530, 537): the guest names an object ({@code where}) and an index. */
final class HeaderCalls {
    private static final long INVALID = -1;
    /** Size of one foreach entry: {@code {int where; uint32 index; bool deleted; bool foreach;}} padded to 4. */
    private static final int FOREACH_ENTRY = 12;

    private HeaderCalls() {
    }

    private static HttpFields http(Machine m, int arg) {
        return state(m).http((int) m.reg(10 + arg));
    }

    /** 530: index of the first header called {@code name} (ignoring case), or INVALID. */
    static void find(Machine m) {
        HttpFields f = http(m, 0);
        String name = HostCalls.text(m, ptr(m, 1), len(m, 2), HttpFields.MAX_FIELD_LENGTH, "header name");
        int i = f.find(name);
        m.setReg(10, i < 0 ? INVALID : i);
    }

    /** 521: copies a whole field into a buffer; with a null buffer of size 0, returns the length only. */
    static void retrieve(Machine m) {
        HttpFields f = http(m, 0);
        String field = f.get(index(m, 1));
        if (field == null) {
            m.setReg(10, INVALID);
            return;
        }
        byte[] out = HostCalls.latin1(field);
        long buf = ptr(m, 2);
        long size = len(m, 3);
        if (buf == 0 && size == 0) {
            m.setReg(10, out.length);
            return;
        }
        HostCalls.writeResult(m, out, buf, size, true);
    }

    /**
     * 537: writes a field into a guest {@code std::string} (libstdc++ layout: pointer, length, then a 16-byte local
     * buffer or the capacity). Long values go to the host-managed heap, so this suits guests whose allocator is it.
     */
    static void retrieveStdString(Machine m) {
        VmState s = state(m);
        HttpFields f = s.http((int) m.reg(10));
        String field = f.get(index(m, 1));
        if (field == null) {
            m.setReg(10, INVALID);
            return;
        }
        byte[] bytes = HostCalls.latin1(field);
        long obj = ptr(m, 2);
        int w = m.xlen() / 8;
        Memory mem = m.memory();
        long data;
        if (bytes.length < 16) {
            data = obj + 2L * w;
        } else {
            data = s.heap.malloc(m, bytes.length + 1L);
            if (data == 0) {
                throw fault("no heap left for a field of " + bytes.length + " bytes");
            }
            storeWord(mem, w, obj + 2L * w, bytes.length);
        }
        mem.writeBytes(data, bytes, 0, bytes.length);
        mem.store8(data + bytes.length, 0);
        storeWord(mem, w, obj, data);
        storeWord(mem, w, obj + w, bytes.length);
        m.setReg(10, bytes.length);
    }

    private static void storeWord(Memory mem, int w, long addr, long value) {
        if (w == 8) {
            mem.store64(addr, value);
        } else {
            mem.store32(addr, (int) value);
        }
    }

    /** 522: appends a {@code "Name: value"} line; returns its index, or INVALID when the object is full. */
    static void append(Machine m) {
        HttpFields f = http(m, 0);
        String line = HostCalls.text(m, ptr(m, 1), len(m, 2), HttpFields.MAX_FIELD_LENGTH, "header line");
        int i;
        try {
            i = f.append(line); // validates the line
        } catch (IllegalArgumentException e) {
            throw fault(e.getMessage());
        }
        m.setReg(10, i < 0 ? INVALID : i);
    }

    /** 523: replaces a field; returns the new length, or INVALID for a missing field. */
    static void set(Machine m) {
        HttpFields f = http(m, 0);
        long idx = index(m, 1);
        String text = HostCalls.text(m, ptr(m, 2), len(m, 3), HttpFields.MAX_FIELD_LENGTH, "field");
        m.setReg(10, set(f, idx, text) ? text.length() : INVALID);
    }

    private static boolean set(HttpFields f, long idx, String text) {
        try {
            return f.set(idx, text);
        } catch (IllegalArgumentException e) {
            throw fault(e.getMessage());
        }
    }

    /**
     * 524: copies field {@code src} of one object over field {@code dst} of another; a missing source unsets the
     * destination (as VCL's {@code unset} of a copy does). Returns the length, or INVALID.
     */
    static void copy(Machine m) {
        HttpFields dst = http(m, 0);
        long dstIndex = index(m, 1);
        HttpFields src = state(m).http((int) m.reg(12));
        long srcIndex = index(m, 3);
        if (dstIndex == VmState.INVALID) {
            m.setReg(10, INVALID);
            return;
        }
        String text = srcIndex == VmState.INVALID ? null : src.get(srcIndex);
        if (text == null) {
            dst.unset(dstIndex);
            m.setReg(10, INVALID);
            return;
        }
        m.setReg(10, set(dst, dstIndex, text) ? text.length() : INVALID);
    }

    /** 525: removes a header line; INVALID and missing lines are ignored. Returns the index or INVALID. */
    static void unset(Machine m) {
        HttpFields f = http(m, 0);
        long idx = index(m, 1);
        if (idx == VmState.INVALID) {
            m.setReg(10, INVALID);
            return;
        }
        if (idx < HttpFields.FIRST_HEADER) {
            throw fault("field " + idx + " is not a header line and cannot be unset");
        }
        m.setReg(10, f.unset(idx) ? idx : INVALID);
    }

    /** 526: undoes every change the tenant made to an object in this request. */
    static void rollback(Machine m) {
        VmState s = state(m);
        int where = (int) m.reg(10);
        s.http(where); // validates where and availability
        s.rollback(where);
        m.setReg(10, 0);
    }

    /** 527: appends a copy of a header line to another object; returns the new index or INVALID. */
    static void copyToOther(Machine m) {
        VmState s = state(m);
        HttpFields src = s.http((int) m.reg(10));
        HttpFields dst = s.http((int) m.reg(12));
        long idx = index(m, 1);
        String line = idx >= HttpFields.FIRST_HEADER ? src.get(idx) : null;
        if (line == null) {
            m.setReg(10, INVALID);
            return;
        }
        int i = dst.append(line);
        m.setReg(10, i < 0 ? INVALID : i);
    }

    /** 528: sets a response status (100–999), or with a negative status, returns it. */
    static void status(Machine m) {
        int where = (int) m.reg(10);
        if (where != VmState.HDR_RESP && where != VmState.HDR_BERESP) {
            throw fault("only responses (2, 5) have a status, not " + where);
        }
        HttpFields f = http(m, 0);
        long status = m.reg(11);
        if (status < 0) {
            m.setReg(10, f.status());
            return;
        }
        if (status > Integer.MAX_VALUE || !HttpSyntax.isStatus((int) status)) {
            throw fault("status " + status + " is not in 100..999");
        }
        f.setStatus((int) status);
        m.setReg(10, status);
    }

    /**
     * 519: calls {@code func(data, entries, count)} with one entry per header line, on a budget of its own; lines whose
     * {@code deleted} flag the guest set are unset afterwards. Returns the count.
     */
    static void foreach(Machine m) {
        VmState s = state(m);
        int where = (int) m.reg(10);
        HttpFields f = s.http(where);
        long func = ptr(m, 1);
        long data = ptr(m, 2);
        int count = f.count() - HttpFields.FIRST_HEADER;
        if (count == 0) {
            m.setReg(10, 0);
            return;
        }
        long array = s.heap.malloc(m, (long) count * FOREACH_ENTRY);
        if (array == 0) {
            throw fault("no heap left for the foreach entries");
        }
        Memory mem = m.memory();
        for (int i = 0; i < count; i++) {
            long e = array + (long) i * FOREACH_ENTRY;
            mem.store32(e, where);
            mem.store32(e + 4, HttpFields.FIRST_HEADER + i);
            mem.store32(e + 8, 0x0100); // deleted = false, foreach = true
        }
        s.nestedCalls++;
        try {
            m.call(func, HostCalls.FOREACH_BUDGET, data, array, count);
        } finally {
            s.nestedCalls--;
        }
        if (f.count() != HttpFields.FIRST_HEADER + count) {
            throw fault("header lines were added or removed during foreach; mark entries deleted instead");
        }
        for (int i = count - 1; i >= 0; i--) { // from the top, so lower indices stay valid
            if (mem.load8(array + (long) i * FOREACH_ENTRY + 8) != 0) {
                f.unset(HttpFields.FIRST_HEADER + i);
            }
        }
        s.heap.free(m, array);
        m.setReg(10, count);
    }
}
