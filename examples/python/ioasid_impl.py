#!/usr/bin/env python3
"""An implementation of the IOASID / PASID contract in Python, driven over the JSON-lines protocol
of PROTOCOL.md (hello, reset, apply, bye on stdin; one answer a line on stdout).

It is written as a second, independent implementation would be, from SPEC.md: plain mutable
state, the lowest free ID for objects and PASIDs, cookies counted per fault queue, and a DMA that
always sees the current stage-1 entry (the IOTLB is "always flushed", one of the choices XLT-4
allows). Standard library only.

Two profiles, chosen by the bounds' "profile" field: "IOASID_2021" (the default, also when the
field is absent) and "IOMMUFD" (iommufd as merged: no sets, iommufd's errnos and check orders,
RID/PASID compatibility, cookies reused once answered, page requests without a handler answered
at once, vIOMMUs with their vDEVICEs, IOAS copies, IOVAs the kernel chooses within an allowed range,
dirty tracking, and the IOVA ranges a RID attachment reserves). Each iommufd difference is marked
"iommufd:" where it is made.

    java -jar cli/target/ioasid-contract.jar fuzz --impl-cmd "python3 examples/python/ioasid_impl.py"

It takes concurrent requests (PROTOCOL.md, "Concurrent requests"): each runs on a worker thread
holding one lock for the whole call, as an implementation under one big lock would, so every
history is linearizable. IOASID_RACE=attach-check-then-act in its environment plants a race for
demonstration: attach checks the point is free, lets go of the lock for a moment, then attaches.

    java -jar cli/target/ioasid-contract.jar fuzz --parallel --impl-cmd "python3 examples/python/ioasid_impl.py"
"""
import json
import os
import pickle
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

PROTOCOL = 1

# Held by every call for its whole length (a big lock); the planted race lets go of it midway.
LOCK = threading.Lock()
RACE = os.environ.get("IOASID_RACE", "")

READS = {"NONE": False, "READ": True, "WRITE": False, "READ_WRITE": True}
WRITES = {"NONE": False, "READ": False, "WRITE": True, "READ_WRITE": True}


def permits(mapping, wanted):
    """Whether a mapping with permission `mapping` allows an access of `wanted`."""
    return (not READS[wanted] or READS[mapping]) and (not WRITES[wanted] or WRITES[mapping])


SET_CALLS = ("createSet", "freeSet", "querySet", "allocPasid", "freePasid", "queryPasid")
IOMMUFD_CALLS = ("allocViommu", "allocVdevice", "invalidateViommu", "copyArea", "setDirtyTracking",
                 "getDirtyBitmap", "mapAreaAuto", "allowIovas")

HUGE_PAGE = 512   # iopt_alloc_iova caps the alignment of a chosen IOVA at a 2 MiB huge page (4 KiB pages)


def profile_is_iommufd(bounds):
    """The bounds' profile: IOASID_2021 unless it says IOMMUFD (either spelling)."""
    return str(bounds.get("profile") or "IOASID_2021").strip().lower().replace("_", "-") == "iommufd"


def done():
    return {"result": "done"}


def failed(errno):
    return {"result": "failed", "errno": errno}


class Refused(Exception):
    """A contract error: the call returns -errno and changes nothing."""

    def __init__(self, errno):
        super().__init__(errno)
        self.errno = errno


class Obj:
    """One object of a VM's namespace. `kind` is IOAS, HWPT_PAGING, HWPT_NESTED, FAULT_QUEUE, SVA,
    and under iommufd VIOMMU or VDEVICE. A paging HWPT carries its dirty tracking (DIRTY-1..6):
    `trackable` (allocated with DIRTY_TRACKING), `tracking` (on or off) and `dirty`, the IOVA pages
    whose dirty bit is set."""

    def __init__(self, kind, **fields):
        self.kind = kind
        self.users = 0
        self.__dict__.update(fields)

    def references(self):
        if self.kind == "HWPT_PAGING":
            return [self.ioas] + ([self.fault] if self.fault else [])
        if self.kind == "HWPT_NESTED":
            # iommufd: a nested HWPT on a vIOMMU holds the vIOMMU, not its stage-2 parent (VIOMMU-3).
            return [getattr(self, "viommu", 0) or self.parent] + ([self.fault] if self.fault else [])
        if self.kind == "VIOMMU":
            return [self.hwpt]                                        # VIOMMU-1
        if self.kind == "VDEVICE":
            return [self.viommu]                                      # VIOMMU-2
        return []


