/// The version of RoboChain, in one place: `robochain --version`, `robochain plugins list` and
/// the release archive's name (`scripts/package.sh` reads it from this file) all show this.
public enum RoboChainVersion {
    /// The version, `MAJOR.MINOR.PATCH` (semantic versioning).
    public static let current = "0.1.0"
}
