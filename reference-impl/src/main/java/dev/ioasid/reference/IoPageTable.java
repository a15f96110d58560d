package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.PageMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-level radix I/O page table of 64-bit PTEs, as a hardware domain holds it: a PTE is
 * {@code host << 3 | write << 2 | read << 1 | present}, with a dirty bit (bit 62) the IOMMU sets on
 * a write while dirty tracking is on. Leaf tables are allocated on first use.
 */
public final class IoPageTable {
    private static final int LEAF_BITS = 2;
    private static final int LEAF_SIZE = 1 << LEAF_BITS;
    private static final long PRESENT = 1;
    private static final long READ = 2;
    private static final long WRITE = 4;
    private static final long DIRTY = 1L << 62;

    private final long[][] directory;

    IoPageTable(int iovaPages) {
        directory = new long[(iovaPages + LEAF_SIZE - 1) / LEAF_SIZE][];
    }

    void map(int iova, int host, Access access) {
        long[] leaf = directory[iova >> LEAF_BITS];
        if (leaf == null) {
            leaf = new long[LEAF_SIZE];
            directory[iova >> LEAF_BITS] = leaf;
        }
        leaf[iova & (LEAF_SIZE - 1)] = pte(host, access);
    }

    void unmap(int iova) {
        long[] leaf = directory[iova >> LEAF_BITS];
        if (leaf != null) {
            leaf[iova & (LEAF_SIZE - 1)] = 0;
        }
    }

    /** The PTE for an IOVA page, or 0 when not present. */
    long lookup(int iova) {
        long[] leaf = iova >= 0 && (iova >> LEAF_BITS) < directory.length ? directory[iova >> LEAF_BITS] : null;
        return leaf == null ? 0 : leaf[iova & (LEAF_SIZE - 1)];
    }

    /** The IOMMU sets the dirty bit of a present PTE it wrote through. */
    void setDirty(int iova) {
        long[] leaf = directory[iova >> LEAF_BITS];
        if (leaf != null && present(leaf[iova & (LEAF_SIZE - 1)])) {
            leaf[iova & (LEAF_SIZE - 1)] |= DIRTY;
        }
    }

    /** Whether the page's dirty bit is set; cleared on the way unless {@code keep} (read_and_clear_dirty). */
    boolean testDirty(int iova, boolean keep) {
        long[] leaf = iova >= 0 && (iova >> LEAF_BITS) < directory.length ? directory[iova >> LEAF_BITS] : null;
        if (leaf == null || (leaf[iova & (LEAF_SIZE - 1)] & DIRTY) == 0) {
            return false;
        }
        if (!keep) {
            leaf[iova & (LEAF_SIZE - 1)] &= ~DIRTY;
        }
        return true;
    }

    /** Walks the table in IOVA order. */
    List<PageMapping> walk() {
        List<PageMapping> pages = new ArrayList<>();
        for (int dir = 0; dir < directory.length; dir++) {
            long[] leaf = directory[dir];
            for (int i = 0; leaf != null && i < LEAF_SIZE; i++) {
                long pte = leaf[i];
                if ((pte & PRESENT) != 0) {
                    pages.add(new PageMapping(dir * LEAF_SIZE + i, host(pte), access(pte)));
                }
            }
        }
        return pages;
    }

    static boolean present(long pte) {
        return (pte & PRESENT) != 0;
    }

    static int host(long pte) {
        return (int) ((pte & ~DIRTY) >>> 3);
    }

    static long pte(int page, Access access) {
        return access == Access.NONE ? 0 : ((long) page << 3) | (access.permits(Access.WRITE) ? WRITE : 0)
                | (access.permits(Access.READ) ? READ : 0) | PRESENT;
    }

    static Access access(long pte) {
        boolean read = (pte & READ) != 0;
        boolean write = (pte & WRITE) != 0;
        return read && write ? Access.READ_WRITE : read ? Access.READ : write ? Access.WRITE : Access.NONE;
    }
}
