package dev.ioasid.contract;

/** Lifecycle of an allocated PASID. A released PASID is in no set and has no state. */
public enum PasidState {
    ACTIVE,
    FREE_PENDING
}
