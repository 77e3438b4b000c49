"""``python -m collate``: the same as the ``collate`` command."""

import sys

from .cli import main

sys.exit(main())
