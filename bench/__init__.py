"""presswatch's benchmarks: `make bench` (or `make bench QUICK=1`)."""
