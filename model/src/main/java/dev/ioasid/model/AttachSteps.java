package dev.ioasid.model;

import static dev.ioasid.model.SetSteps.fail;
import static dev.ioasid.model.Transition.of;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Errno;
import dev.ioasid.contract.Operation.Attach;
import dev.ioasid.contract.Operation.Detach;
import dev.ioasid.contract.Operation.QueryAttachment;
import dev.ioasid.contract.Operation.Replace;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.PasidState;
import dev.ioasid.contract.Result;
import dev.ioasid.model.ModelObject.FaultQueue;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.HwptPaging;
import dev.ioasid.model.ModelObject.Ioas;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState.AttachPoint;
import dev.ioasid.model.ModelState.PasidEntry;
import io.vavr.control.Option;

/** Layer B: attaching tables to (device, PASID) points (ATT-*, PASID-8, SVA-1). */
final class AttachSteps {

    private AttachSteps() {
    }

    static Transition attach(ModelState s, Attach op) {
        Option<Transition> refused = checkTarget(s, op.device(), op.pasid(), op.table());
        if (refused.isDefined()) {
            return refused.get();
        }
        boolean pasidRefs = op.pasid() != Pasid.NONE && !s.bounds().iommufd();
        if (pasidRefs && s.pasids().get(op.pasid()).get().state() == PasidState.FREE_PENDING) {
            return fail(s, Errno.EBUSY, Rule.PASID_8);
        }
        if (s.attached(op.device(), op.pasid()).isDefined()) {
            return fail(s, Errno.EBUSY, Rule.ATT_1);
        }
        Option<Transition> late = iommufdLateChecks(s, op.device(), op.pasid(), op.table());
        if (late.isDefined()) {
            return late.get();
        }
        if (s.bounds().iommufd()) {
            return AutoDomains.connect(s, new AttachPoint(op.device(), op.pasid()), op.table(), st -> st,
                    reserving(s, op.device(), op.pasid(), io.vavr.collection.List.of(Rule.ATT_6, Rule.ATT_13)));
        }
        int vm = s.vmOf(op.device());
        ModelState next = s.withAttachments(s.attachments().put(new AttachPoint(op.device(), op.pasid()), op.table()))
                .addUsers(vm, op.table(), 1);
        if (pasidRefs) {
            next = next.addPasidRefs(op.pasid(), 1);
        }
        return of(Result.done(), next, Rule.ATT_6);
    }

    static Transition replace(ModelState s, Replace op) {
        Option<Transition> refused = checkTarget(s, op.device(), op.pasid(), op.table());
        if (refused.isDefined()) {
            return refused.get();
        }
        Option<Integer> old = s.attached(op.device(), op.pasid());
        if (old.isEmpty()) {
            return fail(s, Errno.EINVAL, Rule.ATT_7);
        }
        int vm = s.vmOf(op.device());
        // Under iommufd an IOAS stands for its automatic HWPT: onto the IOAS of the one attached, nothing changes.
        boolean same = old.get() == op.table() || s.bounds().iommufd() && AutoDomains.isAutoOf(s, vm, old.get(), op.table());
        if (same) {
            int target = old.get();
            return of(s.bounds().iommufd() ? new Result.Allocated(target) : Result.done(), s, Rule.ATT_8);
        }
        Option<Transition> late = iommufdLateChecks(s, op.device(), op.pasid(), op.table());
        if (late.isDefined()) {
            return late.get();
        }
        if (s.bounds().iommufd()) {
            AttachPoint point = new AttachPoint(op.device(), op.pasid());
            return AutoDomains.connect(s, point, op.table(),
                    st -> AutoDomains.release(FaultSteps.abandonPoint(st, op.device(), op.pasid(), old.get()), vm, old.get()),
                    reserving(s, op.device(), op.pasid(), FaultSteps.withDrain(s, op.device(), op.pasid(),
                            io.vavr.collection.List.of(Rule.ATT_8, Rule.FLT_5, Rule.ATT_13))));
        }
        // The PASID reference stays with the attach point: replace takes no new one (so PASID-8 does not apply).
        ModelState next = FaultSteps.abandonPoint(s, op.device(), op.pasid(), old.get()).withAttachments(s.attachments().put(new AttachPoint(op.device(), op.pasid()), op.table()))
                .addUsers(vm, old.get(), -1)
                .addUsers(vm, op.table(), 1);
        return new Transition.Determined(new Transition.Step(Result.done(), next,
                FaultSteps.withDrain(s, op.device(), op.pasid(), io.vavr.collection.List.of(Rule.ATT_8, Rule.FLT_5))));
    }

