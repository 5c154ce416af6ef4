// Virtual router control plane: OSPFv2 point-to-point (issue #6).
