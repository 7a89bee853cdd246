"""``python -m bot``: the same as the ``hipbot`` command."""

import sys

from bot.cli import main

sys.exit(main())
