import ArgumentParser

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render", abstract: "Draw the chain map (being written).")
    func run() throws { throw ExitStatus.failure }
}
