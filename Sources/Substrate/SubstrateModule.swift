/// The substrate (placeholder until the switch agent lands).
public enum SubstrateModule {}
