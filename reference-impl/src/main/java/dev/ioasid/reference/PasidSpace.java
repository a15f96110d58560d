package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import java.util.HashMap;
import java.util.Map;

/**
 * The PASID allocator of {@code ioasid.c}: a system-wide table of allocated IDs, per-token sets
 * with quotas reserved from a capacity, and a cyclic search cursor (so the value returned is not
 * the lowest free one, and the model must accept any legal choice).
 */
public class PasidSpace {

    /** An IOASID set, one per token (VM). */
    public static final class IoasidSetStruct {
        public final int token;
        public final int quota;
        public int nrIoasids;

        IoasidSetStruct(int token, int quota) {
            this.token = token;
            this.quota = quota;
        }
    }

    /** An allocated PASID. */
    public static final class IoasidData {
        public final int id;
        public final IoasidSetStruct set;
        public boolean freePending;
        public int refs;

        IoasidData(int id, IoasidSetStruct set) {
            this.id = id;
            this.set = set;
        }
    }

    protected final IoasidData[] xa;
    protected final Map<Integer, IoasidSetStruct> setsByToken = new HashMap<>();
    protected int capacityAvailable;
    private int cursor = 1;

    public PasidSpace(Bounds bounds) {
        this.xa = new IoasidData[bounds.pasidMax() + 1];
        this.capacityAvailable = bounds.capacity();
    }

    public int setAlloc(int token, int quota) {
        if (quota < 0) {
            return Err.EINVAL;
        }
        if (setsByToken.containsKey(token)) {
            return Err.EEXIST;
        }
        int granted = quota == 0 ? capacityAvailable : quota;
        if (granted == 0 || granted > capacityAvailable) {
            return Err.ENOSPC;
        }
        capacityAvailable -= granted;
        setsByToken.put(token, new IoasidSetStruct(token, granted));
        return 0;
    }

    public int setFree(int token) {
        IoasidSetStruct set = setsByToken.get(token);
        if (set == null) {
            return Err.ENOENT;
        }
        if (set.nrIoasids > 0) {
            return Err.EBUSY;
        }
        setsByToken.remove(token);
        returnQuota(set);
        return 0;
    }

    public IoasidSetStruct set(int token) {
        return setsByToken.get(token);
    }

    /** Allocates a PASID in {@code [min, max]} for the token's set; returns it or -errno. */
    public int alloc(int token, int min, int max) {
        IoasidSetStruct set = setsByToken.get(token);
        if (set == null || min > max || min < 1 || max >= xa.length) {
            return Err.EINVAL;
        }
        if (quotaExhausted(set)) {
            return Err.ENOSPC;
        }
        int id = findFree(set, min, max);
        if (id < 0) {
            return Err.ENOSPC;
        }
        xa[id] = new IoasidData(id, set);
        set.nrIoasids++;
        cursor = id + 1;
        return id;
    }

    public int free(int token, int id) {
        IoasidData data = lookup(token, id);
        if (data == null) {
            return lookupError(token, id);
        }
        if (data.freePending) {
            return 0;
        }
        if (hasReferences(data)) {
            data.freePending = true;
            return 0;
        }
        release(data);
        return 0;
    }

    /** Takes a reference for an attachment: {@code ioasid_get}. */
    public int get(int token, int id) {
        IoasidData data = lookup(token, id);
        if (data == null) {
            return lookupError(token, id);
        }
        if (refusesNewReference(data)) {
            return Err.EBUSY;
        }
        takeReference(data);
        return 0;
    }

    /** A free-pending PASID takes no new reference. */
    protected boolean refusesNewReference(IoasidData data) {
        return data.freePending;
    }

    protected void takeReference(IoasidData data) {
        data.refs++;
    }

    /** Drops a reference: {@code ioasid_put}; the last one releases a free-pending PASID. */
    public void put(int id) {
        IoasidData data = xa[id];
        data.refs--;
        if (data.refs == 0 && data.freePending) {
            release(data);
        }
    }

    /** The PASID if the token's set holds it, else null. */
    public IoasidData lookup(int token, int id) {
        if (id < 1 || id >= xa.length || xa[id] == null) {
            return null;
        }
        return xa[id].set.token == token ? xa[id] : null;
    }

    /** Why {@link #lookup} found nothing: no set holds it (ENOENT) or another does (EACCES). */
    public int lookupError(int token, int id) {
        return id < 1 || id >= xa.length || xa[id] == null ? Err.ENOENT : Err.EACCES;
    }

    protected boolean quotaExhausted(IoasidSetStruct set) {
        return set.nrIoasids >= set.quota;
    }

    protected void returnQuota(IoasidSetStruct set) {
        capacityAvailable += set.quota;
    }

    protected boolean hasReferences(IoasidData data) {
        return data.refs > 0;
    }

    /** Whether {@code id} is taken, as far as allocation for {@code set} is concerned. */
    protected boolean inUse(IoasidSetStruct set, int id) {
        return xa[id] != null;
    }

    protected void release(IoasidData data) {
        xa[data.id] = null;
        data.set.nrIoasids--;
    }

    /** Next-fit: search from the cursor to max, then wrap around to min. */
    private int findFree(IoasidSetStruct set, int min, int max) {
        int start = Math.min(Math.max(cursor, min), max);
        for (int i = 0; i <= max - min; i++) {
            int id = min + (start - min + i) % (max - min + 1);
            if (!inUse(set, id)) {
                return id;
            }
        }
        return -1;
    }
}
