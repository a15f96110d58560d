package dev.ioasid.properties;

/**
 * Where a long check reports how far it got: the phase, the work done and the work in all (0 when
 * not known). Called often; a listener decides how often to show it.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, done, total) -> { };

    void at(String phase, long done, long total);
}
