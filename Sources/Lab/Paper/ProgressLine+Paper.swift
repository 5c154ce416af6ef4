extension ProgressLine {
    /// The progress of `vnm experiment paper`, rewritten in place on a terminal, e.g.
    /// `[ 7/48] flows-paper 64 B 2000 pps run 1   41 left, 12 s elapsed, about 1 min 10 s left`.
    public func render(_ progress: PaperProgress) -> String {
        let width = String(progress.total).count
        let index = String(repeating: " ", count: max(0, width - String(progress.index).count)) + String(progress.index)
        var text = "[\(index)/\(progress.total)] \(progress.point)  \(progress.left) left, "
            + "\(PaperFormat.seconds(progress.elapsedSeconds)) elapsed"
        if let remaining = progress.remainingSeconds {
            text += ", about \(PaperFormat.seconds(remaining)) left"
        }
        return inPlace ? "\r" + text + "\u{1B}[K" : text + "\n"
    }
}
