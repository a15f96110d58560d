package dev.ioasid.contract;

/** Where a translation failed: the level decides who handles the fault. */
public enum FaultLevel {
    /** Nothing is attached at the attach point: DMA is blocked. */
    BLOCKED,
    /** The stage-1 (user-owned) table of a nested HWPT. */
    STAGE1,
    /** The stage-2 (kernel-owned) parent of a nested HWPT. */
    STAGE2,
    /** A one-level table: a paging HWPT, or an IOAS attached to the RID. */
    PAGING,
    /** The process address space of an SVA domain. */
    SVA
}
