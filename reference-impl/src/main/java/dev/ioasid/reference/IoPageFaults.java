package dev.ioasid.reference;

import dev.ioasid.contract.Access;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceResponse;
import dev.ioasid.contract.DeviceSpec;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.FaultGroup;
import dev.ioasid.contract.FaultLevel;
import dev.ioasid.contract.RequestedPage;
import dev.ioasid.contract.ResponseCode;
import dev.ioasid.contract.Result;
import dev.ioasid.reference.Objects.FaultQueue;
import dev.ioasid.reference.Objects.HwptNested;
import dev.ioasid.reference.Objects.HwptPaging;
import dev.ioasid.reference.Objects.IommufdObject;
import dev.ioasid.reference.Objects.IopfGroup;
import dev.ioasid.reference.Objects.Sva;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I/O page faults, as {@code io-pgfault.c} and iommufd's fault object handle them: requests held
 * per device until their group's last one, the group handed to the handler of the domain attached
 * (a fault queue, or the kernel which answers at once), responses routed back to the device.
 */
public class IoPageFaults {

    /** What a device has: its partial groups, its outstanding groups, and the responses it received. */
    protected static final class DeviceIopf {
        final Map<Long, List<RequestedPage>> partial = new HashMap<>();
        final Set<Long> outstanding = new HashSet<>();
        final List<DeviceResponse> responses = new ArrayList<>();
    }

    private final Bounds bounds;
    private final AttachLookup attached;
    private final DmaPath dmaPath;
    private final MmSpace mm;
    protected final Map<Integer, DeviceIopf> devices = new HashMap<>();
    private long seq;

    public IoPageFaults(Bounds bounds, AttachLookup attached, DmaPath dmaPath, MmSpace mm) {
        this.bounds = bounds;
        this.attached = attached;
        this.dmaPath = dmaPath;
        this.mm = mm;
        for (DeviceSpec d : bounds.devices()) {
            devices.put(d.id(), new DeviceIopf());
        }
    }

    int pageRequest(int device, int pasid, int iova, Access access, int group, boolean last) {
        DeviceSpec spec = bounds.device(device).orElseThrow();
        if (!DmaPath.validRequest(bounds, spec, pasid, iova, access) || group < 0 || group >= bounds.groups()) {
            return Err.EINVAL;
        }
        DeviceIopf dev = devices.get(device);
        long key = key(pasid, group);
        if (dev.outstanding.contains(key)) {
            return Err.EBUSY;
        }
        if (!last && bounds.iommufd() && !hasHandler(spec, pasid)) {
            // Linux 6.11+: find_fault_handler() runs on every request; without one, iopf_error_response()
            // answers this request INVALID at once instead of holding it.
            respondNow(new IopfGroup(seq++, device, pasid, group, List.of(new RequestedPage(iova, access)), pasid),
                    ResponseCode.INVALID);
            return 0;
        }
        List<RequestedPage> requests = dev.partial.computeIfAbsent(key, k -> new ArrayList<>());
        requests.add(new RequestedPage(iova, access));
        if (completesGroup(last)) {
            dev.partial.remove(key);
            handleGroup(spec, new IopfGroup(seq++, device, pasid, group, List.copyOf(requests),
                    attached.handle(device, pasid)));
        }
        return 0;
    }

    /** Only the request marked last completes a group: the others are held. */
    protected boolean completesGroup(boolean last) {
        return last;
    }

    /** Hands a complete group to its handler: the owner of the level that faulted. */
    protected void handleGroup(DeviceSpec spec, IopfGroup group) {
        IommufdObject table = attached.attachedAt(group.device, group.via);
        if (!spec.pri() || table == null) {
            respondNow(group, ResponseCode.INVALID);
        } else if (table instanceof Sva) {
            boolean resolved = group.requests.stream().allMatch(r -> dmaPath.walk(table, r.iova(), r.access()).ok());
            respondNow(group, resolved ? ResponseCode.SUCCESS : ResponseCode.INVALID);
        } else if (table instanceof HwptNested nested) {
            boolean stage2 = group.requests.stream()
                    .anyMatch(r -> dmaPath.walk(nested, r.iova(), r.access()).fault() == FaultLevel.STAGE2);
            if (stage2 || nested.fault == null) {
                respondNow(group, ResponseCode.INVALID);
            } else {
                deliver(nested.fault, group);
            }
        } else if (table instanceof HwptPaging paging && paging.fault != null) {
            deliver(paging.fault, group);
        } else {
            respondNow(group, ResponseCode.INVALID);
        }
    }

    /** Whether an iopf handler is attached at the point: the SVA handler or a fault queue's. */
    private boolean hasHandler(DeviceSpec spec, int pasid) {
        IommufdObject table = attached.through(spec.id(), pasid);
        return spec.pri() && (table instanceof Sva || (table instanceof HwptNested n && n.fault != null)
                || (table instanceof HwptPaging p && p.fault != null));
    }

