/// Open vSwitch and namespaces on this machine (placeholder until the harness lands).
public enum LinuxTestbedModule {}
