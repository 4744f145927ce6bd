"""Everything that only makes a build or a preview faster, each mechanism a switch.

The plugin (`tipweek/plugin.py`) asks `tipweek.speed.switches.off(name)` where a
mechanism would step in and, when it is off, has the MkDocs stages
(`tipweek.mkdocs`, which never import this package) do the same work the plain way:
the site is byte-identical either way (`tests/test_speedups.py`).  Each module
here says what its mechanism saves, as measured by `scripts/bench.py --without`
on the configuration `tipweek init` writes (docs/dev/benchmarks.md).
"""