    protected void deliver(FaultQueue queue, IopfGroup group) {
        queue.deliver.addLast(group);
        devices.get(group.device).outstanding.add(key(group.pasid, group.group));
    }

    protected void respondNow(IopfGroup group, ResponseCode code) {
        devices.get(group.device).responses.add(new DeviceResponse(group.pasid, group.group, code));
    }

    protected Result read(FaultQueue queue) {
        List<FaultGroup> read = new ArrayList<>();
        while (!queue.deliver.isEmpty()) {
            IopfGroup group = queue.deliver.removeFirst();
            int cookie = nextCookie(queue);
            queue.response.put(cookie, group);
            read.add(new FaultGroup(group.device, group.pasid, group.group, group.requests, cookie));
        }
        return new Result.FaultGroups(read);
    }

    /**
     * ioasid-2021: a counter, so a cookie is never reused. iommufd (fault.c, iommufd_fault_fops_read):
     * xa_alloc on an XA_FLAGS_ALLOC1 xarray, the lowest index >= 1 free, so an answered cookie returns.
     */
    protected int nextCookie(FaultQueue queue) {
        if (!bounds.iommufd()) {
            return queue.nextCookie++;
        }
        int cookie = 1;
        while (queue.response.containsKey(cookie)) {
            cookie++;
        }
        return cookie;
    }

    int respond(FaultQueue queue, int cookie, ResponseCode code) {
        if (code != ResponseCode.SUCCESS && code != ResponseCode.INVALID) {
            return Err.EINVAL;
        }
        IopfGroup group = takeResponse(queue, cookie);
        if (group == null) {
            return Err.EINVAL;
        }
        complete(group, code);
        return 0;
    }

    /** Removes the group awaiting a response under this cookie (a cookie is used once). */
    protected IopfGroup takeResponse(FaultQueue queue, int cookie) {
        return queue.response.remove(cookie);
    }

    /** The attachment at (device, PASID) goes away: drop its partial groups, answer its groups INVALID. */
    public void abandonPoint(int device, int pasid, IommufdObject oldTable) {
        discardPartial(device, pasid);
        if (pasid == Pasid.NONE && oldTable instanceof HwptNested && bounds.device(device).orElseThrow().guestPasidTable()) {
            discardThroughRid(device);
        }
        FaultQueue queue = oldTable instanceof HwptNested n ? n.fault : oldTable instanceof HwptPaging p ? p.fault : null;
        if (queue != null) {
            answerAbandoned(queue, device, pasid);
        }
    }

    /** Partial groups of the point go: their last request must not reach the next owner. */
    protected void discardPartial(int device, int pasid) {
        devices.get(device).partial.keySet().removeIf(k -> (int) (k >> 32) == pasid);
    }

    /**
     * The RID's nested domain of a device whose guest owns the PASID table went away: the partial
     * groups of the PASIDs that went through it (those with nothing of their own) go with it.
     */
    private void discardThroughRid(int device) {
        devices.get(device).partial.keySet().removeIf(k -> attached.attachedAt(device, (int) (k >> 32)) == null);
    }

    /** The groups the point's handle took, still in the old owner's queue, are answered INVALID. */
    protected void answerAbandoned(FaultQueue queue, int device, int pasid) {
        abandon(queue, g -> g.device == device && g.via == pasid);
    }

    /** The fault queue is destroyed: every group in it is answered INVALID. */
    void abandonQueue(FaultQueue queue) {
        abandon(queue, g -> true);
    }

    List<DeviceResponse> responses(int device) {
        return List.copyOf(devices.get(device).responses);
    }

    private void abandon(FaultQueue queue, java.util.function.Predicate<IopfGroup> which) {
        List<IopfGroup> abandoned = new ArrayList<>();
        for (Iterator<IopfGroup> it = queue.deliver.iterator(); it.hasNext(); ) {
            IopfGroup g = it.next();
            if (which.test(g)) {
                abandoned.add(g);
                it.remove();
            }
        }
        List<Map.Entry<Integer, IopfGroup>> read = new ArrayList<>();
        for (Iterator<Map.Entry<Integer, IopfGroup>> it = queue.response.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, IopfGroup> e = it.next();
            if (which.test(e.getValue())) {
                read.add(e);
                it.remove();
            }
        }
        if (bounds.iommufd()) {
            // iommufd_auto_response_faults: the unread list in arrival order, then the response xarray by index.
            read.sort(Map.Entry.comparingByKey());
            read.forEach(e -> abandoned.add(e.getValue()));
        } else {
            read.forEach(e -> abandoned.add(e.getValue()));
            abandoned.sort(Comparator.comparingLong(g -> g.seq));
        }
        abandoned.forEach(g -> complete(g, ResponseCode.INVALID));
    }

    private void complete(IopfGroup group, ResponseCode code) {
        devices.get(group.device).outstanding.remove(key(group.pasid, group.group));
        respondNow(group, code);
    }

    protected static long key(int pasid, int group) {
        return ((long) pasid << 32) | (group & 0xffffffffL);
    }
}