    static Transition detach(ModelState s, Detach op) {
        Option<Integer> old = s.attached(op.device(), op.pasid());
        if (old.isEmpty()) {
            return of(Result.done(), s, Rule.ATT_9);
        }
        ModelState left = FaultSteps.abandonPoint(s, op.device(), op.pasid(), old.get())
                .withAttachments(s.attachments().remove(new AttachPoint(op.device(), op.pasid())));
        ModelState next = s.bounds().iommufd() ? AutoDomains.release(left, s.vmOf(op.device()), old.get())
                : left.addUsers(s.vmOf(op.device()), old.get(), -1);
        if (op.pasid() != Pasid.NONE && !s.bounds().iommufd()) {
            next = next.addPasidRefs(op.pasid(), -1);
        }
        return new Transition.Determined(new Transition.Step(Result.done(), next,
                reserving(s, op.device(), op.pasid(), FaultSteps.withDrain(s, op.device(), op.pasid(),
                        io.vavr.collection.List.of(Rule.ATT_10, Rule.FLT_5)))));
    }

    /** The rules of an attachment change, with RESV-1 when it moves what a device reserves (iommufd, the RID). */
    private static io.vavr.collection.List<Rule> reserving(ModelState s, int device, int pasid,
                                                          io.vavr.collection.List<Rule> rules) {
        boolean reserves = s.bounds().iommufd() && pasid == Pasid.NONE
                && !s.bounds().device(device).orElseThrow().reserved().isEmpty();
        return reserves ? rules.append(Rule.RESV_1) : rules;
    }

    static Transition queryAttachment(ModelState s, QueryAttachment op) {
        return of(new Result.AttachedTable(s.attached(op.device(), op.pasid()).getOrElse(0)), s, Rule.ATT_11);
    }