class Ioasid:
    """A fresh instance of the contract for one bounds configuration."""

    def __init__(self, bounds):
        self.b = bounds
        self.iommufd = profile_is_iommufd(bounds)
        self.devices = {d["id"]: d for d in bounds["devices"]}
        self.sets = {}            # vm -> {"quota", "used"}
        self.pasids = {}          # pasid -> {"vm", "state", "refs"}
        self.objects = {}         # (vm, id) -> Obj
        self.attached = {}        # (device, pasid) -> table id
        self.mm = {}              # (mm, page) -> (host, access)
        self.partial = {}         # (device, pasid, group) -> [requests]
        self.responses = {}       # device -> [{"pasid", "group", "code"}]
        self.serial = 0

    # ---- dispatch ------------------------------------------------------------------------------

    def apply(self, op):
        kind = op["op"]
        if self.iommufd and kind in SET_CALLS:
            return failed("ENOTTY")                                   # GEN-2: no such ioctl
        if not self.iommufd and kind in IOMMUFD_CALLS:
            return failed("ENOTTY")                                   # GEN-3: no such call in 2021
        if self.out_of_bounds(op):
            return failed("EINVAL")                                   # GEN-1
        try:
            return getattr(self, "op_" + kind)(op)
        except Refused as refused:
            return failed(refused.errno)

    def out_of_bounds(self, op):
        if "device" in op:
            return op["device"] not in self.devices
        if op["op"] in ("mmMap", "mmUnmap"):
            return not 1 <= op["mm"] <= self.b["mms"]
        if op["op"] == "allocSva" and not 1 <= op["mm"] <= self.b["mms"]:
            return True
        return not 1 <= op["vm"] <= self.b["vms"]

    # ---- layer A: sets and PASIDs --------------------------------------------------------------

    def reserved(self):
        return sum(s["quota"] for s in self.sets.values())

    def op_createSet(self, op):
        if op["quota"] < 0:
            raise Refused("EINVAL")
        if op["vm"] in self.sets:
            raise Refused("EEXIST")
        left = self.b["capacity"] - self.reserved()
        quota = op["quota"] or left
        if quota == 0 or quota > left:
            raise Refused("ENOSPC")
        self.sets[op["vm"]] = {"quota": quota, "used": 0}
        return done()

    def op_freeSet(self, op):
        s = self.sets.get(op["vm"])
        if s is None:
            raise Refused("ENOENT")
        if s["used"] > 0:
            raise Refused("EBUSY")
        del self.sets[op["vm"]]
        return done()

    def op_querySet(self, op):
        s = self.sets.get(op["vm"])
        if s is None:
            raise Refused("ENOENT")
        return {"result": "setUsage", "quota": s["quota"], "used": s["used"]}

    def op_allocPasid(self, op):
        s = self.sets.get(op["vm"])
        lo, hi = op["min"], op["max"]
        if s is None or lo > hi or lo < 1 or hi > self.b["pasidMax"]:
            raise Refused("EINVAL")
        if s["used"] >= s["quota"]:
            raise Refused("ENOSPC")
        for pasid in range(lo, hi + 1):
            if pasid not in self.pasids:
                self.pasids[pasid] = {"vm": op["vm"], "state": "ACTIVE", "refs": 0}
                s["used"] += 1
                return {"result": "allocated", "id": pasid}
        raise Refused("ENOSPC")

    def owned_pasid(self, vm, pasid):
        entry = self.pasids.get(pasid)
        if entry is None:
            raise Refused("ENOENT")
        if entry["vm"] != vm:
            raise Refused("EACCES")
        return entry

    def op_freePasid(self, op):
        entry = self.owned_pasid(op["vm"], op["pasid"])
        if entry["state"] == "FREE_PENDING":
            return done()
        if entry["refs"] > 0:
            entry["state"] = "FREE_PENDING"
        else:
            self.release(op["pasid"])
        return done()

    def op_queryPasid(self, op):
        entry = self.owned_pasid(op["vm"], op["pasid"])
        return {"result": "pasidStatus", "state": entry["state"], "refs": entry["refs"]}

    def release(self, pasid):
        entry = self.pasids.pop(pasid)
        self.sets[entry["vm"]]["used"] -= 1

    def pasid_refs(self, pasid, delta):
        entry = self.pasids[pasid]
        entry["refs"] += delta
        if entry["refs"] == 0 and entry["state"] == "FREE_PENDING":
            self.release(pasid)

    # ---- layer B: objects ----------------------------------------------------------------------

    def obj(self, vm, oid):
        o = self.objects.get((vm, oid))
        if o is None:
            raise Refused("ENOENT")                                   # OBJ-1
        return o

    def allocate(self, vm, o, after_id=None):
        """The lowest free ID (OBJ-2). `after_id` is a check the kernel makes only once the ID is
        reserved (iommufd looks the fault queue up after allocating the HWPT)."""
        for oid in range(1, self.b["maxObjects"] + 1):
            if (vm, oid) not in self.objects:
                if after_id is not None:
                    after_id()
                self.objects[(vm, oid)] = o
                for ref in o.references():
                    self.objects[(vm, ref)].users += 1
                return {"result": "allocated", "id": oid}
        raise Refused("ENOSPC")

    def check_fault(self, vm, fault):
        if fault and self.obj(vm, fault).kind != "FAULT_QUEUE":
            raise Refused("EINVAL")

    def op_allocIoas(self, op):
        # "allowed": the range chosen IOVAs must lie in, as (iova, pages), or None for any (IOAS-12).
        # "reserved": iommufd's iopt->reserved_itree, [{"iova", "pages", "owner"}], each range tagged
        # with the device whose RID attachment reserved it (RESV-1); always empty under 2021.
        return self.allocate(op["vm"], Obj("IOAS", areas={}, allowed=None, reserved=[]))

    def op_allocFaultQueue(self, op):
        return self.allocate(op["vm"], Obj("FAULT_QUEUE", delivered=[], awaiting={}, next_cookie=1))

    def op_allocSva(self, op):
        return self.allocate(op["vm"], Obj("SVA", mm=op["mm"]))

    def iommufd_get_fault(self, vm, fault):
        """iommufd: a typed lookup, so an unknown ID and an object of another kind are both ENOENT."""
        o = self.objects.get((vm, fault))
        if fault and (o is None or o.kind != "FAULT_QUEUE"):
            raise Refused("ENOENT")                                   # HWPT-5

    def op_allocHwptPaging(self, op):
        vm = op["vm"]
        if self.iommufd:
            return self.iommufd_hwpt_paging_alloc(op)
        if op.get("dirtyTracking", False):
            raise Refused("EOPNOTSUPP")                               # DIRTY-1: the 2021 proposal has no such flag
        ioas = self.obj(vm, op["ioas"])
        if ioas.kind != "IOAS":
            raise Refused("EINVAL")
        self.check_fault(vm, op["fault"])
        if op["nestParent"] and op["fault"]:
            raise Refused("EOPNOTSUPP")
        return self.allocate(vm, Obj("HWPT_PAGING", ioas=op["ioas"], nest_parent=op["nestParent"],
                                     alloc_pasid=op["allocPasid"], fault=op["fault"], pages=pages_of(ioas.areas),
                                     trackable=False, tracking=False, dirty=set()))

    def iommufd_hwpt_paging_alloc(self, op):
        """iommufd: pt_id is looked up as any kind and switched on. IOMMU_HWPT_ALLOC_DIRTY_TRACKING gives
        a table that can track dirty pages, tracking off and no bit set (DIRTY-1); with NEST_PARENT or
        ALLOC_PASID drivers differ, and this one allocates as Intel does for a nest parent."""
        vm = op["vm"]
        pt = self.objects.get((vm, op["ioas"]))
        if pt is None:
            raise Refused("EINVAL")                                   # HWPT-1: unknown pt_id
        if pt.kind in ("HWPT_PAGING", "VIOMMU"):
            raise Refused("EOPNOTSUPP")                               # HWPT-1, VIOMMU-3: the nested path, no data
        if pt.kind != "IOAS":
            raise Refused("EINVAL")                                   # HWPT-1
        if op["nestParent"] and op["fault"]:
            raise Refused("EOPNOTSUPP")                               # HWPT-3
        return self.allocate(vm, Obj("HWPT_PAGING", ioas=op["ioas"], nest_parent=op["nestParent"],
                                     alloc_pasid=op["allocPasid"], fault=op["fault"], pages=pages_of(pt.areas),
                                     trackable=bool(op.get("dirtyTracking", False)), tracking=False, dirty=set()),
                             after_id=lambda: self.iommufd_get_fault(vm, op["fault"]))

    def iommufd_hwpt_nested_alloc(self, op):
        vm = op["vm"]
        pt = self.objects.get((vm, op["parent"]))
        if pt is None:
            raise Refused("EINVAL")                                   # HWPT-4: unknown pt_id
        if pt.kind == "IOAS":
            raise Refused("EOPNOTSUPP")                               # HWPT-4: the paging path with data
        if pt.kind == "VIOMMU":
            # iommufd (iommufd_viommu_alloc_hwpt_nested): stage 2 is the vIOMMU's HWPT, the reference
            # is on the vIOMMU; ALLOC_PASID and a fault queue are allowed (VIOMMU-3).
            return self.allocate(vm, Obj("HWPT_NESTED", parent=pt.hwpt, viommu=op["parent"],
                                         alloc_pasid=op["allocPasid"], fault=op["fault"], stage1={}),
                                 after_id=lambda: self.iommufd_get_fault(vm, op["fault"]))
        if pt.kind != "HWPT_PAGING" or not pt.nest_parent:
            raise Refused("EINVAL")                                   # HWPT-4
        return self.allocate(vm, Obj("HWPT_NESTED", parent=op["parent"], alloc_pasid=op["allocPasid"],
                                     fault=op["fault"], stage1={}),
                             after_id=lambda: self.iommufd_get_fault(vm, op["fault"]))

    def op_allocHwptNested(self, op):
        vm = op["vm"]
        if self.iommufd:
            return self.iommufd_hwpt_nested_alloc(op)
        parent = self.obj(vm, op["parent"])
        if parent.kind != "HWPT_PAGING" or not parent.nest_parent:
            raise Refused("EINVAL")
        self.check_fault(vm, op["fault"])
        return self.allocate(vm, Obj("HWPT_NESTED", parent=op["parent"], alloc_pasid=op["allocPasid"],
                                     fault=op["fault"], stage1={}))

    def op_destroy(self, op):
        vm = op["vm"]
        o = self.obj(vm, op["id"])
        if o.users > 0:
            raise Refused("EBUSY")
        if o.kind == "FAULT_QUEUE":
            self.answer_invalid(o, lambda g: True)                     # FLT-6
        del self.objects[(vm, op["id"])]
        for ref in o.references():
            self.objects[(vm, ref)].users -= 1
        return done()

    def op_queryObject(self, op):
        o = self.obj(op["vm"], op["id"])
        return {"result": "objectStatus", "kind": o.kind, "users": o.users}

    # ---- layer B: vIOMMUs and vDEVICEs (iommufd only, GEN-3) -----------------------------------

    def op_allocViommu(self, op):
        """iommufd (iommufd_viommu_alloc_ioctl): the driver, the typed HWPT lookup, NEST_PARENT, the ID."""
        spec = self.devices[op["device"]]
        vm = spec["vm"]
        if not spec.get("viommu"):
            raise Refused("EOPNOTSUPP")                               # VIOMMU-1: no ops->viommu_init
        hwpt = self.objects.get((vm, op["hwpt"]))
        if hwpt is None or hwpt.kind != "HWPT_PAGING":
            raise Refused("ENOENT")                                   # VIOMMU-1: iommufd_get_hwpt_paging
        if not hwpt.nest_parent:
            raise Refused("EINVAL")                                   # VIOMMU-1: !hwpt_paging->nest_parent
        return self.allocate(vm, Obj("VIOMMU", hwpt=op["hwpt"]))

    def vdevice_of(self, vm, viommu_id, virt_id):
        """The vDEVICE of the vIOMMU known to the guest as `virt_id` (viommu->vdevs), or None."""
        for (ovm, _), o in self.objects.items():
            if ovm == vm and o.kind == "VDEVICE" and o.viommu == viommu_id and o.virt_id == virt_id:
                return o
        return None

    def op_allocVdevice(self, op):
        """iommufd (iommufd_vdevice_alloc_ioctl): virt_id, the typed vIOMMU lookup, the IOMMU instance,
        idev->vdev, the ID, then xa_cmpxchg on viommu->vdevs (the reserved ID is given back)."""
        device, virt_id = op["device"], op["virtId"]
        spec = self.devices[device]
        vm = spec["vm"]
        if virt_id < 0:
            raise Refused("EINVAL")                                   # VIOMMU-2: virt_id > ULONG_MAX
        viommu = self.objects.get((vm, op["viommu"]))
        if viommu is None or viommu.kind != "VIOMMU":
            raise Refused("ENOENT")                                   # VIOMMU-2: iommufd_get_viommu
        if not spec.get("viommu"):
            raise Refused("EINVAL")                                   # VIOMMU-2: another IOMMU instance
        if any(o.kind == "VDEVICE" and o.device == device for (ovm, _), o in self.objects.items() if ovm == vm):
            raise Refused("EEXIST")                                   # VIOMMU-2: idev->vdev (6.17+)

        def virt_id_free():
            if self.vdevice_of(vm, op["viommu"], virt_id) is not None:
                raise Refused("EEXIST")                               # VIOMMU-2: xa_cmpxchg, aborted
        return self.allocate(vm, Obj("VDEVICE", device=device, viommu=op["viommu"], virt_id=virt_id),
                             after_id=virt_id_free)

    def op_invalidateViommu(self, op):
        """iommufd (iommufd_hwpt_invalidate on a vIOMMU, mock_viommu_cache_invalidate): one entry naming a
        device by its virtual ID. DMA always walks the current stage-1 entry (no IOTLB is modelled, as
        for `invalidate`), so the device's stage-1 translations through nested HWPTs on this vIOMMU
        have nothing stale to flush (VIOMMU-4, XLT-5)."""
        vm = op["vm"]
        viommu = self.objects.get((vm, op["viommu"]))
        if viommu is None:
            raise Refused("ENOENT")                                   # VIOMMU-4
        if viommu.kind != "VIOMMU":
            raise Refused("EINVAL")                                   # VIOMMU-4: neither HWPT nor vIOMMU
        if op["pages"] == 0 and op["iova"] >= 0:
            return done()                                             # VIOMMU-4: entry_num 0 succeeds
        if op["pages"] < 1 or op["iova"] < 0:
            raise Refused("EINVAL")                                   # VIOMMU-4
        if self.vdevice_of(vm, op["viommu"], op["virtId"]) is None:
            raise Refused("EINVAL")                                   # VIOMMU-4: the mock's vdev lookup
        return done()                                                 # nothing cached: nothing to flush

    # ---- layer B: IOAS mappings and their mirrors ----------------------------------------------

    def ioas(self, vm, oid):
        o = self.obj(vm, oid)
        if o.kind != "IOAS":
            # IOAS-8; iommufd looks the IOAS up by type (iommufd_get_ioas): another kind is "not found".
            raise Refused("ENOENT" if self.iommufd else "EINVAL")
        return o

    def op_mapArea(self, op):
        vm, b = op["vm"], self.b
        if self.iommufd and op["access"] == "NONE":
            raise Refused("EINVAL")                                   # IOAS-1, before the IOAS lookup
        ioas = self.ioas(vm, op["ioas"])
        iova, pages, host = op["iova"], op["pages"], op["host"]
        if (pages < 1 or op["access"] == "NONE" or iova < 0 or iova + pages > b["iovaPages"]
                or host < 0 or host + pages > b["hostPages"]):
            raise Refused("EINVAL")
        if any(overlaps(r, iova, pages) for r in ioas.reserved):
            raise Refused("EINVAL")                                   # RESV-3: iopt_check_iova, reserved first
        if any(overlaps(a, iova, pages) for a in ioas.areas.values()):
            raise Refused("EEXIST")
        self.insert_area(vm, op["ioas"], iova, pages, host, op["access"])
        return done()

    def insert_area(self, vm, ioas_id, iova, pages, host, access):
        """A new area of the IOAS (IOAS-3) and its mirrors (HWPT-2). "writable": whether the pages
        behind the area were pinned writable (iopt_pages.writable); a mapping pins them so exactly when
        it allows WRITE (IOAS-10). Not part of queryAreas."""
        self.objects[(vm, ioas_id)].areas[iova] = {"iova": iova, "pages": pages, "host": host,
                                                   "access": access, "writable": WRITES[access]}
        self.remirror(vm, ioas_id)

    def op_mapAreaAuto(self, op):
        """iommufd (iommufd_ioas_map without IOMMU_IOAS_MAP_FIXED_IOVA): the access, the IOAS (typed),
        the pages and host range, then iopt_alloc_iova's first fit: the lowest IOVA, never 0, that is a
        multiple of the alignment, lies within the bounds and the allowed range if one is set (IOAS-12)
        and overlaps no area and no reserved range (RESV-3: the reserved_itree and area_itree double
        span). None: ENOSPC (IOAS-11). The area is then as a map's (IOAS-3, HWPT-2)."""
        vm, b = op["vm"], self.b
        if op["access"] == "NONE":
            raise Refused("EINVAL")                                   # IOAS-1, before the IOAS lookup
        ioas = self.ioas(vm, op["ioas"])                              # IOAS-11: iommufd_get_ioas, ENOENT
        pages, host = op["pages"], op["host"]
        if pages < 1 or host < 0 or host + pages > b["hostPages"]:
            raise Refused("EINVAL")                                   # IOAS-1
        align = auto_iova_alignment(pages, host)
        for iova in range(align, b["iovaPages"] - pages + 1, align):
            if self.iova_allowed(ioas, iova, pages) and not any(
                    overlaps(a, iova, pages) for a in list(ioas.areas.values()) + ioas.reserved):
                self.insert_area(vm, op["ioas"], iova, pages, host, op["access"])
                return {"result": "mapped", "iova": iova}             # IOAS-11, IOAS-3, HWPT-2
        raise Refused("ENOSPC")                                       # IOAS-11: no room

    @staticmethod
    def iova_allowed(ioas, iova, pages):
        """iommufd (__alloc_iova_check_range): [iova, iova + pages) within the allowed range, if any."""
        if ioas.allowed is None:
            return True
        start, count = ioas.allowed
        return start <= iova and iova + pages <= start + count

    def op_allowIovas(self, op):
        """iommufd (iommufd_ioas_allow_iovas, iopt_set_allow_iova) with one range, or none when `pages`
        is 0. It bounds only the IOVAs the kernel chooses (IOAS-11): fixed maps, copies and the areas
        already there are not checked. A range meeting one a device reserved in the IOAS is swapped
        back: EADDRINUSE (RESV-4); clearing never fails."""
        ioas = self.ioas(op["vm"], op["ioas"])                        # IOAS-12: iommufd_get_ioas, ENOENT
        if op["pages"] < 0 or op["iova"] < 0:
            raise Refused("EINVAL")                                   # IOAS-12
        if op["pages"] > 0 and any(overlaps(r, op["iova"], op["pages"]) for r in ioas.reserved):
            raise Refused("EADDRINUSE")                               # RESV-4: iopt_set_allow_iova
        ioas.allowed = None if op["pages"] == 0 else (op["iova"], op["pages"])
        return done()

    def op_copyArea(self, op):
        """iommufd (iommufd_ioas_copy with IOMMU_IOAS_MAP_FIXED_IOVA): the access, the source IOAS
        (typed), the source range and its pages (iopt_get_pages), the destination IOAS (typed), the
        destination range (iopt_map_pages), then WRITE on pages pinned read-only (iopt_insert_area).
        Each slice of a source area becomes an area of its own, back to back from `iova`, sharing the
        source's pages but independent of the source's areas (IOAS-10). All or nothing."""
        vm, b = op["vm"], self.b
        if op["access"] == "NONE":
            raise Refused("EINVAL")                                   # IOAS-10: no READ nor WRITE
        src = self.ioas(vm, op["src"])                                # IOAS-10: iommufd_get_ioas, ENOENT
        iova, src_iova, pages = op["iova"], op["srcIova"], op["pages"]
        if pages < 1 or src_iova < 0:
            raise Refused("EINVAL")                                   # IOAS-10
        slices = slices_of(src.areas, src_iova, pages)
        if slices is None:
            raise Refused("ENOENT")                                   # IOAS-10: iopt_get_pages, a hole
        dst = self.ioas(vm, op["ioas"])                               # IOAS-10: iommufd_get_ioas, ENOENT
        if iova < 0 or iova + pages > b["iovaPages"]:
            raise Refused("EINVAL")                                   # IOAS-10
        if any(overlaps(r, iova, pages) for r in dst.reserved):
            raise Refused("EINVAL")                                   # RESV-3: iopt_check_iova, reserved first
        if any(overlaps(a, iova, pages) for a in dst.areas.values()):
            raise Refused("EEXIST")                                   # IOAS-10, IOAS-2
        if WRITES[op["access"]] and not all(sl["writable"] for sl in slices):
            raise Refused("EPERM")                                    # IOAS-10: pages pinned read-only
        for sl in slices:
            at = iova + (sl["iova"] - src_iova)
            # The copy shares the slice's pages, so it keeps their writability whatever its access.
            dst.areas[at] = {"iova": at, "pages": sl["pages"], "host": sl["host"], "access": op["access"],
                             "writable": sl["writable"]}
        self.remirror(vm, op["ioas"])                                 # HWPT-2
        return done()

    def op_unmap(self, op):
        vm = op["vm"]
        ioas = self.ioas(vm, op["ioas"])
        iova, pages = op["iova"], op["pages"]
        if pages < 1 or iova < 0:
            raise Refused("EINVAL")
        hit = sorted((a for a in ioas.areas.values() if overlaps(a, iova, pages)), key=lambda a: a["iova"])
        if not hit:
            raise Refused("ENOENT")                                   # IOAS-5: no area
        whole = [a for a in hit if iova <= a["iova"] and a["iova"] + a["pages"] <= iova + pages]
        if len(whole) != len(hit):
            if self.iommufd:
                # iommufd (iopt_unmap_iova_range): the whole areas before the first cut one are removed.
                before = []
                for a in hit:
                    if a not in whole:
                        break
                    before.append(a)
                for a in before:
                    del ioas.areas[a["iova"]]
                if before:
                    self.remirror(vm, op["ioas"])                     # HWPT-2
            raise Refused("ENOENT")                                   # IOAS-5: a cut area
        for a in hit:
            del ioas.areas[a["iova"]]
        self.remirror(vm, op["ioas"])
        return {"result": "unmapped", "pages": sum(a["pages"] for a in hit)}

    def op_unmapAll(self, op):
        ioas = self.ioas(op["vm"], op["ioas"])
        unmapped = sum(a["pages"] for a in ioas.areas.values())
        ioas.areas.clear()
        self.remirror(op["vm"], op["ioas"])
        return {"result": "unmapped", "pages": unmapped}

    def remirror(self, vm, ioas_id):
        """Every paging HWPT built from the IOAS holds exactly its pages (HWPT-2); a page it no longer
        maps takes its dirty bit with it, so a page mapped anew starts clean (DIRTY-6)."""
        pages = pages_of(self.objects[(vm, ioas_id)].areas)
        for (ovm, _), o in self.objects.items():
            if ovm == vm and o.kind == "HWPT_PAGING" and o.ioas == ioas_id:
                o.pages = dict(pages)
                o.dirty.intersection_update(pages)

    def op_queryAreas(self, op):
        ioas = self.ioas(op["vm"], op["ioas"])
        return {"result": "areas", "areas": [{f: ioas.areas[k][f] for f in ("iova", "pages", "host", "access")}
                                             for k in sorted(ioas.areas)]}

    def op_queryPages(self, op):
        o = self.obj(op["vm"], op["id"])
        if o.kind == "IOAS":
            pages = pages_of(o.areas)
        elif o.kind == "HWPT_PAGING":
            pages = o.pages
        else:
            raise Refused("EINVAL")
        return {"result": "pages", "pages": [pages[k] for k in sorted(pages)]}

    def op_invalidate(self, op):
        o = self.obj(op["vm"], op["hwpt"])
        if self.iommufd and o.kind == "HWPT_NESTED" and op["pages"] == 0 and op["iova"] >= 0:
            return done()                                             # HWPT-6: entry_num 0 succeeds
        if o.kind != "HWPT_NESTED" or op["pages"] < 1 or op["iova"] < 0:
            raise Refused("EINVAL")                                   # HWPT-6 (iommufd too: EINVAL, 6.13+)
        return done()                                                 # nothing cached: nothing to flush

    # ---- layer B: dirty tracking (iommufd only, GEN-3) -----------------------------------------

    def trackable_hwpt(self, vm, hwpt_id):
        """iommufd (iommufd_get_hwpt_paging, then hwpt->domain->dirty_ops): a paging HWPT of the VM
        (a typed lookup: anything else is ENOENT) allocated with DIRTY_TRACKING (else EOPNOTSUPP)."""
        o = self.objects.get((vm, hwpt_id))
        if o is None or o.kind != "HWPT_PAGING":
            raise Refused("ENOENT")                                   # DIRTY-3, DIRTY-4
        if not o.trackable:
            raise Refused("EOPNOTSUPP")                               # DIRTY-3, DIRTY-4: no dirty_ops
        return o

    def op_setDirtyTracking(self, op):
        """iommufd (iommufd_hwpt_set_dirty_tracking, iopt_set_dirty_tracking): enabling clears every
        bit first (iopt_clear_dirty_data, a clean snapshot); disabling keeps them (DIRTY-3)."""
        o = self.trackable_hwpt(op["vm"], op["hwpt"])
        if op["enable"]:
            o.dirty = set()
        o.tracking = bool(op["enable"])
        return done()

    def op_getDirtyBitmap(self, op):
        """iommufd (iommufd_hwpt_get_dirty_bitmap, iopt_read_and_clear_dirty_data): the lookup, then the
        range. The walk's own errors are dropped: with tracking off the driver reads nothing; a range
        with a hole is read up to the hole. The dirty pages read are reported, and cleared unless
        IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR (DIRTY-4)."""
        o = self.trackable_hwpt(op["vm"], op["hwpt"])
        iova, pages = op["iova"], op["pages"]
        if pages < 1 or iova < 0:
            raise Refused("EINVAL")                                   # DIRTY-4
        if not o.tracking:
            return {"result": "dirtyPages", "iovas": []}
        read = 0
        while read < pages and iova + read in o.pages:
            read += 1
        reported = sorted(p for p in o.dirty if iova <= p < iova + read)
        if not op["noClear"]:
            o.dirty.difference_update(reported)
        return {"result": "dirtyPages", "iovas": reported}

    # ---- layer B: attachments ------------------------------------------------------------------

    def check_target(self, device, pasid, table_id):
        """The checks before the point is looked at. 2021: the table (OBJ-1, ATT-2, SVA-1), then the
        PASID (ATT-3..5). iommufd: a driver without a PASID attach op first (vfio_df_ioctl_attach_pt),
        then the table only; the PASID checks come after the point's (iommufd_late_checks)."""
        spec = self.devices[device]
        on_pasid = pasid != 0
        if self.iommufd and on_pasid and spec["driver"] == "MDEV":
            raise Refused("EOPNOTSUPP")                               # ATT-3: no pasid_attach op
        t = self.obj(spec["vm"], table_id)
        if t.kind in ("FAULT_QUEUE", "VIOMMU", "VDEVICE") or (t.kind == "IOAS" and on_pasid):
            raise Refused("EINVAL")                                   # ATT-2
        if t.kind == "SVA" and not on_pasid:
            raise Refused("EINVAL")                                   # SVA-1
        if not on_pasid or self.iommufd:
            return
        if spec["pasids"] == 0:
            raise Refused("EOPNOTSUPP")                               # ATT-3
        if pasid < 1 or pasid >= spec["pasids"]:
            raise Refused("EINVAL")
        if not pasid_compatible(t):
            raise Refused("EINVAL")                                   # ATT-4
        entry = self.pasids.get(pasid)
        if entry is None:
            raise Refused("ENOENT")                                   # ATT-5
        if entry["vm"] != spec["vm"]:
            raise Refused("EACCES")

    def op_attach(self, op):
        device, pasid, table = op["device"], op["pasid"], op["table"]
        self.check_target(device, pasid, table)
        pasid_refs = pasid != 0 and not self.iommufd                 # iommufd: attachments hold no PASID
        if pasid_refs and self.pasids[pasid]["state"] == "FREE_PENDING":
            raise Refused("EBUSY")                                    # PASID-8
        if (device, pasid) in self.attached:
            raise Refused("EBUSY")                                    # ATT-1
        if RACE == "attach-check-then-act":
            LOCK.release()                                            # planted: the check goes stale
            time.sleep(0.002)
            LOCK.acquire()
        vm = self.devices[device]["vm"]
        reserved_in = self.reserve_rid(device, pasid, table)          # RESV-1, RESV-2
        try:
            self.iommufd_late_checks(device, pasid, table)            # ATT-4, ATT-12, ATT-3
            pt = self.auto_get(vm, table) if self.iommufd else table  # ATT-13
        except Refused:
            self.unreserve(vm, reserved_in, device)                   # RESV-2: a later check undoes it
            raise
        if self.iommufd:
            self.attached[(device, pasid)] = pt
            self.objects[(vm, pt)].users += 1
            return {"result": "allocated", "id": pt}
        self.attached[(device, pasid)] = table
        self.objects[(vm, table)].users += 1
        if pasid_refs:
            self.pasid_refs(pasid, 1)
        return done()

    def op_replace(self, op):
        device, pasid, table = op["device"], op["pasid"], op["table"]
        self.check_target(device, pasid, table)
        old = self.attached.get((device, pasid))
        if old is None:
            raise Refused("EINVAL")                                   # ATT-7
        vm = self.devices[device]["vm"]
        if self.iommufd:
            # iommufd: an IOAS stands for its automatic HWPT, if it has one (ATT-13).
            target = self.auto_of(vm, table) if self.objects[(vm, table)].kind == "IOAS" else table
            if old == target:
                return {"result": "allocated", "id": target}          # ATT-8, ATT-13
            reserved_in = self.reserve_rid(device, pasid, table)      # RESV-1, RESV-2
            try:
                self.iommufd_late_checks(device, pasid, table)        # ATT-4, ATT-12, ATT-3
                pt = self.auto_get(vm, table)                         # ATT-13: found or created first
            except Refused:
                self.unreserve(vm, reserved_in, device)               # RESV-2: a later check undoes it
                raise
            if reserved_in:
                self.unreserve(vm, self.ioas_behind(vm, old), device) # RESV-1: moved to another IOAS
            self.abandon_point(device, pasid, old)                    # FLT-5
            self.attached[(device, pasid)] = pt
            self.objects[(vm, pt)].users += 1
            self.put_pt(vm, old)
            return {"result": "allocated", "id": pt}
        if old == table:
            return done()                                             # ATT-8
        self.abandon_point(device, pasid, old)
        self.attached[(device, pasid)] = table
        self.objects[(vm, old)].users -= 1
        self.objects[(vm, table)].users += 1
        return done()

    def op_detach(self, op):
        device, pasid = op["device"], op["pasid"]
        old = self.attached.get((device, pasid))
        if old is None:
            return done()                                             # ATT-9
        self.abandon_point(device, pasid, old)
        del self.attached[(device, pasid)]
        if self.iommufd:
            vm = self.devices[device]["vm"]
            if pasid == 0:
                self.unreserve(vm, self.ioas_behind(vm, old), device) # RESV-1: iommufd_hw_pagetable_detach
            self.put_pt(vm, old)                                      # ATT-13: an automatic HWPT may go
        else:
            self.objects[(self.devices[device]["vm"], old)].users -= 1
        if pasid and not self.iommufd:
            self.pasid_refs(pasid, -1)                                # ATT-10
        return done()

    def ioas_behind(self, vm, table_id):
        """iommufd (find_hwpt_paging): the IOAS behind a table: an IOAS itself, a paging HWPT's, a
        nested HWPT's parent's (on a vIOMMU, the vIOMMU's HWPT); 0 for anything else (SVA)."""
        t = self.objects.get((vm, table_id))
        if t is not None and t.kind == "HWPT_NESTED":
            t = self.objects.get((vm, t.parent))
        if t is not None and t.kind == "HWPT_PAGING":
            return t.ioas
        return table_id if t is not None and t.kind == "IOAS" else 0

    def reserve_rid(self, device, pasid, table_id):
        """iommufd (iommufd_hw_pagetable_attach: attach_resv only for the RID; on replace
        iommufd_group_do_replace_reserved_iova only onto another IOAS; iopt_table_enforce_dev_resv_regions,
        iopt_reserve_iova): reserves the device's ranges in the IOAS behind `table_id`, each tagged with
        the device (RESV-1). One meeting an area or the allowed range: EADDRINUSE, nothing reserved
        (RESV-2). Answers the IOAS reserved in, or 0 (a PASID, no ranges, the same IOAS, 2021)."""
        spec = self.devices[device]
        ranges = spec.get("reserved") or []
        if not self.iommufd or pasid != 0 or not ranges:
            return 0
        vm = spec["vm"]
        target, held = self.ioas_behind(vm, table_id), self.attached.get((device, 0))
        if not target or (held is not None and self.ioas_behind(vm, held) == target):
            return 0                                                  # RESV-1: same IOAS, kept as they are
        ioas = self.objects[(vm, target)]
        used = list(ioas.areas.values())
        if ioas.allowed is not None:
            used.append({"iova": ioas.allowed[0], "pages": ioas.allowed[1]})
        if any(overlaps(u, r["iova"], r["pages"]) for r in ranges for u in used):
            raise Refused("EADDRINUSE")                               # RESV-2: iopt_reserve_iova
        ioas.reserved.extend({"iova": r["iova"], "pages": r["pages"], "owner": device} for r in ranges)
        return target

    def unreserve(self, vm, ioas_id, device):
        """iommufd (iopt_remove_reserved_iova): the ranges the device reserved in the IOAS go (RESV-1)."""
        if ioas_id:
            ioas = self.objects[(vm, ioas_id)]
            ioas.reserved = [r for r in ioas.reserved if r["owner"] != device]

    def auto_of(self, vm, ioas_id):
        """iommufd: the IOAS's automatic paging HWPT, or 0 if it has none (ATT-13)."""
        for (ovm, oid), o in self.objects.items():
            if ovm == vm and o.kind == "HWPT_PAGING" and getattr(o, "auto", False) and o.ioas == ioas_id:
                return oid
        return 0

    def auto_get(self, vm, table_id):
        """iommufd (iommufd_device_auto_get_domain): the HWPT to attach for `table_id`. A table other
        than an IOAS is itself; an IOAS gives its automatic HWPT, created with the lowest free ID if it
        has none yet (not NEST_PARENT, not ALLOC_PASID, no fault queue, holding a reference on the
        IOAS). The caller adds the attachment's user."""
        t = self.objects[(vm, table_id)]
        if t.kind != "IOAS":
            return table_id
        existing = self.auto_of(vm, table_id)
        if existing:
            return existing
        return self.allocate(vm, Obj("HWPT_PAGING", ioas=table_id, nest_parent=False, alloc_pasid=False,
                                     fault=0, pages=pages_of(t.areas), auto=True,
                                     trackable=False, tracking=False, dirty=set()))["id"]

    def put_pt(self, vm, pt):
        """iommufd: the point lets go of `pt`; an automatic HWPT left unattached goes away, and with it
        its reference on the IOAS (ATT-13)."""
        o = self.objects[(vm, pt)]
        o.users -= 1
        if getattr(o, "auto", False) and o.users == 0:
            del self.objects[(vm, pt)]
            for ref in o.references():
                self.objects[(vm, ref)].users -= 1

    def iommufd_late_checks(self, device, pasid, table_id):
        """iommufd only, after the point's own checks (iommufd_device_do_attach, then
        iommufd_hwpt_pasid_compat, then the core's PASID range check). No sets: any PASID the device
        can issue will do, and the attachment holds no reference on it."""
        if not self.iommufd:
            return
        spec = self.devices[device]
        t = self.objects[(spec["vm"], table_id)]
        if pasid == 0:
            pasids_attached = any(d == device and p != 0 for (d, p) in self.attached)
            if pasids_attached and not pasid_compatible(t):
                raise Refused("EINVAL")                               # ATT-12: RID must suit the PASIDs
            self.dirty_check(spec, t)                                 # DIRTY-2
            return
        if not pasid_compatible(t):
            raise Refused("EINVAL")                                   # ATT-4
        rid = self.attached.get((device, 0))
        if rid is not None and not pasid_compatible(self.objects[(spec["vm"], rid)]):
            raise Refused("EINVAL")                                   # ATT-12: RID table not PASID-compatible
        if pasid < 1 or pasid >= spec["pasids"]:
            raise Refused("EINVAL")                                   # ATT-3: a PASID it cannot issue
        self.dirty_check(spec, t)                                     # DIRTY-2

    def dirty_check(self, spec, t):
        """iommufd, the driver's own check, last (Intel's prepare_domain_attach_device, AMD's attach,
        the selftest mock's MOCK_FLAGS_DEVICE_NO_DIRTY): a table whose paging HWPT tracks dirty pages
        (itself, or a nested HWPT's parent) attaches only to a device whose IOMMU does (DIRTY-2)."""
        paging = self.objects.get((spec["vm"], t.parent)) if t.kind == "HWPT_NESTED" else t
        if (paging is not None and paging.kind == "HWPT_PAGING" and paging.trackable
                and not spec.get("dirtyTracking", False)):
            raise Refused("EINVAL")                                   # DIRTY-2

    def op_queryAttachment(self, op):
        return {"result": "attachedTable", "table": self.attached.get((op["device"], op["pasid"]), 0)}

    # ---- layer C: translation ------------------------------------------------------------------

    def bad_access(self, device, pasid, iova, access):
        spec = self.devices[device]
        bad_pasid = pasid != 0 and (pasid < 1 or pasid >= spec["pasids"])
        return bad_pasid or not 0 <= iova < self.b["iovaPages"] or access == "NONE"

    def handling_pasid(self, device, pasid):
        """The attach point whose table handles (device, pasid): the point itself; or, for a device whose
        IOMMU driver lets the guest own the PASID table, a PASID with nothing attached of its own goes
        through a nested HWPT attached to the RID (PRQ-8; io-pgfault.c, find_fault_handler)."""
        if pasid == 0 or (device, pasid) in self.attached or not self.devices[device].get("userPasidTable"):
            return pasid
        rid = self.attached.get((device, 0))
        if rid is not None and self.objects[(self.devices[device]["vm"], rid)].kind == "HWPT_NESTED":
            return 0
        return pasid

    def table_of(self, device, pasid):
        """The table DMA and page requests at (device, pasid) go through: its own, or the RID's (PRQ-8)."""
        tid = self.attached.get((device, self.handling_pasid(device, pasid)))
        return None if tid is None else self.objects[(self.devices[device]["vm"], tid)]

    def walk(self, device, table, iova, access):
        """What a DMA sees: ("host", page) or ("fault", level)."""
        vm = self.devices[device]["vm"]
        if table is None:
            return ("fault", "BLOCKED")
        if table.kind == "HWPT_NESTED":
            entry = table.stage1.get(iova)
            if entry is None or not permits(entry[1], access):
                return ("fault", "STAGE1")
            page = self.objects[(vm, table.parent)].pages.get(entry[0])
            return ("host", page["host"]) if page and permits(page["access"], access) else ("fault", "STAGE2")
        if table.kind == "SVA":
            page = self.mm.get((table.mm, iova))
            return ("host", page[0]) if page and permits(page[1], access) else ("fault", "SVA")
        pages = table.pages if table.kind == "HWPT_PAGING" else pages_of(table.areas)
        page = pages.get(iova)
        return ("host", page["host"]) if page and permits(page["access"], access) else ("fault", "PAGING")

    def op_dma(self, op):
        if self.bad_access(op["device"], op["pasid"], op["iova"], op["access"]):
            raise Refused("EINVAL")                                   # XLT-7
        table = self.table_of(op["device"], op["pasid"])
        what, value = self.walk(op["device"], table, op["iova"], op["access"])
        if what == "host" and WRITES[op["access"]]:
            self.mark_dirty(op["device"], table, op["iova"])          # DIRTY-5
        return {"result": "translated", "host": value} if what == "host" else {"result": "faulted", "level": value}

    def mark_dirty(self, device, table, iova):
        """A write that went through sets the dirty bit of the page it used in the last-stage paging
        HWPT, if that one tracks (DIRTY-5): a paging HWPT's own IOVA page, or for a nested HWPT the
        stage-2 page (the stage-1 entry's gpa) of its parent. An IOAS, an automatic HWPT or SVA never
        tracks."""
        if table.kind == "HWPT_NESTED":
            paging, page = self.objects[(self.devices[device]["vm"], table.parent)], table.stage1[iova][0]
        elif table.kind == "HWPT_PAGING":
            paging, page = table, iova
        else:
            return
        if paging.trackable and paging.tracking:
            paging.dirty.add(page)

    def op_writeStage1(self, op):
        o = self.obj(op["vm"], op["hwpt"])
        iova_pages = self.b["iovaPages"]
        if o.kind != "HWPT_NESTED" or not 0 <= op["iova"] < iova_pages or not 0 <= op["gpa"] < iova_pages:
            raise Refused("EINVAL")                                   # XLT-8
        if op["access"] == "NONE":
            o.stage1.pop(op["iova"], None)
        else:
            o.stage1[op["iova"]] = (op["gpa"], op["access"])
        return done()

    def op_mmMap(self, op):
        if (not 0 <= op["page"] < self.b["mmPages"] or not 0 <= op["host"] < self.b["hostPages"]
                or op["access"] == "NONE"):
            raise Refused("EINVAL")
        key = (op["mm"], op["page"])
        if key in self.mm:
            raise Refused("EEXIST")
        self.mm[key] = (op["host"], op["access"])
        return done()

    def op_mmUnmap(self, op):
        if not 0 <= op["page"] < self.b["mmPages"]:
            raise Refused("EINVAL")
        if self.mm.pop((op["mm"], op["page"]), None) is None:
            raise Refused("ENOENT")
        return done()

    # ---- layer C: page requests, fault queues, responses ---------------------------------------

    def queues_of(self, vm):
        return [o for (ovm, _), o in self.objects.items() if ovm == vm and o.kind == "FAULT_QUEUE"]

    def op_pageRequest(self, op):
        device, pasid, group = op["device"], op["pasid"], op["group"]
        spec = self.devices[device]
        if self.bad_access(device, pasid, op["iova"], op["access"]) or not 0 <= group < self.b["groups"]:
            raise Refused("EINVAL")                                   # XLT-7
        for q in self.queues_of(spec["vm"]):
            for g in q.delivered + list(q.awaiting.values()):
                if (g["device"], g["pasid"], g["group"]) == (device, pasid, group):
                    raise Refused("EBUSY")                            # PRQ-7
        key = (device, pasid, group)
        requests = self.partial.get(key, []) + [{"iova": op["iova"], "access": op["access"]}]
        if not op["last"] and self.iommufd and not self.has_handler(spec, self.table_of(device, pasid)):
            # iommufd (iommu_report_device_fault): a request nobody would take is answered at once.
            self.serial += 1
            self.respond_to(device, pasid, group, "INVALID")          # PRQ-3
            return done()
        if not op["last"]:
            self.partial[key] = requests                              # PRQ-1
            return done()
        self.partial.pop(key, None)
        table = self.table_of(device, pasid)
        self.serial += 1
        code, queue_id = self.route(spec, table, requests)
        if queue_id:
            queue = self.objects[(spec["vm"], queue_id)]
            queue.delivered.append({"serial": self.serial, "device": device, "pasid": pasid, "group": group,
                                    "requests": requests, "via": self.handling_pasid(device, pasid)})
        else:
            self.respond_to(device, pasid, group, code)
        return done()

    def has_handler(self, spec, table):
        """Whether anything takes a request at the point: PRI, a table, and the kernel's SVA handler
        or a fault queue of the table."""
        if not spec["pri"] or table is None:
            return False
        return table.kind == "SVA" or (table.kind in ("HWPT_PAGING", "HWPT_NESTED") and bool(table.fault))

    def route(self, spec, table, requests):
        """The page table's owner for the level that faulted (PRQ-3..6): (code to answer now, or queue id)."""
        if not spec["pri"] or table is None:
            return "INVALID", 0
        if table.kind == "SVA":
            ok = all((p := self.mm.get((table.mm, r["iova"]))) and permits(p[1], r["access"]) for r in requests)
            return ("SUCCESS" if ok else "INVALID"), 0
        if table.kind == "HWPT_NESTED":
            for r in requests:
                if self.walk(spec["id"], table, r["iova"], r["access"]) == ("fault", "STAGE2"):
                    return "INVALID", 0                               # the kernel owns stage 2
        queue = getattr(table, "fault", 0)
        return ("INVALID", 0) if not queue else (None, queue)

    def respond_to(self, device, pasid, group, code):
        self.responses.setdefault(device, []).append({"pasid": pasid, "group": group, "code": code})

    def answer_invalid(self, queue, which):
        """FLT-5/FLT-6. 2021: in the order the groups completed. iommufd (iommufd_auto_response_faults):
        the groups not yet read in arrival order, then those awaiting a response by cookie."""
        if self.iommufd:
            held = [g for g in queue.delivered if which(g)] + \
                   [queue.awaiting[c] for c in sorted(queue.awaiting) if which(queue.awaiting[c])]
        else:
            held = sorted([g for g in queue.delivered + list(queue.awaiting.values()) if which(g)],
                          key=lambda g: g["serial"])
        queue.delivered = [g for g in queue.delivered if not which(g)]
        queue.awaiting = {c: g for c, g in queue.awaiting.items() if not which(g)}
        for g in held:
            self.respond_to(g["device"], g["pasid"], g["group"], "INVALID")

    def abandon_point(self, device, pasid, old_table):
        """Detach or a replace that changes the table: held requests go, pending groups are answered (FLT-5).
        Called before the attachment changes, so the held requests dropped are those of the point and of
        the PASIDs that go through it (PRQ-8), and the groups answered those whose via is the point."""
        for key in [k for k in self.partial if k[0] == device and self.handling_pasid(device, k[1]) == pasid]:
            del self.partial[key]
        vm = self.devices[device]["vm"]
        queue_id = getattr(self.objects[(vm, old_table)], "fault", 0)
        if queue_id:
            self.answer_invalid(self.objects[(vm, queue_id)], lambda g: g["device"] == device and g["via"] == pasid)

    def fault_queue(self, vm, qid):
        q = self.obj(vm, qid)
        if q.kind != "FAULT_QUEUE":
            raise Refused("EINVAL")                                   # FLT-2
        return q

    def op_readFaults(self, op):
        q = self.fault_queue(op["vm"], op["queue"])
        groups = []
        for g in q.delivered:
            if self.iommufd:
                # iommufd: xa_alloc on an ALLOC1 xarray, the lowest cookie >= 1 not awaiting a response.
                cookie = 1
                while cookie in q.awaiting:
                    cookie += 1
            else:
                cookie = q.next_cookie                                # FLT-1: never reused
                q.next_cookie += 1
            q.awaiting[cookie] = g
            groups.append({"device": g["device"], "pasid": g["pasid"], "group": g["group"],
                           "requests": g["requests"], "cookie": cookie})
        q.delivered = []
        return {"result": "faultGroups", "groups": groups}

    def op_respond(self, op):
        q = self.fault_queue(op["vm"], op["queue"])
        g = q.awaiting.get(op["cookie"])
        if op["code"] == "FAILURE" or g is None:
            raise Refused("EINVAL")                                   # FLT-3
        del q.awaiting[op["cookie"]]
        self.respond_to(g["device"], g["pasid"], g["group"], op["code"])
        return done()

    def op_deliverFault(self, op):
        return failed("ENOENT")      # PRQ-9: a group goes to its handler as it completes, none waits to be delivered

    def op_queryResponses(self, op):
        return {"result": "responses", "responses": list(self.responses.get(op["device"], []))}


