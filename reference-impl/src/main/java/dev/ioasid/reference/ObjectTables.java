package dev.ioasid.reference;

import dev.ioasid.contract.Bounds;
import dev.ioasid.reference.Objects.IommufdObject;

/**
 * One object table per VM (an xarray per iommufd context), with cyclic ID allocation as
 * {@code xa_alloc_cyclic} does: a destroyed ID is not handed out again until the others were.
 */
public class ObjectTables {
    protected final IommufdObject[][] tables;
    private final int[] cursors;

    public ObjectTables(Bounds bounds) {
        tables = new IommufdObject[bounds.vms() + 1][bounds.maxObjects() + 1];
        cursors = new int[bounds.vms() + 1];
    }

    /** Stores the object under a free ID of the VM; returns the ID or -ENOSPC. */
    int alloc(int vm, IommufdObject obj) {
        IommufdObject[] table = tables[vm];
        int limit = table.length - 1;
        for (int i = 1; i <= limit; i++) {
            int id = (cursors[vm] + i - 1) % limit + 1;
            if (table[id] == null) {
                table[id] = obj;
                obj.id = id;
                cursors[vm] = id;
                return id;
            }
        }
        return Err.ENOSPC;
    }

    /** The VM's object with this ID, or null. */
    protected IommufdObject lookup(int vm, int id) {
        IommufdObject[] table = tables[vm];
        return id >= 1 && id < table.length ? table[id] : null;
    }

    void remove(int vm, int id) {
        tables[vm][id] = null;
    }
}
