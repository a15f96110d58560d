package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.PasidSpace;
import dev.ioasid.reference.ReferenceImplementation;

/** Planted bugs in the PASID space: quotas, uniqueness, the lifecycle. */
final class PasidMutants {

    private PasidMutants() {
    }

    /**
     * {@code nr_ioasids > quota} instead of {@code >=}: a set gets one PASID more than its quota.
     * Shortest trace (3): createSet(vm=1, quota=1); allocPasid; allocPasid -> ok instead of ENOSPC.
     */
    static final class QuotaOffByOne extends ReferenceImplementation {
        QuotaOffByOne(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected boolean quotaExhausted(IoasidSetStruct set) {
                    return set.nrIoasids > set.quota;
                }
            };
        }
    }

    /**
     * Freeing a set forgets to give its quota back to the capacity.
     * Shortest trace (3): createSet(vm=1, quota=0) takes all; freeSet(vm=1); createSet(vm=1, quota=0)
     * -> ENOSPC instead of ok.
     */
    static final class QuotaNotReturned extends ReferenceImplementation {
        QuotaNotReturned(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected void returnQuota(IoasidSetStruct set) {
                }
            };
        }
    }

    /**
     * The allocator looks for a free value in the set's own xarray, so two sets can get the same
     * PASID. Shortest trace (4): createSet(vm=1, quota=1); createSet(vm=2, quota=1);
     * allocPasid(vm=1, 1..1); allocPasid(vm=2, 1..1) -> ok(id=1) instead of ENOSPC.
     */
    static final class PasidUniquePerSet extends ReferenceImplementation {
        PasidUniquePerSet(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected boolean inUse(IoasidSetStruct set, int id) {
                    return xa[id] != null && xa[id].set == set;
                }
            };
        }
    }

    /**
     * {@code ioasid_free} releases the PASID at once, ignoring the references attachments hold.
     * Shortest trace (6): createSet; allocPasid; allocSva; attach(dev=1, pasid, sva); freePasid
     * (ok either way); queryPasid -> ENOENT instead of FREE_PENDING with one reference.
     */
    static final class FreeIgnoresReferences extends ReferenceImplementation {
        FreeIgnoresReferences(Bounds bounds) {
            super(bounds);
        }

        @Override protected PasidSpace newPasidSpace(Bounds bounds) {
            return new PasidSpace(bounds) {
                @Override protected boolean hasReferences(IoasidData data) {
                    return false;
                }
            };
        }
    }
}