def pasid_compatible(table):
    """Tables that may sit on a PASID: allocated with ALLOC_PASID, or an SVA domain (ATT-4, SVA-1)."""
    return table.kind == "SVA" or getattr(table, "alloc_pasid", False)


def auto_iova_alignment(pages, host):
    """iopt_alloc_iova's alignment, in pages: the length rounded up to a power of two
    (roundup_pow_of_two), no more than the lowest set bit of the host page (1UL << __ffs64; none for
    host page 0), and at most a huge page (HPAGE_SIZE)."""
    align = 1 << (pages - 1).bit_length()
    if host:
        align = min(align, host & -host)
    return min(align, HUGE_PAGE)


def overlaps(area, iova, pages):
    return area["iova"] < iova + pages and iova < area["iova"] + area["pages"]


def slices_of(areas, iova, pages):
    """The parts of `areas` that cover [iova, iova + pages), in IOVA order, each with its source IOVA,
    pages, host page and writability; None if a page of the range is in no area (iopt_get_pages:
    ENOENT). The range may start or end inside an area and span several adjacent ones."""
    end, at, slices = iova + pages, iova, []
    for a in sorted(areas.values(), key=lambda a: a["iova"]):
        a_end = a["iova"] + a["pages"]
        if a_end <= at:
            continue
        if a["iova"] > at:
            return None                                               # a hole before this area
        slice_end = min(end, a_end)
        slices.append({"iova": at, "pages": slice_end - at, "host": a["host"] + (at - a["iova"]),
                       "writable": a["writable"]})
        at = slice_end
        if at >= end:
            return slices
    return None


