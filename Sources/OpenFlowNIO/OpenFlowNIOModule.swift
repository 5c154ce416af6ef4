/// OpenFlow connections over SwiftNIO (placeholder until the frame decoder lands).
public enum OpenFlowNIOModule {}
