// Physical nodes, VMs with paged guest memory, the shared data plane (issue #6).
