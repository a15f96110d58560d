package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import io.vavr.collection.List;
import java.lang.reflect.RecordComponent;

/**
 * Simpler variants of one operation, simplest first: each differs in one argument, moved towards
 * 0 (numbers), false (flags) or the first constant (enums). Works on every operation record through
 * its components, so a new operation is simplified without code here.
 */
public final class Simplifier {

    private Simplifier() {
    }

    public static List<Operation> simpler(Operation op) {
        RecordComponent[] components = op.getClass().getRecordComponents();
        List<Operation> variants = simplerKinds(op);
        for (int i = 0; i < components.length; i++) {
            Object value = read(components[i], op);
            for (Object smaller : smallerValues(value)) {
                variants = variants.append(with(op, components, i, smaller));
            }
        }
        return variants;
    }

    /**
     * Variants of a whole sequence in which one value that an argument has in several operations is
     * lowered in all of them at once (two ranges that must both shrink to one value, a PASID that
     * must change everywhere it is named); simplest first.
     */
    public static List<List<Operation>> simplerTogether(List<Operation> ops) {
        java.util.Map<String, java.util.Set<Integer>> seen = new java.util.TreeMap<>();
        java.util.Map<String, java.util.Set<Integer>> repeated = new java.util.TreeMap<>();
        for (Operation op : ops) {
            for (RecordComponent component : op.getClass().getRecordComponents()) {
                if (read(component, op) instanceof Integer n && n != 0
                        && !seen.computeIfAbsent(component.getName(), k -> new java.util.TreeSet<>()).add(n)) {
                    repeated.computeIfAbsent(component.getName(), k -> new java.util.TreeSet<>()).add(n);
                }
            }
        }
        List<List<Operation>> variants = List.empty();
        for (var entry : repeated.entrySet()) {
            for (int value : entry.getValue()) {
                for (Object smaller : smallerValues(value)) {
                    variants = variants.append(ops.map(op -> replaceValue(op, entry.getKey(), value, smaller)));
                }
            }
        }
        return variants;
    }

