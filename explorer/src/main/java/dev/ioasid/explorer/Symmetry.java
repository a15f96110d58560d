package dev.ioasid.explorer;

import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Symmetry reduction over object IDs: each VM's objects are ordered by what they are, not by their
 * IDs (kind, flags, contents, who refers to them and what they refer to, each described without
 * IDs), and renumbered 1..n in that order. Objects that no description tells apart keep their
 * relative ID order, so some symmetric states may stay apart (the reduction is partial), but two
 * states are never merged unless one is a renumbering of the other.
 */
final class Symmetry {

    private Symmetry() {
    }

    static Map<ObjectKey, Integer> canonicalIds(ModelState s) {
        Map<Integer, List<ObjectKey>> byVm = new HashMap<>();
        for (ObjectKey key : s.objects().keySet()) {
            byVm.computeIfAbsent(key.vm(), vm -> new ArrayList<>()).add(key);
        }
        Map<ObjectKey, Integer> ids = new HashMap<>();
        for (List<ObjectKey> keys : byVm.values()) {
            Map<ObjectKey, Long> signature = new HashMap<>();
            for (ObjectKey key : keys) {
                signature.put(key, signature(s, key, true));
            }
            keys.sort(Comparator.comparingLong((ObjectKey k) -> signature.get(k)).thenComparingInt(ObjectKey::id));
            for (int i = 0; i < keys.size(); i++) {
                ids.put(keys.get(i), i + 1);
            }
        }
        return ids;
    }

    /** A description of an object that names no object ID; with {@code deep}, of what it refers to as well. */
    private static long signature(ModelState s, ObjectKey key, boolean deep) {
        ModelObject o = s.object(key.vm(), key.id()).get();
        long h = mix(o.kind().ordinal() + 1, o.users());
        if (o instanceof Ioas ioas) {
            h = mix(h, ioas.areas().hashCode());
        } else if (o instanceof HwptPaging p) {
            h = mix(mix(h, (p.nestParent() ? 2 : 0) + (p.allocPasid() ? 1 : 0)), p.fault() != 0 ? 7 : 3);
            h = mix(h, p.pages().hashCode());
            if (deep) {
                h = mix(h, signature(s, new ObjectKey(key.vm(), p.ioas()), false));
            }
        } else if (o instanceof HwptNested n) {
            h = mix(mix(h, n.allocPasid() ? 1 : 0), n.fault() != 0 ? 7 : 3);
            h = mix(mix(h, n.stage1().hashCode()), n.stale().hashCode());
            if (deep) {
                h = mix(h, signature(s, new ObjectKey(key.vm(), n.parent()), false));
            }
        } else if (o instanceof FaultQueue q) {
            h = mix(mix(h, q.delivered().map(g -> List.of(g.device(), g.pasid(), g.group(), g.requests().hashCode(),
                    g.level().ordinal())).hashCode()), q.awaiting().size());
        } else if (o instanceof Sva sva) {
            h = mix(h, sva.mm());
        }
        for (var attachment : s.attachments()) {
            if (attachment._2 == key.id() && s.vmOf(attachment._1.device()) == key.vm()) {
                h = mix(h, attachment._1.device() * 1031L + attachment._1.pasid());
            }
        }
        return h;
    }

    private static long mix(long h, long v) {
        long z = (h ^ v) * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 31);
    }
}
