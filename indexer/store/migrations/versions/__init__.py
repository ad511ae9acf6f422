"""Migration scripts, one module per revision (a package, so installs ship them)."""