def pages_of(areas):
    pages = {}
    for a in areas.values():
        for i in range(a["pages"]):
            pages[a["iova"] + i] = {"iova": a["iova"] + i, "host": a["host"] + i, "access": a["access"]}
    return pages


def main():
    instance = None
    snapshots = {}  # id -> the instance as it was, pickled; a reset forgets them all
    out = sys.stdout
    out_lock = threading.Lock()
    workers = ThreadPoolExecutor(max_workers=4)

    def write(answer):
        with out_lock:
            out.write(json.dumps(answer, separators=(",", ":")) + "\n")
            out.flush()

    def apply_at_once(target, msg):
        try:
            with LOCK:
                result = target.apply(msg["op"])
            write({"type": "result", "seq": msg["seq"], "result": result})
        except Exception:                                             # a bug here: say so and stop
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(3)

    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "hello":
            # IOASID_CONCURRENT=0: declare one request at a time (what an implementation without threads says).
            answer = {"type": "hello", "protocol": PROTOCOL, "name": "python-example", "snapshots": True,
                      "concurrent": os.environ.get("IOASID_CONCURRENT", "1") != "0"}
        elif kind == "reset":
            instance = Ioasid(msg["bounds"])
            snapshots.clear()
            answer = {"type": "ready"}
        elif kind == "snapshot":
            # pickle: a deep copy that is several times faster than copy.deepcopy
            snapshots[len(snapshots) + 1] = pickle.dumps(instance)
            answer = {"type": "snapshot", "id": len(snapshots)}
        elif kind == "restore":
            instance = pickle.loads(snapshots[msg["id"]])
            answer = {"type": "ready"}
        elif kind == "apply" and msg.get("concurrent"):
            # Answered when done, in whatever order the calls finish; matched by seq.
            workers.submit(apply_at_once, instance, msg)
            continue
        elif kind == "apply":
            with LOCK:
                answer = {"type": "result", "seq": msg["seq"], "result": instance.apply(msg["op"])}
        elif kind == "bye":
            workers.shutdown(wait=True)
            return
        else:
            print("unknown message: " + line.strip(), file=sys.stderr)
            return 2
        write(answer)


if __name__ == "__main__":
    sys.exit(main())
