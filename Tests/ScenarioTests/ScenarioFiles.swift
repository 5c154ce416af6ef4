import Foundation

@testable import Scenario

/// Where the test scenarios are: the examples at the repository root, the bad files in Resources.
enum ScenarioFiles {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static var examples: URL { repositoryRoot.appendingPathComponent("scenarios") }

    static func example(_ name: String) -> String { examples.appendingPathComponent(name).path }

    static let exampleNames = [
        "diamond.yaml", "paper-fig4a-router.yaml", "paper-fig4b-openflow.yaml", "fat-tree-k4.yaml",
    ]

    static func bad(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Resources/bad")!.path
    }

    /// The error loading `path` throws; nil if it loads.
    static func error(loading path: String) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.load(file: path)
            return nil
        } catch {
            return error
        }
    }

    static func error(parsing yaml: String) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.parse(yaml: yaml, file: "test.yaml")
            return nil
        } catch {
            return error
        }
    }
}
