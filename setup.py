"""Maps the repository's top-level folders into the one import package `ember`.

The layout follows the design card (parser/, optimizer/, catalog/, engine/, shell/ at the
root); setuptools' package-dir turns them into ember.parser, ember.optimizer, ... for both
normal and editable installs. Sub-packages are discovered so adding one needs no edit here.
"""
from setuptools import find_packages, setup

ROOTS = {
    "ember": "ember",
    "ember.parser": "parser",
    "ember.optimizer": "optimizer",
    "ember.catalog": "catalog",
    "ember.engine": "engine",
    "ember.shell": "shell",
}

packages = []
for package, folder in ROOTS.items():
    packages.append(package)
    packages.extend(f"{package}.{sub}" for sub in find_packages(folder))

setup(
    packages=packages,
    package_dir=ROOTS,
    package_data={"ember.parser": ["*.lark"], "ember.catalog": ["*.json"]},
    include_package_data=True,
)
