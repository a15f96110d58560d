package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;

/**
 * How a property run goes: how many sequences, how long each, the master seed they derive from,
 * and how many replays shrinking may spend. System properties {@code ioasid.tries},
 * {@code ioasid.length} and {@code ioasid.seed} override the defaults (for CI).
 */
public record PropertyConfig(Bounds bounds, int tries, int length, long seed, int maxShrinkReplays) {

    public static final long DEFAULT_SEED = 20210601L;

    public PropertyConfig {
        if (tries < 1 || length < 1 || maxShrinkReplays < 0) {
            throw new IllegalArgumentException("tries and length must be >= 1 and maxShrinkReplays >= 0, were "
                    + tries + ", " + length + ", " + maxShrinkReplays);
        }
    }

    public static PropertyConfig defaults() {
        return new PropertyConfig(Bounds.defaults(), 1000, 150, DEFAULT_SEED, 50_000);
    }

    /** This configuration with the {@code ioasid.*} system properties that are set applied over it. */
    public PropertyConfig withSystemOverrides() {
        return new PropertyConfig(bounds,
                intProperty("ioasid.tries", tries),
                intProperty("ioasid.length", length),
                longProperty("ioasid.seed", seed),
                intProperty("ioasid.shrinkReplays", maxShrinkReplays));
    }

    public PropertyConfig withTries(int tries) {
        return new PropertyConfig(bounds, tries, length, seed, maxShrinkReplays);
    }

    public PropertyConfig withSeed(long seed) {
        return new PropertyConfig(bounds, tries, length, seed, maxShrinkReplays);
    }

    public PropertyConfig withBounds(Bounds bounds) {
        return new PropertyConfig(bounds, tries, length, seed, maxShrinkReplays);
    }

    public PropertyConfig withLength(int length) {
        return new PropertyConfig(bounds, tries, length, seed, maxShrinkReplays);
    }

    private static int intProperty(String name, int fallback) {
        return (int) longProperty(name, fallback);
    }

    private static long longProperty(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + " must be a whole number, was '" + value + "'");
        }
    }
}
