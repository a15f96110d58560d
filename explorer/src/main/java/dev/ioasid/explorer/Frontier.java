package dev.ioasid.explorer;

import dev.ioasid.model.ModelState;

/**
 * How the explorer keeps the states of a level until it expands them: as the model's objects, or
 * packed into byte arrays ({@link StateCodec}) and unpacked when expanded. Either way it expands the
 * same states in the same order and reports the same counts, checksums and traces
 * ({@code StateCodecTests}). Packed, a state takes about 90 bytes instead of a graph of persistent
 * maps, and the collector has nothing in it to trace; packing and unpacking cost up to 17 % of the
 * time (ExplorerBenchmark, default bounds, medians: 169,000 states/s packed against 203,000 as
 * objects with two threads; no measurable difference with one), which pays only where the frontier
 * is large.
 */
public enum Frontier {
    /**
     * The default: a level's successors are packed when the level has at least 2^18 states. The
     * default bounds (levels of at most 143,352 states) keep objects and their speed; bounds whose
     * levels run to hundreds of thousands or millions (the mdev bounds, interleaved delivery) keep
     * their wide levels in a fraction of the memory.
     */
    AUTO(1 << 18),
    /** Every state packed. */
    PACKED(0),
    /** Every state as objects: the reference the packed frontier is checked against. */
    OBJECTS(Integer.MAX_VALUE);

    private final int packFrom;

    Frontier(int packFrom) {
        this.packFrom = packFrom;
    }

    /** The successors of a level of at least this many states are packed. */
    int packFrom() {
        return packFrom;
    }

    /** Packs a state of one exploration into bytes that unpack to an equal state. */
    interface Codec {
        byte[] pack(ModelState state);

        ModelState unpack(byte[] packed);
    }
}
