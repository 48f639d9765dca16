package io.agenthive.launcher;

/** The version Maven stamped into the jar's manifest, or "dev" when run from classes. */
final class Version {
  private Version() {}

  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
