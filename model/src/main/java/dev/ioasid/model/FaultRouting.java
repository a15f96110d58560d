package dev.ioasid.model;

import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.DriverKind;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.model.ModelObject.HwptNested;
import dev.ioasid.model.ModelObject.Sva;
import dev.ioasid.model.ModelState.MmMapping;
import dev.ioasid.model.ModelState.MmPage;
import io.vavr.collection.List;
import io.vavr.control.Option;

/**
 * Who owns a completed page request group. In the contract's design the page table's owner for the
 * level that faulted handles it (PRQ-3..6): a group goes to one fault queue, or is answered at once.
 * The other {@link Design}s route differently, and the invariants say what that breaks.
 */
final class FaultRouting {

    private FaultRouting() {
    }

    sealed interface Route {
        Rule rule();
    }

    record ToQueue(int queue, Rule rule) implements Route {
    }

    record AnswerNow(ResponseCode code, Rule rule) implements Route {
    }

    /** Where the group goes: usually one route; none when it is lost, two when two handlers take it. */
    static List<Route> routes(ModelState s, DeviceSpec device, int pasid, FaultLevel level, List<RequestedPage> requests) {
        Route owner = route(s, device, pasid, level, requests);
        switch (s.design()) {
            case ROUTE_BY_ATTACHMENT: {
                // Hardware that cannot tell the stages apart hands a stage-2 group to the attachment's queue.
                Option<ModelObject> table = Translation.attachedTable(s, device.id(), pasid);
                if (device.pri() && level == FaultLevel.STAGE2 && table.isDefined()
                        && table.get() instanceof HwptNested nested && nested.fault() != 0) {
                    return List.of(new ToQueue(nested.fault(), Rule.PRQ_5));
                }
                return List.of(owner);
            }
            case DRIVER_REGISTERS:
                // Only vfio-pci registered a forwarder: what should reach user space from other drivers is lost.
                return owner instanceof ToQueue && device.driver() != DriverKind.VFIO_PCI ? List.empty() : List.of(owner);
            case BOTH_REGISTER:
                // The driver's forwarder and the page table's handler both deliver it.
                return owner instanceof ToQueue && device.driver() == DriverKind.VFIO_PCI ? List.of(owner, owner)
                        : List.of(owner);
            default:
                return List.of(owner);
        }
    }

    /**
     * Whether anything would take a page request at the point: a device with PRI, something
     * attached, and a handler for it (the kernel's SVA handler, or a fault queue of the table).
     */
    static boolean hasHandler(ModelState s, DeviceSpec device, int pasid) {
        Option<ModelObject> table = Translation.attachedTable(s, device.id(), pasid);
        if (!device.pri() || table.isEmpty()) {
            return false;
        }
        return table.get() instanceof Sva || table.get().faultQueue() != 0;
    }

    private static Route route(ModelState s, DeviceSpec device, int pasid, FaultLevel level, List<RequestedPage> requests) {
        Option<ModelObject> table = Translation.attachedTable(s, device.id(), pasid);
        if (!device.pri() || table.isEmpty()) {
            return new AnswerNow(ResponseCode.INVALID, Rule.PRQ_3);
        }
        ModelObject t = table.get();
        if (t instanceof Sva sva) {
            boolean mapped = requests.forAll(r -> s.mm().get(new MmPage(sva.mm(), r.iova()))
                    .exists((MmMapping m) -> m.access().permits(r.access())));
            return new AnswerNow(mapped ? ResponseCode.SUCCESS : ResponseCode.INVALID, Rule.PRQ_6);
        }
        if (level == FaultLevel.STAGE2) {
            return new AnswerNow(ResponseCode.INVALID, Rule.PRQ_5);
        }
        int queue = t.faultQueue();
        return queue == 0 ? new AnswerNow(ResponseCode.INVALID, Rule.PRQ_3) : new ToQueue(queue, Rule.PRQ_4);
    }
}
