"""theodoi: keep the provincial cadres' follow-up of communes honest.

The package is a stack of layers; a module imports only from the layers
below its own (import-linter's contracts in pyproject.toml keep it so):
``cli`` -> ``render`` -> ``workspace`` -> ``audit`` | ``reports`` ->
``followup`` -> ``visits`` -> ``registers`` -> ``store`` -> ``base``.
README.md's Architecture section says what each holds.
"""

__version__ = "0.1.0"
