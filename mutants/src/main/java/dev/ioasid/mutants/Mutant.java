package dev.ioasid.mutants;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationFactory;
import dev.ioasid.contract.IoasidImplementation;
import dev.ioasid.contract.Profile;
import java.util.function.Function;

/**
 * A planted bug: the reference implementation with one realistic kernel-style mistake.
 *
 * @param name          a short kebab-case name
 * @param mistake       the mistake, as a kernel reviewer would describe it
 * @param rule          the SPEC rule it breaks
 * @param shortestTrace the length of the shortest trace that shows it, derived by hand (see the class docs)
 */
public record Mutant(String name, String mistake, String rule, int shortestTrace,
                     Function<Bounds, IoasidImplementation> make) implements ImplementationFactory {

    /**
     * Whether the planted bug sits in code the profile runs. The IOASID set API (sets, PASID
     * allocation, the PASID reference an attachment takes) has no iommufd counterpart (GEN-2), so a
     * bug there cannot show under iommufd; automatic domains and RID/PASID compatibility are
     * iommufd's only.
     */
    public boolean appliesTo(Profile profile) {
        boolean setApi = rule.startsWith("SET-") || rule.startsWith("PASID-") || name.equals("attach-no-pasid-reference");
        return profile == Profile.IOMMUFD ? !setApi : !IOMMUFD_ONLY_RULES.contains(rule);
    }

    /** Rules that hold under iommufd only: a bug in the code behind them cannot show under ioasid-2021. */
    private static final java.util.Set<String> IOMMUFD_ONLY_RULES = java.util.Set.of("GEN-2", "ATT-12", "ATT-13",
            "VIOMMU-1", "VIOMMU-2", "VIOMMU-3", "VIOMMU-4", "VIOMMU-5", "VIOMMU-6", "IOAS-10", "IOAS-11", "IOAS-12",
            "DIRTY-1", "DIRTY-2", "DIRTY-3", "DIRTY-4", "DIRTY-5", "DIRTY-6", "RESV-1", "RESV-2", "RESV-3", "RESV-4",
            "RESV-5");

    /** The profile the planted bug is checked under by default: ioasid-2021 unless it applies to iommufd only. */
    public Profile profile() {
        return appliesTo(Profile.IOASID_2021) ? Profile.IOASID_2021 : Profile.IOMMUFD;
    }

    /**
     * The shortest trace under a profile. Under iommufd a non-last page request at a point with no
     * handler is answered at once (PRQ-3, Linux 6.11+), so showing a group handled before its last
     * request needs a handler first: allocSva and a PASID attach, then the request and the query.
     */
    public int shortestTrace(Profile profile) {
        return profile == Profile.IOMMUFD && name.equals("partial-group-delivered") ? 4 : shortestTrace;
    }

    @Override
    public IoasidImplementation create(Bounds bounds) {
        return make.apply(bounds);
    }
}
