package dev.ioasid.cli;

import dev.ioasid.contract.Profile;

/** Reading a {@code --profile} argument. */
final class Profiles {

    private Profiles() {
    }

    static Profile named(String name) throws BadInputException {
        return Profile.byName(name).orElseThrow(() -> new BadInputException(
                "--profile: unknown profile '" + name + "'; known: " + Profile.names()));
    }
}
