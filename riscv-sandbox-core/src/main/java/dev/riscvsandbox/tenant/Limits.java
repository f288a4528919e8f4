package dev.riscvsandbox.tenant;

/**
 * The limits a tenant runs under. Groups carry defaults; a tenant starts from its group's limits and may override
 * each one.
 *
 * @param maxInstructions instruction budget of every guest call: {@code main()} at load time, each hook, each resume
 * @param maxMemory       bytes of memory a VM may own (pages it writes)
 * @param maxHeap         bytes of the host-managed heap arena (system calls 580–584)
 * @param maxRequestBody  bytes of a request body handed to forge callbacks; adapters refuse larger bodies (413)
 */
public record Limits(long maxInstructions, long maxMemory, long maxHeap, long maxRequestBody) {
    /** The original's defaults (20 M instructions, 32 MiB of memory, a 512 MiB heap arena) and 1 MiB bodies. */
    public static final Limits DEFAULTS = new Limits(20_000_000L, 32L << 20, 512L << 20, 1L << 20);
    /** Largest accepted request body limit. */
    public static final long MAX_REQUEST_BODY = 128L << 20;

    /** Largest accepted instruction budget. */
    public static final long MAX_INSTRUCTIONS = 1L << 40;
    /** Largest accepted memory limit. */
    public static final long MAX_MEMORY = 16L << 30;
    /** Largest accepted heap arena. */
    public static final long MAX_HEAP = 4L << 30;

    public Limits {
        if (maxInstructions <= 0 || maxInstructions > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("max_instructions must be in 1.." + MAX_INSTRUCTIONS + ": "
                    + maxInstructions);
        }
        if (maxMemory < 4096 || maxMemory > MAX_MEMORY) {
            throw new IllegalArgumentException("max_memory must be in 4KiB..16GiB: " + maxMemory + " bytes");
        }
        if (maxHeap < 0 || maxHeap > MAX_HEAP) {
            throw new IllegalArgumentException("max_heap must be in 0..4GiB: " + maxHeap + " bytes");
        }
        if (maxRequestBody < 0 || maxRequestBody > MAX_REQUEST_BODY) {
            throw new IllegalArgumentException("max_request_body must be in 0..128MiB: " + maxRequestBody + " bytes");
        }
    }

    public Limits withMaxInstructions(long n) {
        return new Limits(n, maxMemory, maxHeap, maxRequestBody);
    }

    public Limits withMaxMemory(long bytes) {
        return new Limits(maxInstructions, bytes, maxHeap, maxRequestBody);
    }

    public Limits withMaxHeap(long bytes) {
        return new Limits(maxInstructions, maxMemory, bytes, maxRequestBody);
    }

    public Limits withMaxRequestBody(long bytes) {
        return new Limits(maxInstructions, maxMemory, maxHeap, bytes);
    }
}
