"""Build the PyInstaller one-folder bundle and check that it starts.

Steps:
1. ``pyinstaller --noconfirm --distpath DIST --workpath WORK installer/encours.spec``
   (DIST and WORK under ``build/bundle/`` by default, which git ignores);
2. checks the data files are in the bundle (icons, Alembic ``env.py`` and ``versions/``);
3. runs ``DIST/encours/encours --db <temp file>`` with ``QT_QPA_PLATFORM=offscreen`` and
   ``ENCOURS_QUIT_AFTER_PAINT=1``: it must exit with code 0 within 60 s, and the database it created
   must carry an Alembic revision (the shipped migrations ran);
4. on Linux, looks with ``ldd`` for Qt libraries a bundled library needs but the bundle lacks
   (a sign that the spec's filter dropped too much);
5. prints the bundle's size in MB.

Exit code 0 when all checks pass, 1 otherwise. Usage, from the project root::

    .venv/bin/python installer/check_bundle.py              # build + check
    .venv/bin/python installer/check_bundle.py --no-build   # check the bundle already built
    .venv/bin/python installer/check_bundle.py --out /tmp/encours-bundle
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "encours.spec"
RUN_TIMEOUT_S = 60
NAME = "encours"


class CheckFailed(Exception):
    pass


def build(dist: Path, work: Path) -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("$", " ".join(cmd), flush=True)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        raise CheckFailed(f"pyinstaller failed with exit code {result.returncode}")
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)


def bundle_paths(dist: Path) -> tuple[Path, Path, Path]:
    folder = dist / NAME
    exe = folder / (NAME + (".exe" if os.name == "nt" else ""))
    internal = folder / "_internal"
    if not internal.is_dir():  # contents_directory="." puts everything beside the executable
        internal = folder
    return folder, exe, internal


def check_files(exe: Path, internal: Path) -> None:
    required = [
        exe,
        internal / "resources" / "icons" / "users.svg",
        internal / "resources" / "icons" / "LICENSE",
        internal / "app" / "models" / "migrations" / "env.py",
        internal / "app" / "models" / "migrations" / "script.py.mako",
    ]
    missing = [str(p) for p in required if not p.exists()]
    versions = list((internal / "app" / "models" / "migrations" / "versions").glob("*.py"))
    if not versions:
        missing.append(str(internal / "app" / "models" / "migrations" / "versions" / "*.py"))
    if missing:
        raise CheckFailed("missing from the bundle:\n  " + "\n  ".join(missing))
    print(f"files: executable, resources/, migrations (env.py, script.py.mako, {len(versions)} version(s)) present")


def run_bundle(exe: Path) -> None:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["ENCOURS_QUIT_AFTER_PAINT"] = "1"
    for var in ("PYTHONPATH", "PYTHONHOME", "ENCOURS_DB"):  # the bundle must stand on its own
        env.pop(var, None)
    with tempfile.TemporaryDirectory(prefix="encours-bundle-check-") as tmp:
        db = Path(tmp) / "check.sqlite"
        cmd = [str(exe), "--db", str(db)]
        print("$ QT_QPA_PLATFORM=offscreen ENCOURS_QUIT_AFTER_PAINT=1", " ".join(cmd), flush=True)
        start = time.perf_counter()
        try:
            result = subprocess.run(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise CheckFailed(f"the bundle did not exit within {RUN_TIMEOUT_S} s\n"
                              f"--- stdout ---\n{exc.stdout or ''}\n--- stderr ---\n{exc.stderr or ''}") from None
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise CheckFailed(f"the bundle exited with code {result.returncode}\n"
                              f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}")
        print(f"run: exit code 0 after {elapsed:.1f} s (first start, database created)")
        if not db.exists():
            raise CheckFailed(f"the bundle exited cleanly but created no database at {db}")
        with sqlite3.connect(db) as conn:
            try:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.Error as exc:
                raise CheckFailed(f"database not migrated by the bundle: {exc}") from None
        if not revision:
            raise CheckFailed("database not migrated by the bundle: alembic_version is empty")
        print(f"database: migrated to revision {revision[0]} by the bundled Alembic")


def run_imports(exe: Path) -> None:
    """The bundled readers work (each is loaded by name, and OFX needs ofxparse and BeautifulSoup): a FEC, a
    Factur-X PDF and a bank statement of each format of the shared fixtures (when present) are imported by
    the bundle's own ``encours import``."""
    fixtures = ROOT.parent / "shared" / "fixtures"
    files = [fixtures / "fec" / "ekylibre_sage_coala_2020.txt",
             fixtures / "facturx" / "zugferd-corpus_FNFE_Facture_FR_BASICWL.pdf",
             fixtures / "cfonb120" / "oca_l10n-france_cfonb_classic.cfo", fixtures / "camt053" / "test-camt053.xml",
             fixtures / "ofx" / "ofxparse_checking.ofx", fixtures / "bank_csv_fr" / "creditmutuel_ccm_courant_synthetic.csv"]
    if not all(f.is_file() for f in files):
        print(f"imports: skipped, fixtures absent ({fixtures})")
        return
    with tempfile.TemporaryDirectory(prefix="encours-bundle-import-") as tmp:
        # The bank CSV names no account: the owner says which one, as the wizard would ask.
        cmd = [str(exe), "--db", str(Path(tmp) / "import.sqlite"), "import", *map(str, files),
               "--account", "FR76 3000 6000 0112 3456 7890 189", "--json"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise CheckFailed(f"the bundle's import failed (exit {result.returncode}):\n"
                              f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        reports = json.loads(result.stdout)
        created = [sum(report["created"].values()) for report in reports]
        if not all(created):
            raise CheckFailed(f"the bundle's import created nothing: {result.stdout[-2000:]}")
        print(f"imports: FEC, Factur-X, CFONB, camt, OFX and bank CSV read by the bundle ({created} rows created)")


def check_libraries(internal: Path) -> None:
    """ldd every bundled shared library; a missing Qt/PySide library means the spec dropped too much."""
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return
    env = dict(os.environ)
    lib_dirs = {str(internal)} | {str(p.parent) for p in internal.rglob("*.so*")}
    env["LD_LIBRARY_PATH"] = os.pathsep.join(sorted(lib_dirs))
    fatal: dict[str, set[str]] = {}
    system: dict[str, set[str]] = {}
    for lib in sorted(internal.rglob("*.so*")):
        if not lib.is_file():
            continue
        out = subprocess.run(["ldd", str(lib)], env=env, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "not found" not in line:
                continue
            needed = line.split()[0]
            where = fatal if needed.startswith(("libQt6", "libpyside6", "libshiboken6", "libicu")) else system
            where.setdefault(needed, set()).add(str(lib.relative_to(internal)))
    if system:
        print("note: system libraries absent on this build machine (Qt loads these plugins only when used):")
        for needed, users in sorted(system.items()):
            print(f"  {needed}  <- {', '.join(sorted(users)[:3])}{' ...' if len(users) > 3 else ''}")
    if fatal:
        lines = [f"  {needed}  <- {', '.join(sorted(users))}" for needed, users in sorted(fatal.items())]
        raise CheckFailed("bundled libraries need Qt libraries the bundle lacks:\n" + "\n".join(lines))
    print("libraries: no bundled library needs a Qt library missing from the bundle")


def report_size(folder: Path) -> None:
    """Size on disk as ``du -sm`` gives it (MiB, the number to quote), and the plain sum of file sizes."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    du = shutil.which("du")
    du_out = subprocess.run([du, "-sm", str(folder)], capture_output=True, text=True).stdout.split() if du else []
    on_disk = f"{du_out[0]} MB on disk (du -sm), " if du_out else ""
    print(f"bundle size: {on_disk}{total / 2**20:.1f} MiB in {len(files)} files: {folder}")


def run_report(exe: Path) -> None:
    """The bundled charts and PDF work: the bundle creates the demo company and prints its weekly report
    (matplotlib, reportlab and the shipped DejaVu font, all from inside the bundle)."""
    with tempfile.TemporaryDirectory(prefix="encours-bundle-report-") as tmp:
        db, pdf = Path(tmp) / "demo.sqlite", Path(tmp) / "hebdo.pdf"
        for args in (["demo"], ["report", "weekly", "--out", str(pdf)]):
            result = subprocess.run([str(exe), "--db", str(db), *args], capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                raise CheckFailed(f"the bundle's {args[0]} failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            raise CheckFailed("the bundle's weekly report wrote no PDF")
        print(f"report: the demo company's weekly PDF printed by the bundle ({pdf.stat().st_size // 1024} KB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Encours bundle and check that it starts.")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bundle",
                        help="folder for dist/ and work/ (default build/bundle)")
    parser.add_argument("--no-build", action="store_true", help="check the bundle already in OUT/dist")
    args = parser.parse_args(argv)
    dist, work = args.out / "dist", args.out / "work"
    folder, exe, internal = bundle_paths(dist)
    try:
        if not args.no_build:
            build(dist, work)
        folder, exe, internal = bundle_paths(dist)
        check_files(exe, internal)
        check_libraries(internal)
        run_bundle(exe)
        run_imports(exe)
        run_report(exe)
    except CheckFailed as failure:
        print(f"BUNDLE CHECK FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        if folder.is_dir():
            report_size(folder)
    print("BUNDLE CHECK OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
