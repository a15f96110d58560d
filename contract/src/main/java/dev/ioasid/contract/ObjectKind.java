package dev.ioasid.contract;

/** The kinds of object in a VM's object namespace. */
public enum ObjectKind {
    IOAS,
    HWPT_PAGING,
    HWPT_NESTED,
    FAULT_QUEUE,
    SVA
}
