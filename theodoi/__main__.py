"""``python -m theodoi`` runs the same entry point as the console script."""

from theodoi.cli.main import main

raise SystemExit(main())
