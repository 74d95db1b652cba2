"""Build script for the one compiled module: the import workers' record scanner and walkers.

Everything else is declared in setup.cfg. ``b2b_cabinet.sync.reader._walk`` reads lxml's trees
through lxml's public C API, so it is compiled against the lxml headers of the build environment.
It is optional: without a C compiler the package installs without it and the importer uses the
same walkers in Python (slower, same results).
"""

import os

import lxml
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "b2b_cabinet.sync.reader._walk",
            ["b2b_cabinet/sync/reader/_walk.pyx"],
            depends=["b2b_cabinet/sync/reader/_scan.pxi"],
            include_dirs=lxml.get_include(),
            # CI sets B2B_REQUIRE_COMPILED=1: there a failed build must fail, not fall back.
            optional=os.environ.get("B2B_REQUIRE_COMPILED") != "1",
        )
    ]
)
