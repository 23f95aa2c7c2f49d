"""The physical world: planner, operators, kernels, functions, data sources."""