    private static Operation replaceValue(Operation op, String name, int value, Object smaller) {
        RecordComponent[] components = op.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name) && Integer.valueOf(value).equals(read(components[i], op))) {
                return with(op, components, i, smaller);
            }
        }
        return op;
    }

    /**
     * Operations may stand for one another while shrinking, simplest kind first: a query that
     * observes what an operation would have shown (a failure is often visible to a query before the
     * operation that tripped over it), and the allocation of a simpler object where a more complex
     * one was made (what a failure needs is often only that some table exists).
     */
    private static int rank(Operation op) {
        if (op instanceof Operation.QuerySet || op instanceof Operation.QueryPasid || op instanceof Operation.QueryObject
                || op instanceof Operation.QueryAreas || op instanceof Operation.QueryPages
                || op instanceof Operation.QueryAttachment || op instanceof Operation.QueryResponses) {
            return 0;
        }
        if (op instanceof Operation.AllocIoas) return 1;
        if (op instanceof Operation.AllocSva) return 2;
        if (op instanceof Operation.AllocFaultQueue) return 3;
        if (op instanceof Operation.AllocHwptPaging) return 4;
        if (op instanceof Operation.AllocHwptNested) return 5;
        if (op instanceof Operation.Replace) return 7;
        if (op instanceof Operation.CopyArea) return 7; // a map of the same range stands for it
        return 6;
    }

    private static List<Operation> simplerKinds(Operation op) {
        List<Operation> candidates = List.empty();
        if (op instanceof Operation.AllocHwptPaging || op instanceof Operation.AllocHwptNested
                || op instanceof Operation.AllocFaultQueue || op instanceof Operation.AllocSva) {
            int vm = ((Operation.VmOp) op).vm();
            candidates = List.of(new Operation.AllocIoas(vm), new Operation.AllocSva(vm, 1), new Operation.AllocFaultQueue(vm));
        } else if (op instanceof Operation.FreeSet o) {
            candidates = List.of(new Operation.QuerySet(o.vm()));
        } else if (op instanceof Operation.FreePasid o) {
            candidates = List.of(new Operation.QueryPasid(o.vm(), o.pasid()));
        } else if (op instanceof Operation.Destroy o) {
            candidates = List.of(new Operation.QueryObject(o.vm(), o.id()));
        } else if (op instanceof Operation.MapArea o) {
            candidates = List.of(new Operation.QueryAreas(o.vm(), o.ioas()), new Operation.QueryPages(o.vm(), o.ioas()));
        } else if (op instanceof Operation.Unmap o) {
            candidates = List.of(new Operation.QueryAreas(o.vm(), o.ioas()), new Operation.QueryPages(o.vm(), o.ioas()));
        } else if (op instanceof Operation.MapAreaAuto o) {
            candidates = List.of(new Operation.QueryAreas(o.vm(), o.ioas()));
        } else if (op instanceof Operation.AllowIovas o) {
            candidates = List.of(new Operation.QueryAreas(o.vm(), o.ioas()));
        } else if (op instanceof Operation.CopyArea o) {
            candidates = List.of(new Operation.MapArea(o.vm(), o.ioas(), o.iova(), o.pages(), 0, o.access()),
                    new Operation.QueryAreas(o.vm(), o.ioas()));
        } else if (op instanceof Operation.UnmapAll o) {
            candidates = List.of(new Operation.QueryAreas(o.vm(), o.ioas()), new Operation.QueryPages(o.vm(), o.ioas()));
        } else if (op instanceof Operation.Attach o) {
            candidates = List.of(new Operation.QueryAttachment(o.device(), o.pasid()));
        } else if (op instanceof Operation.Replace o) {
            candidates = List.of(new Operation.QueryAttachment(o.device(), o.pasid()),
                    new Operation.Attach(o.device(), o.pasid(), o.table()), new Operation.Detach(o.device(), o.pasid()));
        } else if (op instanceof Operation.Detach o) {
            candidates = List.of(new Operation.QueryAttachment(o.device(), o.pasid()));
        }
        return candidates.filter(simpler -> rank(simpler) < rank(op));
    }

    /**
     * A measure that every accepted simplification lowers: the rank of each operation's kind among
     * those that can stand for one another, then the sum of argument magnitudes.
     */
    public static long complexity(List<Operation> ops) {
        return ops.map(op -> rank(op) * 1000L + size(op)).sum().longValue();
    }

    public static long size(Operation op) {
        long size = 0;
        for (RecordComponent component : op.getClass().getRecordComponents()) {
            Object value = read(component, op);
            if (value instanceof Integer n) {
                size += Math.abs(n);
            } else if (value instanceof Boolean b && b) {
                size += 1;
            } else if (value instanceof Enum<?> e) {
                size += e.ordinal();
            }
        }
        return size;
    }

    private static List<Object> smallerValues(Object value) {
        if (value instanceof Integer n && n != 0) {
            List<Integer> candidates = n > 0 ? List.of(0, 1, n / 2, n - 1) : List.of(0, n + 1);
            return candidates.distinct().filter(c -> Math.abs(c) < Math.abs(n)).map(c -> (Object) c);
        }
        if (value instanceof Boolean b && b) {
            return List.of(false);
        }
        if (value instanceof Enum<?> e && e.ordinal() > 0) {
            Object[] constants = e.getDeclaringClass().getEnumConstants();
            return List.of(constants).take(e.ordinal());
        }
        return List.empty();
    }

    private static Object read(RecordComponent component, Operation op) {
        return Reflect.read(component, op);
    }

    private static Operation with(Operation op, RecordComponent[] components, int index, Object value) {
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = i == index ? value : read(components[i], op);
            types[i] = components[i].getType();
        }
        return Reflect.construct(op, types, args);
    }
}