    /**
     * The checks attach and replace share before they look at the point, in SPEC order: under
     * ioasid-2021 the table (OBJ-1, ATT-2, SVA-1) then the PASID (ATT-3..5); under iommufd a driver
     * without PASID attach support first (vfio_df_ioctl_attach_pt), then the table only: the PASID
     * checks come after the point's (iommufdLateChecks).
     */
    private static Option<Transition> checkTarget(ModelState s, int device, int pasid, int tableId) {
        DeviceSpec spec = s.bounds().device(device).orElseThrow();
        if (s.bounds().iommufd() && pasid != Pasid.NONE && !driverAttachesPasids(spec)) {
            return Option.some(fail(s, Errno.EOPNOTSUPP, Rule.ATT_3));
        }
        Option<ModelObject> table = s.object(spec.vm(), tableId);
        if (table.isEmpty()) {
            return Option.some(fail(s, Errno.ENOENT, Rule.OBJ_1));
        }
        boolean onPasid = pasid != Pasid.NONE;
        ModelObject t = table.get();
        if (t instanceof FaultQueue || t instanceof ModelObject.Viommu || t instanceof ModelObject.Vdevice
                || (t instanceof Ioas && onPasid)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_2));
        }
        if (t instanceof Sva && !onPasid) {
            return Option.some(fail(s, Errno.EINVAL, Rule.SVA_1));
        }
        if (!onPasid || s.bounds().iommufd()) {
            return Option.none();
        }
        if (!spec.pasidCapable()) {
            return Option.some(fail(s, Errno.EOPNOTSUPP, Rule.ATT_3));
        }
        if (pasid < 1 || !spec.canIssue(pasid)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_3));
        }
        if (!allowsPasid(t)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_4));
        }
        Option<PasidEntry> entry = s.pasids().get(pasid);
        if (entry.isEmpty()) {
            return Option.some(fail(s, Errno.ENOENT, Rule.ATT_5));
        }
        if (entry.get().vm() != spec.vm()) {
            return Option.some(fail(s, Errno.EACCES, Rule.ATT_5));
        }
        return Option.none();
    }

    /**
     * iommufd only, after the point's own checks (device.c, iommufd_device_do_attach and
     * iommufd_hwpt_pasid_compat, then iommu.c's PASID range check): a RID first reserves the
     * device's IOVA ranges (RESV-2, iommufd_hw_pagetable_attach); a PASID takes only a
     * PASID-compatible table (ATT-4); while a device has PASID attachments its RID takes only such a
     * table, and while its RID holds a table that is not, no PASID attaches (ATT-12); then the PASID
     * must be one the device can issue (ATT-3). No sets: any such PASID will do.
     */
    private static Option<Transition> iommufdLateChecks(ModelState s, int device, int pasid, int tableId) {
        if (!s.bounds().iommufd()) {
            return Option.none();
        }
        DeviceSpec spec = s.bounds().device(device).orElseThrow();
        ModelObject table = s.object(spec.vm(), tableId).get();
        if (pasid == Pasid.NONE) {
            Option<Transition> reserved = ReservedIovas.attachCheck(s, spec, tableId);
            if (reserved.isDefined()) {
                return reserved;
            }
            boolean pasidsAttached = s.attachments().keysIterator().exists(p -> p.device() == device && p.pasid() != Pasid.NONE);
            return pasidsAttached && !allowsPasid(table) ? Option.some(fail(s, Errno.EINVAL, Rule.ATT_12))
                    : dirtyCheck(s, spec, table);
        }
        if (!allowsPasid(table)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_4));
        }
        Option<Integer> rid = s.attached(device, Pasid.NONE);
        if (rid.isDefined() && !allowsPasid(s.object(spec.vm(), rid.get()).get())) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_12));
        }
        if (pasid < 1 || !spec.canIssue(pasid)) {
            return Option.some(fail(s, Errno.EINVAL, Rule.ATT_3));
        }
        return dirtyCheck(s, spec, table);
    }

    /**
     * The driver's own check, last: a table whose paging HWPT tracks dirty pages (itself, or the
     * parent of a nested one) attaches only to a device whose IOMMU does (DIRTY-2; Intel's
     * prepare_domain_attach_device, AMD's attach, the selftest mock's MOCK_FLAGS_DEVICE_NO_DIRTY).
     */
    private static Option<Transition> dirtyCheck(ModelState s, DeviceSpec spec, ModelObject table) {
        ModelObject paging = table instanceof HwptNested n ? s.object(spec.vm(), n.parent()).getOrNull() : table;
        if (paging instanceof HwptPaging p && p.dirty().trackable() && !spec.dirtyTrackingCapable()) {
            return Option.some(fail(s, Errno.EINVAL, Rule.DIRTY_2));
        }
        return Option.none();
    }

    /**
     * Whether the device's driver has a PASID attach op: vfio-pci does (vfio_pci_core's
     * pasid_attach_ioas); an emulated mdev does not; vDPA is modelled like vfio-pci.
     */
    static boolean driverAttachesPasids(DeviceSpec spec) {
        return spec.driver() != dev.ioasid.contract.DriverKind.MDEV;
    }

    /** Tables that may sit on a PASID: those allocated with ALLOC_PASID, and SVA domains (SVA-1). */
    static boolean allowsPasid(ModelObject table) {
        return table instanceof Sva
                || (table instanceof HwptPaging p && p.allocPasid())
                || (table instanceof HwptNested n && n.allocPasid());
    }
}
