"""Regenerate the screenshots of the offline help (``resources/help/img``) after a change to the screens.

Each picture is the ``screenshot`` command on the demo company at 1280×800, then reduced to a palette of
colours so that the help stays light (each under ~150 KB): pngquant when it is installed, Pillow otherwise.

    .venv/bin/python tools/help_screenshots.py            # a fresh demo company in a temporary folder
    .venv/bin/python tools/help_screenshots.py --db demo.sqlite   # an existing demo company
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "resources" / "help" / "img"
LIMIT = 150_000
# The picture of each help page: file name in resources/help/img → view of the ``screenshot`` command.
SCREENSHOTS = {
    "tableau-de-bord.png": "dashboard", "relances.png": "reminders", "clients.png": "customers",
    "fiche-client.png": "customer", "factures.png": "invoices", "a-rapprocher.png": "reconcile",
    "imports.png": "imports", "litiges.png": "disputes", "parametres.png": "settings",
}


def encours(db: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "app", "--db", str(db), *args], cwd=ROOT, check=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def shrink(png: Path) -> None:
    """Fewer colours, same pixels to the eye: the screens are flat colours and text."""
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "60-90", "--output", str(png),
                        str(png)], check=False)
        return
    from PIL import Image

    with Image.open(png) as image:
        reduced = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(png, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo company already created (else a fresh one)")
    args = parser.parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "demo.sqlite"
            encours(db, "demo")
        for image, view in SCREENSHOTS.items():
            out = IMAGES / image
            encours(db, "screenshot", view, "--out", str(out))
            shrink(out)
            size = out.stat().st_size
            print(f"{out.relative_to(ROOT)} : {size // 1000} Ko" + (" (trop lourd)" if size > LIMIT else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
