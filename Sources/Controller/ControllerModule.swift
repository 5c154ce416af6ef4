/// The controller (placeholder until its apps land).
public enum ControllerModule {}
