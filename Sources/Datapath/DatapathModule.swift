/// The software OpenFlow switch core (placeholder until the flow table lands).
public enum DatapathModule {}
