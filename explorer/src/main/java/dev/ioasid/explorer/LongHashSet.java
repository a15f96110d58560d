package dev.ioasid.explorer;

/**
 * A set of 64-bit fingerprints in one {@code long[]} with open addressing (linear probing), no
 * boxing. The table grows by half when three quarters full, so it holds between 10.7 and 16 bytes
 * a state. The value 0 marks an empty slot, so a fingerprint of 0 is stored as 1 (a collision
 * TLC-style checkers accept, like any other fingerprint collision). Not thread-safe: the explorer
 * reads it from several threads only while nobody writes.
 */
final class LongHashSet {
    private long[] slots;
    private int size;
    private long sum;

    LongHashSet(int expected) {
        slots = new long[Math.max(16, expected * 4 / 3 + 1)];
    }

    boolean contains(long fingerprint) {
        long key = fingerprint == 0 ? 1 : fingerprint;
        for (int i = index(key, slots.length); ; i = i + 1 == slots.length ? 0 : i + 1) {
            long slot = slots[i];
            if (slot == key) {
                return true;
            }
            if (slot == 0) {
                return false;
            }
        }
    }

    /** Adds the fingerprint; whether it was new. */
    boolean add(long fingerprint) {
        long key = fingerprint == 0 ? 1 : fingerprint;
        if ((size + 1) * 4L > slots.length * 3L) {
            grow();
        }
        boolean added = insert(slots, key);
        if (added) {
            sum += key;
        }
        return added;
    }

    int size() {
        return size;
    }

    /** The sum of the fingerprints added (each counted once), as stored. */
    long sum() {
        return sum;
    }

    long bytes() {
        return slots.length * 8L;
    }

    private boolean insert(long[] table, long key) {
        for (int i = index(key, table.length); ; i = i + 1 == table.length ? 0 : i + 1) {
            long slot = table[i];
            if (slot == key) {
                return false;
            }
            if (slot == 0) {
                table[i] = key;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length + old.length / 2];
        size = 0;
        for (long key : old) {
            if (key != 0) {
                insert(slots, key);
            }
        }
    }

    /** Maps a (well mixed) fingerprint onto {@code [0, length)} without a division. */
    private static int index(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (((h >>> 32) * length) >>> 32);
    }
}
