"""In-tree PEP 517 build backend (standard library only).

``pip install ./clients/python`` normally fetches setuptools into an isolated build environment; with this
backend (``requires = []``) pip needs nothing from an index, so the client installs offline. It builds a pure
``py3-none-any`` wheel of ``kosher_catalog/``, an sdist, and a PEP 660 editable wheel (``pip install -e``).
Archives are reproducible: sorted entries with a fixed timestamp (``SOURCE_DATE_EPOCH`` when set)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile
from typing import Any, Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "kosher_catalog"
# What an sdist carries besides the package: enough to build the wheel again and to run the examples and tests.
SDIST_EXTRA = ["pyproject.toml", "README.md", "CHANGELOG.md", "build_backend", "examples", "tests"]


# ---- pyproject.toml -----------------------------------------------------------------------------------------


def _parse_toml_subset(text: str) -> Dict[str, Any]:
    """Enough TOML for our own pyproject.toml on Python 3.9/3.10, which lack tomllib: tables, strings and
    (multi-line) arrays of strings. Anything else is an error rather than a silent guess."""
    data: Dict[str, Any] = {}
    table = data
    pending: Optional[Tuple[str, str]] = None  # a multi-line array being collected: (key, text so far)
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r'\s+#[^"]*$|^#.*$', "", raw).strip()
        if pending:
            key, acc = pending
            acc += " " + line
            if line.endswith("]"):
                table[key] = _toml_value(acc, number)
                pending = None
            else:
                pending = (key, acc)
            continue
        if not line:
            continue
        header = re.fullmatch(r"\[([A-Za-z0-9_.-]+)\]", line)
        if header:
            table = data
            for part in header.group(1).split("."):
                table = table.setdefault(part, {})
            continue
        match = re.fullmatch(r'([A-Za-z0-9_-]+|"[^"]+")\s*=\s*(.+)', line)
        if not match:
            raise ValueError(f"pyproject.toml:{number}: unsupported TOML: {raw!r}")
        key, value = match.group(1).strip('"'), match.group(2)
        if value.startswith("[") and not value.endswith("]"):
            pending = (key, value)
        else:
            table[key] = _toml_value(value, number)
    return data


def _toml_value(value: str, number: int) -> Any:
    value = value.strip()
    if value.startswith("["):
        return re.findall(r'"((?:[^"\\]|\\.)*)"', value)
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(f"pyproject.toml:{number}: unsupported TOML value {value!r}")


def _pyproject() -> Dict[str, Any]:
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        return _parse_toml_subset(text)
    return tomllib.loads(text)


def _version() -> str:
    """The one place the version is written is the package itself (``kosher_catalog/_version.py``)."""
    with open(os.path.join(ROOT, PACKAGE, "_version.py"), encoding="utf-8") as f:
        match = re.search(r'^__version__\s*=\s*"([^"]+)"', f.read(), re.M)
    if not match:
        raise RuntimeError("kosher_catalog/_version.py has no __version__")
    return match.group(1)


def _metadata() -> Tuple[str, str, str]:
    """(distribution name, version, the METADATA text)."""
    project = _pyproject()["project"]
    name, version = project["name"], _version()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {project.get('description', '')}",
    ]
    if project.get("keywords"):
        lines.append("Keywords: " + ",".join(project["keywords"]))
    lines += [f"Classifier: {c}" for c in project.get("classifiers", [])]
    if project.get("requires-python"):
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {d}" for d in project.get("dependencies", [])]
    for label, url in (project.get("urls") or {}).items():
        lines.append(f"Project-URL: {label}, {url}")
    readme = project.get("readme")
    body = ""
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(ROOT, readme), encoding="utf-8") as f:
            body = f.read()
    return name, version, "\n".join(lines) + "\n\n" + body


def _dist(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


# ---- archives -------------------------------------------------------------------------------------------------


def _epoch() -> int:
    return max(315532800, int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")))  # zip cannot date before 1980


def _files(top: str) -> List[str]:
    """Files under ``top`` (relative to ROOT), sorted, without caches and build debris."""
    path = os.path.join(ROOT, top)
    if os.path.isfile(path):
        return [top]
    out = []
    for directory, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            out.append(os.path.relpath(os.path.join(directory, name), ROOT).replace(os.sep, "/"))
    return out


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _dist_info(name: str, version: str, metadata: str) -> Dict[str, bytes]:
    info = f"{_dist(name)}-{version}.dist-info"
    return {
        f"{info}/METADATA": metadata.encode("utf-8"),
        f"{info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: kc_build (in-tree)\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ).encode("ascii"),
        f"{info}/top_level.txt": f"{PACKAGE}\n".encode("ascii"),
    }


def _write_wheel(wheel_directory: str, entries: Dict[str, bytes], name: str, version: str) -> str:
    filename = f"{_dist(name)}-{version}-py3-none-any.whl"
    record_name = f"{_dist(name)}-{version}.dist-info/RECORD"
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in entries.items())
    record += f"{record_name},,\n"
    stamp = time.gmtime(_epoch())[:6]
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in list(entries.items()) + [(record_name, record.encode("utf-8"))]:
            zi = zipfile.ZipInfo(path, date_time=stamp)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return filename


def _read(path: str) -> bytes:
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


# ---- PEP 517 / PEP 660 hooks ------------------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    name, version, metadata = _metadata()
    for path, data in _dist_info(name, version, metadata).items():
        target = os.path.join(metadata_directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    return f"{_dist(name)}-{version}.dist-info"


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    name, version, metadata = _metadata()
    entries = {path: _read(path) for path in _files(PACKAGE)}
    entries.update(_dist_info(name, version, metadata))
    return _write_wheel(wheel_directory, entries, name, version)


def build_editable(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    """A wheel holding only a .pth line that puts this source tree on sys.path (PEP 660)."""
    name, version, metadata = _metadata()
    entries = {f"__editable__.{_dist(name)}.pth": (ROOT + "\n").encode("utf-8")}
    entries.update(_dist_info(name, version, metadata))
    return _write_wheel(wheel_directory, entries, name, version)


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    name, version, metadata = _metadata()
    base = f"{_dist(name)}-{version}"
    filename = f"{base}.tar.gz"
    files = _files(PACKAGE) + [f for top in SDIST_EXTRA if os.path.exists(os.path.join(ROOT, top)) for f in _files(top)]
    pkg_info = metadata.encode("utf-8")

    def add(tar: tarfile.TarFile, path: str, data: bytes) -> None:
        ti = tarfile.TarInfo(f"{base}/{path}")
        ti.size, ti.mtime, ti.mode = len(data), _epoch(), 0o644
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ""
        tar.addfile(ti, io.BytesIO(data))

    # mtime=0 in the gzip header too, so the same tree gives the same bytes.
    with open(os.path.join(sdist_directory, filename), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                add(tar, "PKG-INFO", pkg_info)
                for path in sorted(set(files)):
                    add(tar, path, _read(path))
    return filename
