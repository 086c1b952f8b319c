"""PyInstaller entry script for the Encours bundle (see encours.spec)."""

from app.__main__ import main

raise SystemExit(main())
