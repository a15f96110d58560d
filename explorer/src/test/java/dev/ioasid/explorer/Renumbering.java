package dev.ioasid.explorer;

import dev.ioasid.model.ModelObject;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelState;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.ObjectKey;
import io.vavr.collection.HashMap;
import io.vavr.collection.Map;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A state with its objects' IDs permuted within each VM, references and attachments following (for tests). */
final class Renumbering {

    private Renumbering() {
    }

    static ModelState random(ModelState s, Random random) {
        int max = s.bounds().maxObjects();
        int[][] to = new int[s.bounds().vms() + 1][];
        for (int vm = 1; vm <= s.bounds().vms(); vm++) {
            List<Integer> ids = new ArrayList<>();
            for (int id = 1; id <= max; id++) {
                ids.add(id);
            }
            Collections.shuffle(ids, random);
            to[vm] = new int[max + 1];
            for (int id = 1; id <= max; id++) {
                to[vm][id] = ids.get(id - 1);
            }
        }
        Map<ObjectKey, ModelObject> objects = HashMap.empty();
        for (var e : s.objects()) {
            int vm = e._1.vm();
            objects = objects.put(new ObjectKey(vm, to[vm][e._1.id()]), renamed(e._2, to[vm]));
        }
        Map<AttachPoint, Integer> attachments = HashMap.empty();
        for (var e : s.attachments()) {
            attachments = attachments.put(e._1, to[s.vmOf(e._1.device())][e._2]);
        }
        return new ModelState(s.bounds(), s.sets(), s.pasids(), objects, attachments, s.mm(), s.partial(), s.answers(),
                s.nextSerial(), s.answered(), s.design(), s.prq(), s.delivery());
    }

    private static ModelObject renamed(ModelObject o, int[] to) {
        if (o instanceof HwptPaging p) {
            return new HwptPaging(p.users(), to[p.ioas()], p.nestParent(), p.allocPasid(), p.fault() == 0 ? 0 : to[p.fault()],
                    p.pages(), p.auto());
        }
        if (o instanceof HwptNested n) {
            return new HwptNested(n.users(), to[n.parent()], n.allocPasid(), n.fault() == 0 ? 0 : to[n.fault()], n.stage1(),
                    n.stale(), n.viommu() == 0 ? 0 : to[n.viommu()]);
        }
        if (o instanceof ModelObject.Viommu v) {
            return new ModelObject.Viommu(v.users(), to[v.hwpt()]);
        }
        if (o instanceof ModelObject.Vdevice d) {
            return new ModelObject.Vdevice(d.users(), to[d.viommu()], d.device(), d.virtId());
        }
        return o instanceof FaultQueue q ? new FaultQueue(q.users(), q.delivered(), q.awaiting(), q.usedCookies()) : o;
    }
}
