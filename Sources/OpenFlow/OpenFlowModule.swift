public enum OpenFlowModule {}
