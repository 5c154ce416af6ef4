import VNMCommands

@main
struct VNMMain {
    static func main() async {
        await VNM.main()
    }
}
