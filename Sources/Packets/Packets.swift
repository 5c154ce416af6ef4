public enum PacketsModule {}
