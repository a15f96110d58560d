package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Operation.AllocPasid;
import dev.ioasid.contract.Operation.DeviceOp;
import dev.ioasid.contract.Operation.VmOp;
import dev.ioasid.contract.Result;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a shrunk sequence meaning what it meant. Implementations choose IDs (a cyclic allocator
 * hands out 3 where it handed out 4 once an earlier allocation is gone), so when a replay of a
 * candidate gets a different ID from an allocation than the sequence it came from did, later
 * arguments that named the old ID are renamed to the new one. Object IDs and fault cookies are
 * renamed per VM, PASIDs system-wide. Arguments are recognised by their record component names.
 */
public final class IdRenaming {
    static final Set<String> OBJECT_ARGUMENTS = Set.of("id", "ioas", "parent", "fault", "table", "hwpt", "queue",
            "viommu", "src");
    static final Set<String> COOKIE_ARGUMENTS = Set.of("cookie");
    static final Set<String> PASID_ARGUMENTS = Set.of("pasid");
    private static final int PASID_SCOPE = 0;
    /** Cookies are renamed per VM, in scopes apart from the VMs' object IDs. */
    private static final int COOKIE_SCOPES = 1 << 16;

    private final Bounds bounds;
    private final Map<Long, Integer> renames = new HashMap<>();

    public IdRenaming(Bounds bounds) {
        this.bounds = bounds;
    }

    /** The operation with every ID argument that was renamed so far replaced by its new value. */
    public Operation rename(Operation op) {
        if (renames.isEmpty()) {
            return op;
        }
        RecordComponent[] components = op.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean changed = false;
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            Object value = Reflect.read(components[i], op);
            types[i] = components[i].getType();
            args[i] = value;
            int scope = PASID_ARGUMENTS.contains(name) ? PASID_SCOPE : OBJECT_ARGUMENTS.contains(name) ? vmOf(op)
                    : COOKIE_ARGUMENTS.contains(name) ? COOKIE_SCOPES + vmOf(op) : -1;
            if (scope >= 0 && value instanceof Integer id) {
                Integer renamed = renames.get(key(scope, id));
                if (renamed != null && !renamed.equals(id)) {
                    args[i] = renamed;
                    changed = true;
                }
            }
        }
        return changed ? Reflect.construct(op, types, args) : op;
    }

    /** Records that {@code op}, which once returned {@code before}, now returned {@code now}. */
    public void learn(Operation op, Result before, Result now) {
        if (before instanceof Result.Allocated was && now instanceof Result.Allocated is) {
            int scope = op instanceof AllocPasid ? PASID_SCOPE : vmOf(op);
            renames.put(key(scope, was.id()), is.id());
        }
        if (before instanceof Result.FaultGroups was && now instanceof Result.FaultGroups is) {
            // The same groups read in the same order: the i-th cookie then is the i-th cookie now.
            for (int i = 0; i < Math.min(was.groups().size(), is.groups().size()); i++) {
                renames.put(key(COOKIE_SCOPES + vmOf(op), was.groups().get(i).cookie()), is.groups().get(i).cookie());
            }
        }
    }

    private int vmOf(Operation op) {
        if (op instanceof DeviceOp d) {
            return bounds.device(d.device()).map(spec -> spec.vm()).orElse(-1);
        }
        return op instanceof VmOp v ? v.vm() : -1;
    }

    private static long key(int scope, int id) {
        return ((long) scope << 32) | (id & 0xffffffffL);
    }
}
