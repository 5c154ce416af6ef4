import VNMCommands

await VNM.main()
