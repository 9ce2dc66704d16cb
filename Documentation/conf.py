# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for vigil's documentation: "make buildtest" builds
# it with warnings as errors.
project = "vigil"
copyright = "The vigil developers"
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
