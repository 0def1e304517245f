import CriticalFirms
import GapDetection
import LocalisationShare
import Recruitment
import RoboChainAnalysis
import ValueOrigin

/// The registry of built-in analyses: the one place they are listed.
///
/// Each is a target under `Plugins/`, written against the public analysis API only. A test
/// checks this list against the directories in `Plugins/`.
public enum BuiltinAnalyses {
    /// Every built-in analysis, in the order `plugins list` shows them.
    public static let all: [any Analysis] = [
        GapDetection(), LocalisationShare(), ValueOrigin(), Recruitment(), CriticalFirms(),
    ]
}
