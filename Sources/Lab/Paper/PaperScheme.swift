import Foundation

/// The four migration schemes of the paper's evaluation (§3, Figs. 5–7), as `vnm experiment
/// paper` names them: the two virtual-router migrations (Xen standard, where the VM forwards
/// the data itself, and plane separation, where Domain 0 forwards it) and two flow migrations
/// over OpenFlow (Fig. 3's order as published, and its barrier-confirmed form).
public enum PaperScheme: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case routerStandard = "router-standard"
    case routerPlaneSeparated = "router-plane-separated"
    case flowsPaper = "flows-paper"
    case flowsConsistent = "flows-consistent"

    public var description: String { rawValue }

    /// A virtual router is moved (a VM with pre-copy); otherwise flows are moved by a controller.
    public var isRouter: Bool { self == .routerStandard || self == .routerPlaneSeparated }

    /// The name in the figures' legends and the report, in the paper's terms.
    public var label: String {
        switch self {
        case .routerStandard: "Xen standard"
        case .routerPlaneSeparated: "Xen plane separation"
        case .flowsPaper: "OpenFlow (paper order)"
        case .flowsConsistent: "OpenFlow (consistent)"
        }
    }

    /// The same colour and marker for a scheme in every figure and panel.
    public var colorIndex: Int {
        switch self {
        case .routerStandard: 1
        case .routerPlaneSeparated: 0
        case .flowsPaper: 2
        case .flowsConsistent: 3
        }
    }

    /// Parses a comma-separated list (`flows-paper,flows-consistent`), naming a bad entry.
    public static func list(_ text: String) throws -> [PaperScheme] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw PaperExperimentError("no scheme given; choose from \(allNames)") }
        var schemes: [PaperScheme] = []
        for name in names {
            guard let scheme = PaperScheme(rawValue: name) else {
                throw PaperExperimentError("unknown scheme '\(name)'; choose from \(allNames)")
            }
            if !schemes.contains(scheme) { schemes.append(scheme) }
        }
        return schemes
    }

    static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
