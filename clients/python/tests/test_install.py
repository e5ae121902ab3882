"""``pip install ./clients/python`` works offline: into a fresh venv, with no index and no pip configuration, from the
directory, from the sdist the in-tree backend builds, and editable; the installed copy imports, ships py.typed, and
talks to the live harness."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

from _support import CLIENT_ROOT, env

BACKEND = os.path.join(CLIENT_ROOT, "build_backend")

# Run by the installed interpreter from a neutral directory, so the source tree cannot be what gets imported.
PROBE = """
import os, sys, kosher_catalog
from kosher_catalog import Client
print(os.path.dirname(kosher_catalog.__file__))
print(os.path.exists(os.path.join(os.path.dirname(kosher_catalog.__file__), "py.typed")))
print(kosher_catalog.__version__)
print(Client.from_env().pricing()["actions"]["products.get"])
"""


def backend(hook: str, directory: str) -> str:
    """Calls a hook of the in-tree backend the way a PEP 517 frontend does (its own process, backend-path first)."""
    code = f"import sys; sys.path.insert(0, {BACKEND!r}); import kc_build; print(kc_build.{hook}({directory!r}))"
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory(prefix="kc-py-install-")
        cls.venv = os.path.join(cls.tmp.name, "venv")
        subprocess.run([sys.executable, "-m", "venv", cls.venv], check=True, capture_output=True)
        cls.python = os.path.join(cls.venv, "bin", "python")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def pip(self, *args: str) -> None:
        # No index, no find-links, no user or site pip configuration: only what the tree itself provides.
        offline = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
        offline.pop("PIP_EXTRA_INDEX_URL", None)
        offline.pop("PIP_INDEX_URL", None)
        result = subprocess.run(
            [self.python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check", *args],
            capture_output=True, text=True, env=offline, cwd=self.tmp.name,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def probe(self) -> list:
        result = subprocess.run(
            [self.python, "-c", PROBE], capture_output=True, text=True, cwd=self.tmp.name,
            env={**os.environ, "KC_BASE_URL": env("KC_BASE_URL")},
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.splitlines()

    def test_install_from_the_directory_the_sdist_and_editable(self) -> None:
        self.pip(CLIENT_ROOT)
        where, typed, version, rate = self.probe()
        self.assertTrue(where.startswith(self.venv), where)
        self.assertEqual((typed, version, rate), ("True", "0.2.0", "0.5"))

        sdist = os.path.join(self.tmp.name, backend("build_sdist", self.tmp.name))
        self.pip("--force-reinstall", sdist)
        where, typed, _, _ = self.probe()
        self.assertTrue(where.startswith(self.venv), where)
        self.assertEqual(typed, "True")

        self.pip("--force-reinstall", "-e", CLIENT_ROOT)
        where, _, _, _ = self.probe()
        self.assertEqual(where, os.path.join(CLIENT_ROOT, "kosher_catalog"))

    def test_the_wheel_is_well_formed_and_reproducible(self) -> None:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            name = backend("build_wheel", a)
            self.assertEqual(name, "kosher_catalog-0.2.0-py3-none-any.whl")
            self.assertEqual(backend("build_wheel", b), name)
            with open(os.path.join(a, name), "rb") as f1, open(os.path.join(b, name), "rb") as f2:
                self.assertEqual(f1.read(), f2.read())
            with zipfile.ZipFile(os.path.join(a, name)) as zf:
                names = zf.namelist()
                self.assertIn("kosher_catalog/py.typed", names)
                self.assertFalse([n for n in names if "__pycache__" in n or n.endswith(".pyc")])
                record = zf.read("kosher_catalog-0.2.0.dist-info/RECORD").decode()
                rows = list(csv.reader(io.StringIO(record)))
                self.assertEqual(sorted(r[0] for r in rows), sorted(names))
                for path, digest, size in rows:
                    if path.endswith("RECORD"):
                        continue
                    data = zf.read(path)
                    expect = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual((digest, int(size)), (f"sha256={expect}", len(data)), path)
                metadata = zf.read("kosher_catalog-0.2.0.dist-info/METADATA").decode()
                self.assertIn("Name: kosher-catalog\nVersion: 0.2.0\n", metadata)
                self.assertIn("Requires-Python: >=3.9", metadata)
            sdist = backend("build_sdist", a)
            with tarfile.open(os.path.join(a, sdist)) as tar:
                members = tar.getnames()
            for needed in ("PKG-INFO", "pyproject.toml", "build_backend/kc_build.py", "kosher_catalog/client.py"):
                self.assertIn(f"kosher_catalog-0.2.0/{needed}", members)

    def test_the_toml_fallback_of_python_3_9_reads_pyproject_as_tomllib_does(self) -> None:
        sys.path.insert(0, BACKEND)
        try:
            import kc_build
        finally:
            sys.path.remove(BACKEND)
        with open(os.path.join(CLIENT_ROOT, "pyproject.toml"), encoding="utf-8") as f:
            text = f.read()
        try:
            import tomllib
        except ImportError:  # Python < 3.11 runs this suite too: then only the fallback itself is exercised
            self.assertEqual(kc_build._parse_toml_subset(text)["project"]["name"], "kosher-catalog")
        else:
            self.assertEqual(kc_build._parse_toml_subset(text), tomllib.loads(text))


if __name__ == "__main__":
    unittest.main()
