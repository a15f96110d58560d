package dev.ioasid.model;

import dev.ioasid.contract.Pasid;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.OpenGroup;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelObject.Vdevice;
import dev.ioasid.model.ModelObject.Viommu;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a step changed, in words, TLC style: the state flattened into named lines, and the lines
 * that appeared ({@code +}), changed ({@code ~}) or went ({@code -}).
 */
public final class StateDiff {

    private StateDiff() {
    }

    public static List<String> changes(ModelState before, ModelState after) {
        List<String> changes = new ArrayList<>();
        if (before == after) {
            return changes;
        }
        Map<String, String> was = flatten(before);
        Map<String, String> is = flatten(after);
        for (Map.Entry<String, String> e : is.entrySet()) {
            String old = was.get(e.getKey());
            if (old == null) {
                changes.add("+ " + e.getKey() + ": " + e.getValue());
            } else if (!old.equals(e.getValue())) {
                changes.add("~ " + e.getKey() + ": " + e.getValue());
            }
        }
        for (String key : was.keySet()) {
            if (!is.containsKey(key)) {
                changes.add("- " + key);
            }
        }
        return changes;
    }

    private static Map<String, String> flatten(ModelState s) {
        Map<String, String> lines = new TreeMap<>();
        s.sets().forEach((vm, set) -> lines.put("set of vm " + vm, "quota=" + set.quota() + " used=" + set.used()));
        s.pasids().forEach((p, e) -> lines.put("pasid " + p, "vm=" + e.vm() + " " + e.state() + " refs=" + e.refs()));
        s.objects().forEach((key, o) -> lines.put("vm " + key.vm() + " object " + key.id(), describe(o)));
        s.attachments().forEach((point, table) -> lines.put("attach (dev=" + point.device() + ", pasid="
                + Pasid.show(point.pasid()) + ")", "table " + table));
        s.mm().forEach((page, m) -> lines.put("mm " + page.mm() + " page " + page.page(), "host " + m.host() + ":" + m.access()));
        s.partial().forEach((key, requests) -> lines.put("held requests (dev=" + key.device() + ", pasid="
                + Pasid.show(key.pasid()) + ", group=" + key.group() + ")", requests.mkString("[", ", ", "]")));
        if (!s.prq().isEmpty()) {
            lines.put("page request queue", s.prq().map(g -> "(dev=" + g.device() + ", pasid=" + Pasid.show(g.pasid())
                    + ", group=" + g.group() + " " + g.requests().mkString("[", ", ", "]") + (g.orphaned() ? ", orphaned" : "")
                    + ")").mkString("[", ", ", "]"));
        }
        s.answers().forEach((device, answers) -> lines.put("responses of dev " + device,
                answers.map(a -> a.response().toString()).mkString("[", ", ", "]")));
        return lines;
    }

    private static String describe(ModelObject o) {
        String users = " users=" + o.users();
        if (o instanceof Ioas ioas) {
            return "IOAS" + users + " areas=" + ioas.areas().values().mkString("[", ", ", "]")
                    + (ioas.writableBehind().isEmpty() ? ""
                    : " writable pages behind read-only areas at " + ioas.writableBehind().toList().sorted())
                    + (ioas.allowed().any() ? "" : " allowed IOVAs [" + ioas.allowed().iova() + ", "
                    + ((long) ioas.allowed().iova() + ioas.allowed().pages()) + ")");
        }
        if (o instanceof HwptPaging p) {
            return "HWPT_PAGING" + users + (p.auto() ? " auto" : "") + " ioas=" + p.ioas() + (p.nestParent() ? " NEST_PARENT" : "")
                    + (p.allocPasid() ? " ALLOC_PASID" : "") + (p.fault() != 0 ? " fault=" + p.fault() : "")
                    + (p.dirty().trackable() ? " DIRTY_TRACKING(" + (p.dirty().tracking() ? "on" : "off") + ", dirty="
                    + p.dirty().pages().toList().sorted().mkString("[", ", ", "]") + ")" : "");
        }
        if (o instanceof HwptNested n) {
            return "HWPT_NESTED" + users + " parent=" + n.parent() + (n.viommu() != 0 ? " viommu=" + n.viommu() : "")
                    + (n.allocPasid() ? " ALLOC_PASID" : "")
                    + (n.fault() != 0 ? " fault=" + n.fault() : "")
                    + " stage1=" + n.stage1().toList().sortBy(e -> e._1).map(e -> e._1 + "->" + e._2.gpa() + ":"
                    + e._2.access()).mkString("[", ", ", "]")
                    + (n.stale().isEmpty() ? "" : " not invalidated=" + n.stale().keySet().toList().sorted().mkString("[", ", ", "]"));
        }
        if (o instanceof FaultQueue q) {
            return "FAULT_QUEUE" + users + " delivered=" + q.delivered().map(StateDiff::group).mkString("[", ", ", "]")
                    + " awaiting=" + q.awaiting().toList().sortBy(e -> e._1).map(e -> "cookie " + e._1 + ": " + group(e._2))
                    .mkString("[", ", ", "]");
        }
        if (o instanceof Viommu v) {
            return "VIOMMU" + users + " hwpt=" + v.hwpt();
        }
        if (o instanceof Vdevice d) {
            return "VDEVICE" + users + " viommu=" + d.viommu() + " dev=" + d.device() + " virt=" + d.virtId();
        }
        return "SVA" + users + " mm=" + ((Sva) o).mm();
    }

    private static String group(OpenGroup g) {
        return "group " + g.group() + " of (dev=" + g.device() + ", pasid=" + Pasid.show(g.pasid()) + ") at " + g.level();
    }
}
