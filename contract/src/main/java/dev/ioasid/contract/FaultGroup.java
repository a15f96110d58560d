package dev.ioasid.contract;

import java.util.List;

/** A whole page request group as user space reads it from a fault queue, with its response cookie. */
public record FaultGroup(int device, int pasid, int group, List<RequestedPage> requests, int cookie) {
    public FaultGroup {
        requests = List.copyOf(requests);
    }

    @Override
    public String toString() {
        return "{dev=" + device + ", pasid=" + Pasid.show(pasid) + ", group=" + group + ", " + requests + ", cookie="
                + cookie + "}";
    }
}
