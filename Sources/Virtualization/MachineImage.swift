/// A VM serialized: its configuration, every page of its memory and its vCPU context. What a
/// migration moves, and what a VM is rebuilt from at the destination.
public struct MachineImage: Sendable {
    public var configuration: VirtualMachineConfiguration
    public var memory: GuestMemory
    /// ``VCPUState/encoded()``.
    public var vcpu: [UInt8]

    public init(configuration: VirtualMachineConfiguration, memory: GuestMemory, vcpu: [UInt8]) {
        self.configuration = configuration
        self.memory = memory
        self.vcpu = vcpu
    }
}
